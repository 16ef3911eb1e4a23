import { aPatient, eventually, expectProblem, expectStatus, type HttpClient } from '@hms/platform-testing';
import { startE2ePlatform, type E2ePlatform } from './support';

// An in-patient's stay through the gateway, with the gateway, patients, audit and wards services
// as real processes on the postgres transport and a database of this file's own.
jest.setTimeout(120_000);

const ADMIN = { email: 'e2e-wards@hms.test', password: 'E2e-Wards-Pass-2026!' };
const HOUSEKEEPER = { email: 'housekeeping.e2e@hms.test', password: 'Clean-Beds-2026!' };
let e2e: E2ePlatform;
let gw: HttpClient;
let admin: string;

interface AuditEntry {
  type: string;
  actorId: string;
  patientIds: string[];
  data: { path?: string; admissionId?: string; dischargeType?: string };
}

async function login(email: string, password: string): Promise<string> {
  return (await e2e.login(email, password)).accessToken;
}

beforeAll(async () => {
  e2e = await startE2ePlatform(__filename, ADMIN);
  ({ gw } = e2e);
  admin = await login(ADMIN.email, ADMIN.password);
});

afterAll(() => e2e?.stop());

describe('an in-patient stay through the gateway', () => {
  it('registers, admits, transfers and discharges a patient; the bed board, housekeeping and the audit trail follow', async () => {
    const me = expectStatus(await gw.get('/api/v1/auth/me', { token: admin }), 200).body as { id: string; branches: { id: string }[] };
    const branchId = me.branches[0].id;

    // The patient, registered at the patients service.
    const patient = expectStatus(await gw.post('/api/v1/patients', aPatient().named('Kavya Menon').sex('F').born('1975-08-14').build(), { token: admin }), 201).body as { id: string; uhid: string };

    // Masters: the usual categories, dated tariffs, a ward with a general bed and an ICU bed.
    const categories = expectStatus(await gw.post('/api/v1/wards/bed-categories/defaults', undefined, { token: admin }), 200).body.items as { id: string; code: string }[];
    const general = categories.find((c) => c.code === 'GENERAL');
    const icu = categories.find((c) => c.code === 'ICU');
    if (!general || !icu) throw new Error('default categories missing');
    expectStatus(await gw.post(`/api/v1/wards/bed-categories/${general.id}/tariffs`, { effectiveFrom: '2025-04-01', dailyRatePaise: 200_000 }, { token: admin }), 201);
    expectStatus(await gw.post(`/api/v1/wards/bed-categories/${icu.id}/tariffs`, { effectiveFrom: '2025-04-01', dailyRatePaise: 1_500_000 }, { token: admin }), 201);
    const ward = expectStatus(await gw.post('/api/v1/wards/wards', { code: 'MW1', name: 'Medical ward 1', floor: '1', genderPolicy: 'female' }, { token: admin }), 201).body;
    const bedG = expectStatus(await gw.post('/api/v1/wards/beds', { wardId: ward.id, code: 'G1', categoryId: general.id }, { token: admin }), 201).body.id as string;
    const bedI = expectStatus(await gw.post('/api/v1/wards/beds', { wardId: ward.id, code: 'I1', categoryId: icu.id }, { token: admin }), 201).body.id as string;

    // The wards service learns of the patient from the patients service's events: retry until it has.
    const admission = {
      patientId: patient.id,
      bedId: bedG,
      admittingDoctor: { name: 'Dr. Meera Rao' },
      department: 'General medicine',
      reason: 'Community-acquired pneumonia',
      admissionType: 'emergency',
      expectedStayDays: 4,
      depositReference: 'RV/26-27/000001',
    };
    const idempotency = { token: admin, headers: { 'idempotency-key': `admit-${patient.id}` } };
    const admitted = await eventually(
      async () => {
        const r = await gw.post('/api/v1/wards/admissions', admission, idempotency);
        if (r.status === 422 && r.body.code === 'patient-unknown') throw new Error('the wards service does not know the patient yet');
        return expectStatus(r, 201);
      },
      { what: 'the wards service to know the newly registered patient' },
    );
    const admissionId = admitted.body.id as string;
    // A retry with the same Idempotency-Key (a lost response) replays the admission, not a second one.
    const retry = expectStatus(await gw.post('/api/v1/wards/admissions', admission, idempotency), 201);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.body.id).toBe(admissionId);
    expect(admitted.body).toMatchObject({ patientId: patient.id, patient: { uhid: patient.uhid, name: 'Kavya Menon' }, status: 'admitted', bedId: bedG, warnings: [] });
    expect(admitted.body.ipNumber).toMatch(/^IP\/\d{2}-\d{2}\/000001$/);

    const moved = expectStatus(await gw.post(`/api/v1/wards/admissions/${admissionId}/transfer`, { fromBedId: bedG, toBedId: bedI, reason: 'needs ventilation' }, { token: admin }), 200);
    expect(moved.body.stays.map((s: { categoryCode: string; dailyRatePaise: number }) => [s.categoryCode, s.dailyRatePaise])).toEqual([
      ['GENERAL', 200_000],
      ['ICU', 1_500_000],
    ]);
    // The live board shows who lies where until when (a read of patient data the gateway records).
    const live = expectStatus(await gw.get(`/api/v1/wards/bed-board?wardId=${ward.id}`, { token: admin }), 200);
    const inIcu = live.body.wards[0].beds.find((b: { code: string }) => b.code === 'I1');
    expect(inIcu).toMatchObject({ state: 'occupied', category: 'ICU', isCriticalCare: true });
    expect(inIcu.admission).toMatchObject({ id: admissionId, patientId: patient.id, uhid: patient.uhid, expectedDischargeAt: admitted.body.expectedDischargeAt });
    const stale = await gw.post(`/api/v1/wards/admissions/${admissionId}/transfer`, { fromBedId: bedG, toBedId: bedI }, { token: admin });
    expectProblem(stale, 409);

    const discharged = expectStatus(await gw.post(`/api/v1/wards/admissions/${admissionId}/discharge`, { dischargeType: 'normal', notes: 'Stable on room air' }, { token: admin }), 200);
    expect(discharged.body).toMatchObject({ status: 'discharged', dischargeType: 'normal' });
    // No billing clearance has arrived: a warning, never a refusal (REC-05).
    expect(discharged.body.warnings.map((w: { code: string }) => w.code)).toEqual(['billing-not-cleared']);
    expectProblem(await gw.post(`/api/v1/wards/admissions/${admissionId}/discharge`, { dischargeType: 'normal' }, { token: admin }), 409);

    const read = expectStatus(await gw.get(`/api/v1/wards/admissions/${admissionId}`, { token: admin }), 200);
    expect(read.body).toMatchObject({ id: admissionId, patientId: patient.id, status: 'discharged', depositReference: 'RV/26-27/000001' });
    expect(read.body.stays).toHaveLength(2);

    const board = expectStatus(await gw.get(`/api/v1/wards/bed-board?wardId=${ward.id}`, { token: admin }), 200);
    expect(board.body.wards[0].beds.map((b: { code: string; state: string }) => [b.code, b.state])).toEqual([
      ['G1', 'cleaning'],
      ['I1', 'cleaning'],
    ]);

    // Housekeeping makes the beds available again, and can do nothing more.
    expectStatus(
      await gw.post(
        '/api/v1/admin/users',
        { email: HOUSEKEEPER.email, name: 'Housekeeping Staff', password: HOUSEKEEPER.password, memberships: [{ branchId, roles: ['housekeeping'] }] },
        { token: admin },
      ),
      201,
    );
    const housekeeper = await login(HOUSEKEEPER.email, HOUSEKEEPER.password);
    expect(expectStatus(await gw.post(`/api/v1/wards/beds/${bedG}/clean`, undefined, { token: housekeeper }), 200).body.state).toBe('available');
    expectProblem(await gw.put(`/api/v1/wards/beds/${bedI}/state`, { state: 'blocked' }, { token: housekeeper }), 403);
    expectProblem(await gw.post('/api/v1/wards/admissions', { patientId: patient.id, bedId: bedG }, { token: housekeeper }), 403);
    const history = expectStatus(await gw.get(`/api/v1/wards/beds/${bedG}/history`, { token: housekeeper }), 200);
    expect(history.body.items.map((e: { from: string | null; to: string }) => `${e.from}>${e.to}`)).toEqual(['cleaning>available', 'occupied>cleaning', 'available>occupied', 'null>available']);

    // The audit trail: the admission's events and the gateway's record of the reads.
    const trail = await eventually(
      async () => {
        const r = expectStatus(await gw.get(`/api/v1/audit/events?patientId=${patient.id}&limit=100`, { token: admin }), 200);
        const entries = r.body.items as AuditEntry[];
        const types = entries.map((e) => e.type);
        for (const t of ['patients.patient.registered', 'wards.admission.admitted', 'wards.admission.transferred', 'wards.admission.discharged']) expect(types).toContain(t);
        const reads = entries.filter((e) => e.type === 'gateway.access.patient-data-read').map((e) => e.data.path);
        expect(reads).toContain(`/api/v1/wards/admissions/${admissionId}`);
        expect(reads).toContain('/api/v1/wards/bed-board');
        return entries;
      },
      { timeoutMs: 30_000, what: 'the stay and its reads in the audit trail' },
    );
    const wardsEvents = trail.filter((e) => e.type.startsWith('wards.admission.'));
    expect(wardsEvents).toHaveLength(3);
    expect(wardsEvents.every((e) => e.actorId === me.id && e.data.admissionId === admissionId)).toBe(true);
    expect(trail.find((e) => e.type === 'wards.admission.discharged')?.data.dischargeType).toBe('normal');
    const verify = expectStatus(await gw.get('/api/v1/audit/verify', { token: admin }), 200);
    expect(verify.body).toMatchObject({ valid: true });
  });
});
