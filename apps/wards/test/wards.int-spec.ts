import { startServiceForTest, type ServiceHarness } from '@hms/platform-service-testing';
import { TestIdentity, eventually, expectProblem, type TestBranch } from '@hms/platform-testing';
import { wardsDefinition } from '../src/wards.definition';
import { PatientFeed, admitBody as admitBodyOf, setUpWard as setUpWardVia } from './support';

// Above Jest's 5 s default, for a loaded 2-core CI machine; a real hang still fails.
jest.setTimeout(30_000);

let h: ServiceHarness;
let feed: PatientFeed;
let branch: TestBranch;
let admin: string;

beforeAll(async () => {
  h = await startServiceForTest(wardsDefinition, __filename);
  feed = new PatientFeed(h);
  branch = TestIdentity.branch('WRD');
  admin = await h.identity.token({ branches: [{ branch, role: 'admin' }] });
});
afterAll(async () => {
  await feed?.close();
  await h?.stop();
});

const setUpWard = (code: string, beds: number) => setUpWardVia(h.http, admin, code, beds);
// This file's admissions name the doctor without an id.
const admitBody = (patientId: string, bedId: string) => admitBodyOf(patientId, bedId, { admittingDoctor: { name: 'Dr. Meera Rao' } });

describe('admission, transfer, discharge', () => {
  it('admits to a bed, transfers in one step (old bed to cleaning), discharges, and housekeeping frees the bed', async () => {
    const { bedIds } = await setUpWard('W1', 2);
    const [patient] = await feed.register(branch, 1);
    const admitted = await h.http.post('/api/v1/wards/admissions', admitBody(patient.id, bedIds[0]), { token: admin });
    expect(admitted.status).toBe(201);
    expect(admitted.body.ipNumber).toMatch(/^IP\/\d{2}-\d{2}\/\d{6}$/);
    expect(admitted.body.patient.uhid).toBe(patient.uhid);

    const transferred = await h.http.post(`/api/v1/wards/admissions/${admitted.body.id}/transfer`, { fromBedId: bedIds[0], toBedId: bedIds[1] }, { token: admin });
    expect(transferred.status).toBe(200);
    expect(transferred.body.stays).toHaveLength(2);
    expect(transferred.body.stays[0].to).not.toBeNull();
    expect((await h.http.get(`/api/v1/wards/beds/${bedIds[0]}`, { token: admin })).body.state).toBe('cleaning');

    const again = await h.http.post(`/api/v1/wards/admissions/${admitted.body.id}/transfer`, { fromBedId: bedIds[0], toBedId: bedIds[0] }, { token: admin });
    expectProblem(again, 400);

    const discharged = await h.http.post(`/api/v1/wards/admissions/${admitted.body.id}/discharge`, { dischargeType: 'normal' }, { token: admin });
    expect(discharged.status).toBe(200);
    expect(discharged.body.status).toBe('discharged');
    expect(discharged.body.warnings[0].code).toBe('billing-not-cleared');
    expect((await h.http.get(`/api/v1/wards/beds/${bedIds[1]}`, { token: admin })).body.state).toBe('cleaning');
    expect((await h.http.post(`/api/v1/wards/beds/${bedIds[1]}/clean`, undefined, { token: admin })).body.state).toBe('available');
  });

  it('refuses an unknown patient clearly', async () => {
    const { bedIds } = await setUpWard('W2', 1);
    const r = await h.http.post('/api/v1/wards/admissions', admitBody('01a20000-0000-7000-8000-0000000000ff', bedIds[0]), { token: admin });
    expectProblem(r, 422);
    expect(r.body.code).toBe('patient-unknown');
  });
});

describe('concurrency', () => {
  // A minute is far more than this needs even on a loaded 2-core machine (under ten seconds idle),
  // yet a deadlock or a lost request still fails the test instead of hanging CI.
  const RACE_TIMEOUT_MS = 60_000;

  it(
    '200 concurrent admissions onto 50 beds give exactly 50 admissions, one patient per bed, one bed per patient',
    async () => {
      const { bedIds } = await setUpWard('CONC', 50);
      const patients = await feed.register(branch, 150);
      // 200 attempts. Patients 0–149 each want bed i % 50, so every bed is wanted by three patients;
      // patients 0–49 also want a second, different bed (i + 25) % 50 at the same moment, so every
      // bed is wanted by four desks and 50 patients race themselves for two beds. Requests are sent
      // in groups of four (patient k's two beds side by side, then the other two who want bed k).
      const single = patients.map((p, i) => ({ patientId: p.id, bedId: bedIds[i % 50] }));
      const double = patients.slice(0, 50).map((p, i) => ({ patientId: p.id, bedId: bedIds[(i + 25) % 50] }));
      const attempts = Array.from({ length: 50 }, (_, k) => [single[k], double[k], single[50 + k], single[100 + k]]).flat();
      for (const p of patients.slice(0, 50)) expect(new Set(attempts.filter((a) => a.patientId === p.id).map((a) => a.bedId)).size).toBe(2);
      for (const b of bedIds) expect(new Set(attempts.filter((a) => a.bedId === b).map((a) => a.patientId)).size).toBe(4);

      const results = await Promise.all(attempts.map((a) => h.http.post('/api/v1/wards/admissions', admitBody(a.patientId, a.bedId), { token: admin })));
      const statuses = results.map((r) => r.status);
      expect(statuses.filter((s) => s === 201)).toHaveLength(50);
      expect(statuses.filter((s) => s !== 201 && s !== 409)).toEqual([]);
      for (const r of results.filter((x) => x.status === 409)) expect(r.body.detail).toMatch(/occupied|already admitted|admitted by someone else/);
      const occupied = await h.db.admin<{ n: string }>(`SELECT count(*) AS n FROM wards.beds WHERE ward_id = (SELECT id FROM wards.wards WHERE code = 'CONC') AND state = 'occupied'`);
      expect(occupied[0].n).toBe('50');
      const perPatient = await h.db.admin(`SELECT patient_id FROM wards.admissions WHERE status = 'admitted' GROUP BY patient_id HAVING count(*) > 1`);
      expect(perPatient).toEqual([]);
      // One patient per bed: the 50 admissions lie in 50 different beds, each bed holding that very admission.
      const placed = await h.db.admin<{ id: string; bed_id: string; admission_id: string }>(
        `SELECT a.id, a.bed_id, b.admission_id FROM wards.admissions a JOIN wards.beds b ON b.id = a.bed_id WHERE a.id = ANY($1::uuid[])`,
        [results.filter((r) => r.status === 201).map((r) => r.body.id)],
      );
      expect(new Set(placed.map((p) => p.bed_id)).size).toBe(50);
      expect(placed.filter((p) => p.admission_id !== p.id)).toEqual([]);
      // No patient who raced themselves for two beds was told 201 twice.
      const doubled = new Set(double.map((d) => d.patientId));
      const won = attempts.filter((a, i) => doubled.has(a.patientId) && results[i].status === 201).map((a) => a.patientId);
      expect(new Set(won).size).toBe(won.length);
      const ipNumbers = results.filter((r) => r.status === 201).map((r) => Number(String(r.body.ipNumber).slice(-6))).sort((a, b) => a - b);
      expect(new Set(ipNumbers).size).toBe(50);
      expect(ipNumbers[49] - ipNumbers[0]).toBe(49);
    },
    RACE_TIMEOUT_MS,
  );
});

describe('patient merges', () => {
  it('moves the merged-away record’s admissions to the survivor, open ones only if the survivor has none', async () => {
    const { bedIds } = await setUpWard('MRG', 3);
    const [survivor, duplicate, other, otherDuplicate] = await feed.register(branch, 4);
    const open = await h.http.post('/api/v1/wards/admissions', admitBody(duplicate.id, bedIds[0]), { token: admin });
    expect(open.status).toBe(201);
    await feed.merge(branch, duplicate, survivor);
    await eventually(async () => {
      const moved = await h.http.get(`/api/v1/wards/admissions/${open.body.id}`, { token: admin });
      expect(moved.body.patientId).toBe(survivor.id);
      expect(moved.body.patient.uhid).toBe(survivor.uhid);
    });
    // Both records hold an open stay: the merged one keeps its own until a person decides.
    const a = await h.http.post('/api/v1/wards/admissions', admitBody(other.id, bedIds[1]), { token: admin });
    const b = await h.http.post('/api/v1/wards/admissions', admitBody(otherDuplicate.id, bedIds[2]), { token: admin });
    await feed.merge(branch, otherDuplicate, other);
    expect((await h.http.get(`/api/v1/wards/admissions/${b.body.id}`, { token: admin })).body.patientId).toBe(otherDuplicate.id);
    expect((await h.http.get(`/api/v1/wards/admissions/${a.body.id}`, { token: admin })).body.patientId).toBe(other.id);
  });
});
