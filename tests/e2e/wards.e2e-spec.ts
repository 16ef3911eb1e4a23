import { aPatient, eventually } from '@hms/platform-testing';
import { expectData, hmsApi, type HmsApi } from './api';
import { startE2ePlatform, type E2ePlatform } from './support';

// An in-patient's stay through the gateway, with the gateway, patients, audit and wards services
// as real processes on the postgres transport and a database of this file's own. Every call goes
// through the typed client generated from the committed OpenAPI document (./api.ts).
jest.setTimeout(120_000);

const ADMIN = { email: 'e2e-wards@hms.test', password: 'E2e-Wards-Pass-2026!' };
const HOUSEKEEPER = { email: 'housekeeping.e2e@hms.test', password: 'Clean-Beds-2026!' };
let e2e: E2ePlatform;
let api: HmsApi;

async function signIn(email: string, password: string): Promise<HmsApi> {
  return hmsApi(e2e.platform.gatewayUrl, { token: (await e2e.login(email, password)).accessToken });
}

beforeAll(async () => {
  e2e = await startE2ePlatform(__filename, ADMIN);
  api = await signIn(ADMIN.email, ADMIN.password);
});

afterAll(() => e2e?.stop());

describe('an in-patient stay through the gateway', () => {
  it('registers, admits, transfers and discharges a patient; the bed board, housekeeping and the audit trail follow', async () => {
    const me = expectData(await api.GET('/api/v1/auth/me'), 200);
    const branchId = me.branches[0].id;

    // The patient, registered at the patients service.
    const patient = expectData(await api.POST('/api/v1/patients', { body: aPatient().named('Kavya Menon').sex('F').born('1975-08-14').build() }), 201);

    // Masters: the usual categories, dated tariffs, a ward with a general bed and an ICU bed.
    const categories = expectData(await api.POST('/api/v1/wards/bed-categories/defaults'), 200).items;
    const general = categories.find((c) => c.code === 'GENERAL');
    const icu = categories.find((c) => c.code === 'ICU');
    if (!general || !icu) throw new Error('default categories missing');
    expectData(await api.POST('/api/v1/wards/bed-categories/{id}/tariffs', { params: { path: { id: general.id } }, body: { effectiveFrom: '2025-04-01', dailyRatePaise: 200_000 } }), 201);
    expectData(await api.POST('/api/v1/wards/bed-categories/{id}/tariffs', { params: { path: { id: icu.id } }, body: { effectiveFrom: '2025-04-01', dailyRatePaise: 1_500_000 } }), 201);
    const ward = expectData(await api.POST('/api/v1/wards/wards', { body: { code: 'MW1', name: 'Medical ward 1', floor: '1', genderPolicy: 'female' } }), 201);
    const bedG = expectData(await api.POST('/api/v1/wards/beds', { body: { wardId: ward.id, code: 'G1', categoryId: general.id } }), 201).id;
    const bedI = expectData(await api.POST('/api/v1/wards/beds', { body: { wardId: ward.id, code: 'I1', categoryId: icu.id } }), 201).id;

    // The wards service learns of the patient from the patients service's events: retry until it has.
    const admission = {
      patientId: patient.id,
      bedId: bedG,
      admittingDoctor: { name: 'Dr. Meera Rao' },
      department: 'General medicine',
      reason: 'Community-acquired pneumonia',
      admissionType: 'emergency' as const,
      expectedStayDays: 4,
      depositReference: 'RV/26-27/000001',
    };
    const admit = () => api.POST('/api/v1/wards/admissions', { body: admission, headers: { 'idempotency-key': `admit-${patient.id}` } });
    const admitted = await eventually(
      async () => {
        const r = await admit();
        if (r.response.status === 422 && (r.error as { code?: string } | undefined)?.code === 'patient-unknown') throw new Error('the wards service does not know the patient yet');
        return expectData(r, 201);
      },
      { what: 'the wards service to know the newly registered patient' },
    );
    const admissionId = admitted.id;
    // A retry with the same Idempotency-Key (a lost response) replays the admission, not a second one.
    const retry = await admit();
    expect(retry.response.headers.get('idempotent-replayed')).toBe('true');
    expect(expectData(retry, 201).id).toBe(admissionId);
    expect(admitted).toMatchObject({ patientId: patient.id, patient: { uhid: patient.uhid, name: 'Kavya Menon' }, status: 'admitted', bedId: bedG, warnings: [] });
    expect(admitted.ipNumber).toMatch(/^IP\/\d{2}-\d{2}\/000001$/);

    const transfer = (body: { fromBedId: string; toBedId: string; reason?: string }) => api.POST('/api/v1/wards/admissions/{id}/transfer', { params: { path: { id: admissionId } }, body });
    const moved = expectData(await transfer({ fromBedId: bedG, toBedId: bedI, reason: 'needs ventilation' }), 200);
    expect(moved.stays.map((s) => [s.categoryCode, s.dailyRatePaise])).toEqual([
      ['GENERAL', 200_000],
      ['ICU', 1_500_000],
    ]);
    // The live board shows who lies where until when (a read of patient data the gateway records).
    const live = expectData(await api.GET('/api/v1/wards/bed-board', { params: { query: { wardId: ward.id } } }), 200);
    const inIcu = live.wards[0].beds.find((b) => b.code === 'I1');
    expect(inIcu).toMatchObject({ state: 'occupied', category: 'ICU', isCriticalCare: true });
    expect(inIcu?.admission).toMatchObject({ id: admissionId, patientId: patient.id, uhid: patient.uhid, expectedDischargeAt: admitted.expectedDischargeAt });
    const stale = await transfer({ fromBedId: bedG, toBedId: bedI });
    expect(stale.response.status).toBe(409);
    expect(stale.response.headers.get('content-type')).toMatch(/^application\/problem\+json/);

    const discharge = () => api.POST('/api/v1/wards/admissions/{id}/discharge', { params: { path: { id: admissionId } }, body: { dischargeType: 'normal', notes: 'Stable on room air' } });
    const discharged = expectData(await discharge(), 200);
    expect(discharged).toMatchObject({ status: 'discharged', dischargeType: 'normal' });
    // No billing clearance has arrived: a warning, never a refusal (REC-05).
    expect(discharged.warnings.map((w) => w.code)).toEqual(['billing-not-cleared']);
    expect((await discharge()).response.status).toBe(409);

    const read = expectData(await api.GET('/api/v1/wards/admissions/{id}', { params: { path: { id: admissionId } } }), 200);
    expect(read).toMatchObject({ id: admissionId, patientId: patient.id, status: 'discharged', depositReference: 'RV/26-27/000001' });
    expect(read.stays).toHaveLength(2);

    const board = expectData(await api.GET('/api/v1/wards/bed-board', { params: { query: { wardId: ward.id } } }), 200);
    expect(board.wards[0].beds.map((b) => [b.code, b.state])).toEqual([
      ['G1', 'cleaning'],
      ['I1', 'cleaning'],
    ]);

    // Housekeeping makes the beds available again, and can do nothing more.
    expectData(
      await api.POST('/api/v1/admin/users', { body: { email: HOUSEKEEPER.email, name: 'Housekeeping Staff', password: HOUSEKEEPER.password, memberships: [{ branchId, roles: ['housekeeping'] }] } }),
      201,
    );
    const housekeeper = await signIn(HOUSEKEEPER.email, HOUSEKEEPER.password);
    expect(expectData(await housekeeper.POST('/api/v1/wards/beds/{id}/clean', { params: { path: { id: bedG } } }), 200).state).toBe('available');
    expect((await housekeeper.PUT('/api/v1/wards/beds/{id}/state', { params: { path: { id: bedI } }, body: { state: 'blocked' } })).response.status).toBe(403);
    expect((await housekeeper.POST('/api/v1/wards/admissions', { body: { ...admission, bedId: bedG } })).response.status).toBe(403);
    const history = expectData(await housekeeper.GET('/api/v1/wards/beds/{id}/history', { params: { path: { id: bedG } } }), 200);
    expect(history.items.map((e) => `${e.from}>${e.to}`)).toEqual(['cleaning>available', 'occupied>cleaning', 'available>occupied', 'null>available']);

    // The audit trail: the admission's events and the gateway's record of the reads.
    const trail = await eventually(
      async () => {
        const entries = expectData(await api.GET('/api/v1/audit/events', { params: { query: { patientId: patient.id, limit: 100 } } }), 200).items;
        const types = entries.map((e) => e.type);
        for (const t of ['patients.patient.registered', 'wards.admission.admitted', 'wards.admission.transferred', 'wards.admission.discharged']) expect(types).toContain(t);
        const reads = entries.filter((e) => e.type === 'gateway.access.patient-data-read').map((e) => (e.data as { path?: string }).path);
        expect(reads).toContain(`/api/v1/wards/admissions/${admissionId}`);
        expect(reads).toContain('/api/v1/wards/bed-board');
        return entries;
      },
      { timeoutMs: 30_000, what: 'the stay and its reads in the audit trail' },
    );
    const wardsEvents = trail.filter((e) => e.type.startsWith('wards.admission.'));
    expect(wardsEvents).toHaveLength(3);
    expect(wardsEvents.every((e) => e.actorId === me.id && (e.data as { admissionId?: string }).admissionId === admissionId)).toBe(true);
    expect((trail.find((e) => e.type === 'wards.admission.discharged')?.data as { dischargeType?: string } | undefined)?.dischargeType).toBe('normal');
    expect(expectData(await api.GET('/api/v1/audit/verify'), 200)).toMatchObject({ valid: true });
  });
});
