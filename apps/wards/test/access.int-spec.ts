import { startServiceForTest, type ServiceHarness } from '@hms/platform-service-testing';
import { TestIdentity, expectProblem, type TestBranch, type TestResponse } from '@hms/platform-testing';
import { wardsDefinition } from '../src/wards.definition';
import { PatientFeed, admitBody, setUpWard, type WardSetup } from './support';

// Who may see and do what: branch isolation, roles, and input no endpoint should accept.
// Above Jest's 5 s default, for a loaded 2-core CI machine; a real hang still fails.
jest.setTimeout(30_000);
let h: ServiceHarness;
let feed: PatientFeed;
let branchA: TestBranch;
let branchB: TestBranch;
let adminA: string;
let adminB: string;
/** A member of both branches, acting in B through X-Branch-Id. */
let both: string;
let wardA: WardSetup;
let wardB: WardSetup;
let patientA: { id: string; uhid: string; name: string };
let patientB: { id: string; uhid: string; name: string };
let admissionA: TestResponse;

const DEFAULT_UUID = '01a20000-0000-7000-8000-000000000abc';

beforeAll(async () => {
  h = await startServiceForTest(wardsDefinition, __filename);
  feed = new PatientFeed(h);
  branchA = TestIdentity.branch('ACCA');
  branchB = TestIdentity.branch('ACCB');
  adminA = await h.identity.token({ branches: [{ branch: branchA, role: 'admin' }] });
  adminB = await h.identity.token({ branches: [{ branch: branchB, role: 'admin' }] });
  both = await h.identity.token({ branches: [{ branch: branchA, role: 'admin' }, { branch: branchB, role: 'admin' }] });
  wardA = await setUpWard(h.http, adminA, 'WA', 3);
  wardB = await setUpWard(h.http, adminB, 'WB', 2);
  [patientA] = await feed.register(branchA, 1);
  [patientB] = await feed.register(branchB, 1);
  admissionA = await h.http.post('/api/v1/wards/admissions', admitBody(patientA.id, wardA.bedIds[0]), { token: adminA });
  expect(admissionA.status).toBe(201);
});
afterAll(async () => {
  await feed?.close();
  await h?.stop();
});

/** What branch A's data looks like, to show that a refused request changed none of it. */
async function snapshotA(): Promise<unknown> {
  // One query at a time: h.db.admin is a single connection, and pg refuses overlapping queries on one.
  const beds = await h.db.admin('SELECT id, state, admission_id, reserved_for_patient_id, retired_at, version FROM wards.beds WHERE branch_id = $1 ORDER BY id', [branchA.id]);
  const admissions = await h.db.admin('SELECT id, status, bed_id, version FROM wards.admissions WHERE branch_id = $1 ORDER BY id', [branchA.id]);
  const stays = await h.db.admin('SELECT count(*) AS n FROM wards.bed_stays');
  const history = await h.db.admin('SELECT count(*) AS n FROM wards.bed_state_history');
  const outbox = await h.db.admin('SELECT count(*) AS n FROM wards.outbox');
  const wards = await h.db.admin('SELECT id, name, retired_at FROM wards.wards ORDER BY id');
  return { beds, admissions, stays, history, outbox, wards };
}

describe('branch isolation', () => {
  it('a user of branch B sees none of branch A’s beds, wards, admissions or patients', async () => {
    const [bedA] = wardA.bedIds;
    for (const path of [`beds/${bedA}`, `beds/${bedA}/history`, `admissions/${admissionA.body.id}`]) {
      const r = await h.http.get(`/api/v1/wards/${path}`, { token: adminB });
      expectProblem(r, 404);
    }
    const list = await h.http.get('/api/v1/wards/admissions', { token: adminB });
    expect(list.body.items).toEqual([]);
    expect((await h.http.get(`/api/v1/wards/admissions?patientId=${patientA.id}`, { token: adminB })).body.items).toEqual([]);
    const board = await h.http.get('/api/v1/wards/bed-board', { token: adminB });
    expect(board.body.wards.map((w: { code: string }) => w.code)).toEqual(['WB']);
    expect(JSON.stringify(board.body)).not.toContain(patientA.id);
    expect((await h.http.get(`/api/v1/wards/bed-board?wardId=${wardA.ward.id}`, { token: adminB })).body.wards).toEqual([]);
    expect((await h.http.get('/api/v1/wards/wards', { token: adminB })).body.items.map((w: { code: string }) => w.code)).toEqual(['WB']);
    const categories = (await h.http.get('/api/v1/wards/bed-categories', { token: adminB })).body.items as { id: string }[];
    expect(categories.map((c) => c.id)).not.toContain(wardA.category.id);
    expect((await h.http.get('/api/v1/wards/census', { token: adminB })).body).toMatchObject({ beds: 2, occupied: 0 });
  });

  it('a user of branch B cannot admit to, transfer, discharge, change or retire anything of branch A', async () => {
    const before = await snapshotA();
    const [bedA, freeA, otherA] = wardA.bedIds;
    const [bedB] = wardB.bedIds;

    const intoA = await h.http.post('/api/v1/wards/admissions', admitBody(patientB.id, freeA), { token: adminB });
    expectProblem(intoA, 404);
    expect(intoA.body.code).toBe('bed-not-found');
    const theirPatient = await h.http.post('/api/v1/wards/admissions', admitBody(patientA.id, bedB), { token: adminB });
    expectProblem(theirPatient, 422);
    expect(theirPatient.body.code).toBe('patient-unknown');
    expectProblem(await h.http.post(`/api/v1/wards/admissions/${admissionA.body.id}/transfer`, { fromBedId: bedA, toBedId: freeA }, { token: adminB }), 404);
    expectProblem(await h.http.post(`/api/v1/wards/admissions/${admissionA.body.id}/transfer`, { fromBedId: bedA, toBedId: bedB }, { token: adminB }), 404);
    expectProblem(await h.http.post(`/api/v1/wards/admissions/${admissionA.body.id}/discharge`, { dischargeType: 'absconded' }, { token: adminB }), 404);
    expectProblem(await h.http.put(`/api/v1/wards/beds/${freeA}/state`, { state: 'blocked' }, { token: adminB }), 404);
    expectProblem(await h.http.put(`/api/v1/wards/beds/${freeA}/state`, { state: 'reserved', patientId: patientB.id }, { token: adminB }), 404);
    expectProblem(await h.http.post(`/api/v1/wards/beds/${otherA}/retire`, undefined, { token: adminB }), 404);
    expectProblem(await h.http.post(`/api/v1/wards/wards/${wardA.ward.id}/retire`, undefined, { token: adminB }), 404);
    expectProblem(await h.http.patch(`/api/v1/wards/wards/${wardA.ward.id}`, { name: 'Taken over' }, { token: adminB }), 404);
    expectProblem(await h.http.post(`/api/v1/wards/wards/${wardA.ward.id}/rooms`, { code: 'RX' }, { token: adminB }), 404);
    expectProblem(await h.http.post('/api/v1/wards/beds', { wardId: wardA.ward.id, code: 'BX', categoryId: wardB.category.id }, { token: adminB }), 404);
    expectProblem(await h.http.post('/api/v1/wards/beds', { wardId: wardB.ward.id, code: 'BX', categoryId: wardA.category.id }, { token: adminB }), 404);
    expectProblem(await h.http.post(`/api/v1/wards/bed-categories/${wardA.category.id}/tariffs`, { effectiveFrom: '2026-01-01', dailyRatePaise: 1 }, { token: adminB }), 404);
    expectProblem(await h.http.post(`/api/v1/wards/bed-categories/${wardA.category.id}/retire`, undefined, { token: adminB }), 404);

    // A branch-B admission cannot be moved into a branch-A bed either.
    const admissionB = await h.http.post('/api/v1/wards/admissions', admitBody(patientB.id, bedB), { token: adminB });
    expect(admissionB.status).toBe(201);
    expectProblem(await h.http.post(`/api/v1/wards/admissions/${admissionB.body.id}/transfer`, { fromBedId: bedB, toBedId: freeA }, { token: adminB }), 404);
    expect(await snapshotAWithout(admissionB.body.id)).toEqual(before);
  });

  it('a member of both branches acts only in the branch named in X-Branch-Id, and only in branches granted', async () => {
    const before = await snapshotA();
    const auth = { token: both, branchId: branchB.id };
    expectProblem(await h.http.get(`/api/v1/wards/admissions/${admissionA.body.id}`, auth), 404);
    expectProblem(await h.http.post(`/api/v1/wards/admissions/${admissionA.body.id}/discharge`, { dischargeType: 'normal' }, auth), 404);
    expect((await h.http.get(`/api/v1/wards/admissions/${admissionA.body.id}`, { token: both, branchId: branchA.id })).status).toBe(200);
    const noHeader = await h.http.get('/api/v1/wards/bed-board', { token: both });
    expectProblem(noHeader, 400);
    expect(noHeader.body.code).toBe('branch-header-required');
    const notGranted = await h.http.get('/api/v1/wards/bed-board', { token: adminB, branchId: branchA.id });
    expectProblem(notGranted, 403);
    expect(notGranted.body.code).toBe('branch-not-granted');
    expect(await snapshotA()).toEqual(before);
  });
});

/** Branch A's snapshot, leaving out the counters a branch-B admission moved. */
async function snapshotAWithout(admissionB: string): Promise<unknown> {
  const now = (await snapshotA()) as Record<string, unknown>;
  const own = async (sql: string) => h.db.admin(sql, [admissionB]);
  const stays = await own('SELECT count(*) AS n FROM wards.bed_stays WHERE admission_id <> $1');
  const history = await own('SELECT count(*) AS n FROM wards.bed_state_history WHERE admission_id IS DISTINCT FROM $1');
  const outbox = await own(`SELECT count(*) AS n FROM wards.outbox WHERE key <> $1 AND envelope->'data'->>'admissionId' IS DISTINCT FROM $1`);
  return { ...now, stays, history, outbox };
}

describe('roles', () => {
  const tokenFor = (role: string) => h.identity.token({ branches: [{ branch: branchA, role }] });

  // Paths and bodies are built when a case runs, against branch A's real admission and beds.
  it.each([
    ['front-desk', 'admits', 'POST', () => '/api/v1/wards/admissions', () => admitBody(patientA.id, wardA.bedIds[2])],
    ['doctor', 'transfers', 'POST', () => `/api/v1/wards/admissions/${admissionA.body.id}/transfer`, () => ({ fromBedId: wardA.bedIds[0], toBedId: wardA.bedIds[2] })],
    ['nurse', 'discharges', 'POST', () => `/api/v1/wards/admissions/${admissionA.body.id}/discharge`, () => ({ dischargeType: 'normal' })],
    ['housekeeping', 'creates a ward', 'POST', () => '/api/v1/wards/wards', () => ({ code: 'HK', name: 'Housekeeping ward', genderPolicy: 'mixed' })],
    ['admission-desk', 'creates a bed', 'POST', () => '/api/v1/wards/beds', () => ({ wardId: wardA.ward.id, code: 'B9', categoryId: wardA.category.id })],
    ['ward-manager', 'admits', 'POST', () => '/api/v1/wards/admissions', () => admitBody(patientA.id, wardA.bedIds[2])],
    ['front-desk', 'retires a bed', 'POST', () => `/api/v1/wards/beds/${wardA.bedIds[2]}/retire`, () => undefined],
    ['billing-clerk', 'reads the bed board', 'GET', () => '/api/v1/wards/bed-board', () => undefined],
    ['auditor', 'reads an admission', 'GET', () => `/api/v1/wards/admissions/${admissionA.body.id}`, () => undefined],
    ['pharmacist', 'reads the census', 'GET', () => '/api/v1/wards/census', () => undefined],
  ])('role %s, which %s, gets 403 and changes nothing', async (role, _what, method, path, body) => {
    const before = await snapshotA();
    const r = await h.http.send(method, path(), body(), { token: await tokenFor(role) });
    expectProblem(r, 403);
    expect(r.body.code).toBe('permission-missing');
    expect(await snapshotA()).toEqual(before);
  });

  it('refuses a request without a token, or with a token from another issuer, with 401', async () => {
    expectProblem(await h.http.get('/api/v1/wards/bed-board'), 401);
    const stranger = await TestIdentity.start();
    const forged = await stranger.token({ branches: [{ branch: branchA, role: 'admin' }] });
    await stranger.stop();
    expectProblem(await h.http.post('/api/v1/wards/admissions', admitBody(patientA.id, wardA.bedIds[1]), { token: forged }), 401);
  });
});

describe('bad input', () => {
  const admitA = () => admitBody(patientA.id, wardA.bedIds[1]);
  // Bodies are built when a case runs: the patient and beds exist only after beforeAll.
  const cases: [string, number, string, () => { body?: unknown; raw?: string; contentType?: string }][] = [
    ['malformed JSON', 400, '/api/v1/wards/admissions', () => ({ raw: '{"patientId":' })],
    ['a JSON array', 400, '/api/v1/wards/admissions', () => ({ raw: '[]' })],
    ['unknown fields', 400, '/api/v1/wards/admissions', () => ({ body: { ...admitA(), status: 'discharged' } })],
    ['an unknown nested field', 400, '/api/v1/wards/admissions', () => ({ body: { ...admitA(), admittingDoctor: { name: 'Dr. X', isAdmin: true } } })],
    ['a number as a string', 400, '/api/v1/wards/admissions', () => ({ body: { ...admitA(), expectedStayDays: '3' } })],
    ['a string as an object', 400, '/api/v1/wards/admissions', () => ({ body: { ...admitA(), admittingDoctor: 'Dr. X' } })],
    ['a fractional stay', 400, '/api/v1/wards/admissions', () => ({ body: { ...admitA(), expectedStayDays: 2.5 } })],
    ['a stay over a year', 400, '/api/v1/wards/admissions', () => ({ body: { ...admitA(), expectedStayDays: 366 } })],
    ['a bad patient uuid', 400, '/api/v1/wards/admissions', () => ({ body: { ...admitA(), patientId: 'not-a-uuid' } })],
    ['a missing field', 400, '/api/v1/wards/admissions', () => ({ body: { ...admitA(), department: undefined } })],
    ['a NUL in a string', 400, '/api/v1/wards/admissions', () => ({ body: { ...admitA(), reason: 'fever\u0000; DROP TABLE wards.beds' } })],
    ['a prototype-polluting key', 400, '/api/v1/wards/admissions', () => ({ raw: `{"__proto__":{"admin":true},${JSON.stringify(admitA()).slice(1)}` })],
    ['deeply nested JSON', 400, '/api/v1/wards/admissions', () => ({ raw: `${'{"a":'.repeat(40)}1${'}'.repeat(40)}` })],
    ['an oversize body', 413, '/api/v1/wards/admissions', () => ({ body: { ...admitA(), reason: 'अ'.repeat(200_000) } })],
    ['a form body', 415, '/api/v1/wards/admissions', () => ({ raw: 'patientId=1', contentType: 'application/x-www-form-urlencoded' })],
    ['a reason of more than 1000 characters', 400, '/api/v1/wards/admissions', () => ({ body: { ...admitA(), reason: 'x'.repeat(1001) } })],
    ['SQL in a ward code', 400, '/api/v1/wards/wards', () => ({ body: { code: "W1'; DROP TABLE wards;--", name: 'Evil', genderPolicy: 'mixed' } })],
    ['script in a bed code', 400, '/api/v1/wards/beds', () => ({ body: { wardId: DEFAULT_UUID, code: '<script>', categoryId: DEFAULT_UUID } })],
    ['an unknown discharge type', 400, `/api/v1/wards/admissions/${DEFAULT_UUID}/discharge`, () => ({ body: { dischargeType: 'escaped' } })],
    ['a bad uuid in a transfer', 400, `/api/v1/wards/admissions/${DEFAULT_UUID}/transfer`, () => ({ body: { fromBedId: '1', toBedId: DEFAULT_UUID } })],
    ['the occupied state by hand', 400, `/api/v1/wards/beds/${DEFAULT_UUID}/state`, () => ({ body: { state: 'occupied' } })],
    ['a tariff as a string', 400, `/api/v1/wards/bed-categories/${DEFAULT_UUID}/tariffs`, () => ({ body: { effectiveFrom: '2026-04-01', dailyRatePaise: '600000' } })],
  ];

  it.each(cases)('%s is a %i problem+json and writes nothing', async (_label, status, path, build) => {
    const input = build();
    const before = await snapshotA();
    const method = path.endsWith('/state') ? 'PUT' : 'POST';
    const r = await h.http.send(method, path, input.body, { token: adminA, raw: input.raw, contentType: input.contentType });
    expectProblem(r, status);
    expect(r.headers.get('x-correlation-id')).toBeTruthy();
    expect(await snapshotA()).toEqual(before);
  });

  it.each([
    ['an admission id that is not a uuid', 'GET', '/api/v1/wards/admissions/123'],
    ['a discharge of an id that is not a uuid', 'POST', "/api/v1/wards/admissions/1'%20OR%20'1'='1/discharge"],
    ['a bed id that is not a uuid', 'GET', '/api/v1/wards/beds/..%2F..%2Fetc'],
    ['a bad status filter', 'GET', '/api/v1/wards/admissions?status=all'],
    ['a bad patient filter', 'GET', '/api/v1/wards/admissions?patientId=abc'],
    ['a page too large', 'GET', '/api/v1/wards/admissions?limit=100000'],
    ['a negative offset', 'GET', '/api/v1/wards/admissions?offset=-1'],
    ['a control character in a query', 'GET', '/api/v1/wards/admissions?status=%00'],
  ])('%s is a 400 problem+json', async (_label, method, path) => {
    const before = await snapshotA();
    const body = method === 'POST' ? { dischargeType: 'normal' } : undefined;
    expectProblem(await h.http.send(method, path, body, { token: adminA }), 400);
    expect(await snapshotA()).toEqual(before);
  });

  it.each([
    ['a doctor’s name of only spaces', { admittingDoctor: { name: '   ' } }, 'admittingDoctor.name'],
    ['a doctor’s name with a right-to-left override (U+202E)', { admittingDoctor: { name: 'Dr. \u202eoaR areeM' } }, 'admittingDoctor.name'],
    ['a doctor’s name with a left-to-right isolate (U+2066)', { admittingDoctor: { name: 'Dr. \u2066Meera\u2069 Rao' } }, 'admittingDoctor.name'],
    ['a doctor’s name with a pop directional formatting (U+202C)', { admittingDoctor: { name: 'Dr. Meera Rao\u202c' } }, 'admittingDoctor.name'],
    ['a doctor’s id of only spaces', { admittingDoctor: { id: '  ', name: 'Dr. Meera Rao' } }, 'admittingDoctor.id'],
    ['a department of only spaces', { department: '\t ' }, 'department'],
    ['a reason of only spaces', { reason: '   ' }, 'reason'],
  ])('refuses an admission with %s with 400 naming the field, writing nothing', async (_label, change, field) => {
    const before = await snapshotA();
    const r = await h.http.post('/api/v1/wards/admissions', { ...admitA(), ...change }, { token: adminA });
    expectProblem(r, 400);
    expect(r.body.errors.map((e: { field: string }) => e.field)).toEqual([field]);
    expect(r.body.detail).toContain(field);
    expect(await snapshotA()).toEqual(before);
  });

  it('admits a doctor whose name is written in another script, without bidirectional controls', async () => {
    const [patient] = await feed.register(branchA, 1);
    const bed = await h.http.post('/api/v1/wards/beds', { wardId: wardA.ward.id, code: 'BIDI', categoryId: wardA.category.id }, { token: adminA });
    const r = await h.http.post('/api/v1/wards/admissions', admitBody(patient.id, bed.body.id, { admittingDoctor: { name: 'डॉ. मीरा राव' } }), { token: adminA });
    expect(r.status).toBe(201);
    expect(r.body.admittingDoctor.name).toBe('डॉ. मीरा राव');
  });

  it('stores hostile text verbatim where free text is allowed, and nothing else happens', async () => {
    const hostile = `Robert'); DROP TABLE wards.beds;-- <img src=x onerror=alert(1)> \${7*7} {{7*7}} 😷 राम`;
    const ward = await h.http.post('/api/v1/wards/wards', { code: 'HOSTILE', name: hostile.slice(0, 100), genderPolicy: 'mixed', speciality: '%s%s%s%n' }, { token: adminA });
    expect(ward.status).toBe(201);
    expect(ward.body.name).toBe(hostile.slice(0, 100));
    const bed = await h.http.post('/api/v1/wards/beds', { wardId: ward.body.id, code: 'B1', categoryId: wardA.category.id }, { token: adminA });
    const [patient] = await feed.register(branchA, 1);
    const admitted = await h.http.post('/api/v1/wards/admissions', admitBody(patient.id, bed.body.id, { reason: hostile, department: '../../etc/passwd' }), { token: adminA });
    expect(admitted.status).toBe(201);
    const read = await h.http.get(`/api/v1/wards/admissions/${admitted.body.id}`, { token: adminA });
    expect(read.body).toMatchObject({ reason: hostile, department: '../../etc/passwd' });
    expect(Number((await h.db.admin<{ n: string }>('SELECT count(*) AS n FROM wards.beds'))[0].n)).toBeGreaterThan(0);
  });
});
