import { BUILT_IN_ROLES } from '@hms/contracts-common';
import type { ServiceHarness } from '@hms/platform-service-testing';
import { TestIdentity, aPatient, expectProblem, type TestBranch } from '@hms/platform-testing';
import { countPatients as countIn, startPatients, tokenFor } from './support';

let h: ServiceHarness;
let branchA: TestBranch;
let branchB: TestBranch;
let adminA: string;
let adminB: string;

beforeAll(async () => {
  h = await startPatients(__filename);
  branchA = TestIdentity.branch('BRA');
  branchB = TestIdentity.branch('BRB');
  adminA = await tokenFor(h, branchA);
  adminB = await tokenFor(h, branchB);
});
afterAll(() => h?.stop());

const countPatients = () => countIn(h);

describe('registration', () => {
  it('registers a patient in Devanagari and issues a UHID with the branch prefix', async () => {
    const r = await h.http.post('/api/v1/patients', aPatient().named('अनीता देवी').aged(44).build(), { token: adminA });
    expect(r.status).toBe(201);
    expect(r.body.uhid).toMatch(/^BRA\d{8}$/);
    expect(r.body.name).toBe('अनीता देवी');
    expect(r.body.dateOfBirthEstimated).toBe(true);
    expect(r.headers.get('etag')).toBe('"1"');
    const found = await h.http.get(`/api/v1/patients?q=${encodeURIComponent('Anita Devi')}`, { token: adminA });
    expect(found.body.items.map((p: { id: string }) => p.id)).toContain(r.body.id);
  });

  it('gives 50 concurrent registrations 50 distinct, gap-free UHIDs', async () => {
    const before = (await h.http.get('/api/v1/patients/settings/uhid', { token: adminA })).body.nextValue as number;
    const results = await Promise.all(Array.from({ length: 50 }, () => h.http.post('/api/v1/patients', aPatient().build(), { token: adminA })));
    expect(results.map((r) => r.status)).toEqual(Array(50).fill(201));
    const numbers = results.map((r) => Number(String(r.body.uhid).slice(3))).sort((a, b) => a - b);
    expect(new Set(numbers).size).toBe(50);
    expect(numbers).toEqual(Array.from({ length: 50 }, (_, i) => before + i));
  });

  it('flags a likely duplicate with 409 and registers it once confirmed', async () => {
    const body = aPatient().named('Heena Patel').born('1980-05-02').withPhone('+919812300001').build();
    const first = await h.http.post('/api/v1/patients', body, { token: adminA });
    expect(first.status).toBe(201);
    const again = await h.http.post('/api/v1/patients', { ...body, name: 'Hina Patel' }, { token: adminA });
    expectProblem(again, 409);
    expect(again.body.candidates[0].uhid).toBe(first.body.uhid);
    const confirmed = await h.http.post('/api/v1/patients', { ...body, name: 'Hina Patel', confirmedNotDuplicate: true }, { token: adminA });
    expect(confirmed.status).toBe(201);
    expect(confirmed.body.uhid).not.toBe(first.body.uhid);
  });

  it('treats the same ABHA number as the same person even when confirmed, and warns on a bad check digit', async () => {
    const warned = await h.http.post('/api/v1/patients', aPatient().withAbha('91-3772-0586-4664').build(), { token: adminA });
    expect(warned.status).toBe(201);
    expect(warned.body.warnings.map((w: { code: string }) => w.code)).toEqual(['abha-check-digit']);
    const dup = await h.http.post('/api/v1/patients', aPatient().withAbha('91-3772-0586-4664').confirmed().build(), { token: adminA });
    expectProblem(dup, 409);
    expect(dup.body.code).toBe('patient-abha-registered');
  });

  it('replays a retried registration with the same Idempotency-Key instead of registering twice', async () => {
    const body = aPatient().build();
    const headers = { 'idempotency-key': `reg-${Date.now()}-abc` };
    const a = await h.http.post('/api/v1/patients', body, { token: adminA, headers });
    const b = await h.http.post('/api/v1/patients', body, { token: adminA, headers });
    expect(a.status).toBe(201);
    expect(b.status).toBe(201);
    expect(b.body.id).toBe(a.body.id);
    expect(b.headers.get('idempotent-replayed')).toBe('true');
  });
});

describe('bad input leaves nothing behind', () => {
  const cases: [string, number, { body?: unknown; raw?: string; contentType?: string }][] = [
    ['malformed JSON', 400, { raw: '{"name": "x",' }],
    ['unknown fields', 400, { body: { ...aPatient().build(), favouriteColour: 'blue' } }],
    ['wrong types', 400, { body: { ...aPatient().build(), sex: 7, ageYears: 'forty' } }],
    ['a name with a NUL byte', 400, { body: aPatient().named('Ravi\u0000Kumar').build() }],
    ['a 13-digit ABHA number', 400, { body: aPatient().withAbha('91-3772-0586-466').build() }],
    ['a bad ABHA address', 400, { body: aPatient().withAbhaAddress('.abc@abdm').build() }],
    ['a landline', 400, { body: aPatient().withPhone('020-2612-3456').build() }],
    ['a future birth date', 400, { body: aPatient().born('2999-01-01').build() }],
    ['an impossible date', 400, { body: aPatient().born('2023-02-30').build() }],
    ['prototype pollution', 400, { raw: '{"name":"A B","sex":"M","ageYears":3,"__proto__":{"admin":true}}' }],
    ['an oversize body', 413, { body: { ...aPatient().build(), name: 'x'.repeat(300_000) } }],
    ['a non-JSON content type', 415, { raw: 'name=x', contentType: 'application/x-www-form-urlencoded' }],
  ];
  it.each(cases)('%s is a %i problem+json and writes nothing', async (_label, status, input) => {
    const before = await countPatients();
    const r = await h.http.post('/api/v1/patients', input.body, { token: adminA, raw: input.raw, contentType: input.contentType });
    expectProblem(r, status);
    expect(await countPatients()).toBe(before);
  });

  it('hostile strings are stored and returned verbatim, not interpreted', async () => {
    const name = `Robert'); DROP TABLE patients;-- <script>alert(1)</script>`;
    const r = await h.http.post('/api/v1/patients', aPatient().named(name).build(), { token: adminA });
    expect(r.status).toBe(201);
    expect((await h.http.get(`/api/v1/patients/${r.body.id}`, { token: adminA })).body.name).toBe(name);
  });
});

describe('branch isolation', () => {
  it('a user of branch B cannot see, search or change a branch-A patient', async () => {
    const p = (await h.http.post('/api/v1/patients', aPatient().named('Meera Iyer').build(), { token: adminA })).body;
    expectProblem(await h.http.get(`/api/v1/patients/${p.id}`, { token: adminB }), 404);
    expect((await h.http.get(`/api/v1/patients?q=${p.uhid}`, { token: adminB })).body.items).toEqual([]);
    expect((await h.http.get('/api/v1/patients?q=Meera%20Iyer', { token: adminB })).body.items).toEqual([]);
    expectProblem(await h.http.patch(`/api/v1/patients/${p.id}`, { name: 'Changed' }, { token: adminB, headers: { 'if-match': '"1"' } }), 404);
    expect((await h.http.get(`/api/v1/patients/${p.id}`, { token: adminA })).body.name).toBe('Meera Iyer');
  });

  it('refuses a branch the token does not grant', async () => {
    expectProblem(await h.http.get('/api/v1/patients?q=ab', { token: adminA, branchId: branchB.id }), 403);
  });
});

describe('access', () => {
  it('an expired or forged token is a 401, a missing permission a 403', async () => {
    const expired = await h.identity.token({ branches: [{ branch: branchA, role: 'admin' }], expiresInSeconds: -60 });
    expectProblem(await h.http.get('/api/v1/patients?q=ab', { token: expired }), 401);
    const other = await TestIdentity.start();
    const forged = await other.token({ branches: [{ branch: branchA, role: 'admin' }] });
    await other.stop();
    expectProblem(await h.http.get('/api/v1/patients?q=ab', { token: forged }), 401);
    expectProblem(await h.http.get('/api/v1/patients?q=ab'), 401);
    const auditor = await h.identity.token({ branches: [{ branch: branchA, permissions: BUILT_IN_ROLES.auditor }] });
    expectProblem(await h.http.get('/api/v1/patients?q=ab', { token: auditor }), 403);
    const frontDesk = await h.identity.token({ branches: [{ branch: branchA, role: 'front-desk' }] });
    const p = (await h.http.post('/api/v1/patients', aPatient().build(), { token: frontDesk })).body;
    expectProblem(await h.http.post(`/api/v1/patients/${p.id}/merge`, { mergedPatientId: p.id }, { token: frontDesk }), 403);
  });
});

describe('update and merge', () => {
  it('updates with If-Match and refuses a stale or missing version', async () => {
    const p = (await h.http.post('/api/v1/patients', aPatient().build(), { token: adminA })).body;
    expectProblem(await h.http.patch(`/api/v1/patients/${p.id}`, { name: 'New Name' }, { token: adminA }), 428);
    const ok = await h.http.patch(`/api/v1/patients/${p.id}`, { name: 'Kavya Menon', phone: null }, { token: adminA, headers: { 'if-match': '"1"' } });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ name: 'Kavya Menon', phone: null, version: 2 });
    expectProblem(await h.http.patch(`/api/v1/patients/${p.id}`, { name: 'Lost Update' }, { token: adminA, headers: { 'if-match': '"1"' } }), 412);
  });

  it('of two concurrent updates of one version exactly one wins', async () => {
    const p = (await h.http.post('/api/v1/patients', aPatient().build(), { token: adminA })).body;
    const results = await Promise.all(
      ['Arjun Das', 'Arjun Dass'].map((name) => h.http.patch(`/api/v1/patients/${p.id}`, { name }, { token: adminA, headers: { 'if-match': '"1"' } })),
    );
    expect(results.map((r) => r.status).sort()).toEqual([200, 412]);
  });

  it('merges a duplicate; its UHID then resolves to the survivor', async () => {
    const survivor = (await h.http.post('/api/v1/patients', aPatient().named('Farhan Khan').build(), { token: adminA })).body;
    const dup = (await h.http.post('/api/v1/patients', aPatient().named('Farhaan Khan').withAbha('91-3772-0586-4665').build(), { token: adminA })).body;
    const merged = await h.http.post(`/api/v1/patients/${survivor.id}/merge`, { mergedPatientId: dup.id }, { token: adminA });
    expect(merged.status).toBe(200);
    expect(merged.body.abhaNumber).toBe('91-3772-0586-4665');
    const byUhid = await h.http.get(`/api/v1/patients/by-uhid/${dup.uhid}`, { token: adminA });
    expect(byUhid.body.id).toBe(survivor.id);
    const search = await h.http.get(`/api/v1/patients?q=${dup.uhid}`, { token: adminA });
    expect(search.body.items.map((i: { id: string }) => i.id)).toEqual([survivor.id]);
    expect((await h.http.get(`/api/v1/patients/${dup.id}`, { token: adminA })).body).toMatchObject({ status: 'merged', mergedInto: survivor.id });
    expectProblem(await h.http.post(`/api/v1/patients/${survivor.id}/merge`, { mergedPatientId: dup.id }, { token: adminA }), 409);
  });

  it('writes registered, updated and merged events to the outbox', async () => {
    const rows = await h.db.admin<{ type: string }>(`SELECT DISTINCT envelope->>'type' AS type FROM patients.outbox`);
    expect(rows.map((r) => r.type).sort()).toEqual(['patients.patient.merged', 'patients.patient.registered', 'patients.patient.updated']);
  });
});
