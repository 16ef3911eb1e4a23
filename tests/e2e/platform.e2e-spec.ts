import { aPatient, eventually, expectProblem, TestIdentity, type HttpClient, type TestDatabase } from '@hms/platform-testing';
import type { RunningPlatform } from '../../tools/launcher/platform';
import path from 'node:path';
import { COMMITTED_DOCUMENT, readCommittedDocument, serialiseDocument } from '../../tools/openapi/document';
import { startE2ePlatform, type E2ePlatform } from './support';

// The gateway, patients and audit services as real processes on the postgres transport, on a
// database of this file's own, driven over HTTP through the gateway only.
jest.setTimeout(120_000);

const ADMIN = { email: 'e2e-admin@hms.test', password: 'E2e-Admin-Pass-2026!' };
let db: TestDatabase;
let platform: RunningPlatform;
let e2e: E2ePlatform;
let gw: HttpClient;
let admin: string;
let mainBranch: string;

function login(email: string, password: string): Promise<{ accessToken: string; refreshToken: string }> {
  return e2e.login(email, password);
}

beforeAll(async () => {
  e2e = await startE2ePlatform(__filename, ADMIN);
  ({ db, platform, gw } = e2e);
  admin = (await login(ADMIN.email, ADMIN.password)).accessToken;
  mainBranch = (await gw.get('/api/v1/auth/me', { token: admin })).body.branches[0].id;
});

afterAll(() => e2e?.stop());

const auditFor = (patientId: string) => gw.get(`/api/v1/audit/events?patientId=${patientId}&limit=100`, { token: admin });

describe('a day at the registration desk', () => {
  it('registers in Devanagari and Latin script, finds a misspelt name, and audits every step', async () => {
    const heena = await gw.post('/api/v1/patients', aPatient().named('Heena Patel').born('1980-05-02').withPhone('+919812300001').withAbha('91-3772-0586-4665').build(), { token: admin });
    expect(heena.status).toBe(201);
    expect(heena.body.uhid).toMatch(/^MAIN\d{8}$/);
    const anita = await gw.post('/api/v1/patients', aPatient().named('अनीता देवी').aged(44).withPhone('+919812300002').build(), { token: admin });
    expect(anita.status).toBe(201);

    const dup = await gw.post('/api/v1/patients', aPatient().named('Heena Patel').born('1980-05-02').withPhone('+919812300001').build(), { token: admin });
    expectProblem(dup, 409);

    const hina = await gw.get('/api/v1/patients?q=Hina%20Patel', { token: admin });
    expect(hina.body.items.map((p: { uhid: string }) => p.uhid)).toContain(heena.body.uhid);
    const anitaLatin = await gw.get('/api/v1/patients?q=Anita%20Devi', { token: admin });
    expect(anitaLatin.body.items.map((p: { id: string }) => p.id)).toContain(anita.body.id);
    const byId = await gw.get(`/api/v1/patients/${heena.body.id}`, { token: admin });
    expect(byId.status).toBe(200);

    const trail = await eventually(
      async () => {
        const r = await auditFor(heena.body.id);
        const types = r.body.items.map((e: { type: string }) => e.type);
        expect(types).toContain('patients.patient.registered');
        expect(types.filter((t: string) => t === 'gateway.access.patient-data-read').length).toBeGreaterThanOrEqual(2);
        return r.body.items as { type: string; actorId: string; data: { search?: boolean } }[];
      },
      { what: 'the registration and the reads in the audit trail' },
    );
    const me = (await gw.get('/api/v1/auth/me', { token: admin })).body.id;
    expect(trail.every((e) => e.actorId === me)).toBe(true);
    expect(trail.some((e) => e.type === 'gateway.access.patient-data-read' && e.data.search === true)).toBe(true);
    expect((await gw.get('/api/v1/audit/verify', { token: admin })).body).toMatchObject({ valid: true });
  });
});

describe('reliable events', () => {
  it('a restart of the audit service mid-stream loses and duplicates no event', async () => {
    const register = (n: number) =>
      Promise.all(Array.from({ length: n }, () => gw.post('/api/v1/patients', aPatient().build(), { token: admin }).then((r) => r.body.id as string)));
    const first = await register(15);
    await platform.stopApp('audit', 'SIGKILL');
    const during = await register(15);
    const restarting = platform.startApp('audit');
    const after = await register(15);
    await restarting;
    const ids = [...first, ...during, ...after];
    expect(new Set(ids).size).toBe(45);
    await eventually(
      async () => {
        const rows = await db.admin<{ patient: string; n: string }>(
          `SELECT patient_ids[1]::text AS patient, count(*) AS n FROM audit.entries
           WHERE type = 'patients.patient.registered' AND patient_ids[1] = ANY($1::uuid[]) GROUP BY 1`,
          [ids],
        );
        expect(rows).toHaveLength(45);
        expect(rows.every((r) => r.n === '1')).toBe(true);
      },
      { timeoutMs: 40_000, what: 'each registration in the audit trail exactly once' },
    );
    const dupes = await db.admin(`SELECT event_id FROM audit.entries GROUP BY event_id HAVING count(*) > 1`);
    expect(dupes).toEqual([]);
    expect((await gw.get('/api/v1/audit/verify', { token: admin })).body.valid).toBe(true);
  });
});

describe('access control through the gateway', () => {
  let branchB: string;
  let clerkB: string;
  let patientA: { id: string; uhid: string };

  beforeAll(async () => {
    const b = await gw.post('/api/v1/admin/branches', { code: 'PUNE', name: 'Pune Hospital' }, { token: admin, branchId: mainBranch });
    expect(b.status).toBe(201);
    branchB = b.body.id;
    // Grants travel in the token: sign in again to act in the new branch.
    admin = (await login(ADMIN.email, ADMIN.password)).accessToken;
    const user = await gw.post(
      '/api/v1/admin/users',
      { email: 'desk.pune@hms.test', name: 'Pune Desk', password: 'Desk-Pass-2026!', memberships: [{ branchId: branchB, roles: ['front-desk'] }] },
      { token: admin, branchId: mainBranch },
    );
    expect(user.status).toBe(201);
    clerkB = (await login('desk.pune@hms.test', 'Desk-Pass-2026!')).accessToken;
    patientA = (await gw.post('/api/v1/patients', aPatient().named('Saanvi Kulkarni').build(), { token: admin, branchId: mainBranch })).body;
  });

  it('a user of branch B cannot see, search or change a branch-A patient', async () => {
    expectProblem(await gw.get(`/api/v1/patients/${patientA.id}`, { token: clerkB }), 404);
    expect((await gw.get(`/api/v1/patients?q=${patientA.uhid}`, { token: clerkB })).body.items).toEqual([]);
    expect((await gw.get('/api/v1/patients?q=Saanvi%20Kulkarni', { token: clerkB })).body.items).toEqual([]);
    expectProblem(await gw.patch(`/api/v1/patients/${patientA.id}`, { name: 'X Y' }, { token: clerkB, headers: { 'if-match': '"1"' } }), 404);
    expectProblem(await gw.get('/api/v1/patients?q=ab', { token: clerkB, branchId: mainBranch }), 403);
    const own = await gw.post('/api/v1/patients', aPatient().build(), { token: clerkB });
    expect(own.body.uhid).toMatch(/^PUNE\d{8}$/);
  });

  it('an expired or forged token is a 401 and a wrong role a 403', async () => {
    const forger = await TestIdentity.start();
    const forged = await forger.token({ branches: [{ branch: { id: mainBranch, code: 'MAIN' }, role: 'admin' }] });
    await forger.stop();
    expectProblem(await gw.get('/api/v1/patients?q=ab', { token: forged }), 401);
    expectProblem(await gw.get('/api/v1/patients?q=ab', { token: `${admin.slice(0, -4)}AAAA` }), 401);
    expectProblem(await gw.get('/api/v1/patients?q=ab'), 401);
    expectProblem(await gw.get('/api/v1/audit/events', { token: clerkB }), 403);
    expectProblem(await gw.get('/api/v1/admin/users', { token: clerkB }), 403);
  });

  it('a signed-out token is refused', async () => {
    const session = await login('desk.pune@hms.test', 'Desk-Pass-2026!');
    expect((await gw.get('/api/v1/patients?q=ab', { token: session.accessToken })).status).toBe(200);
    expect((await gw.post('/api/v1/auth/logout', { refreshToken: session.refreshToken }, { token: session.accessToken })).status).toBe(204);
    expectProblem(await gw.get('/api/v1/patients?q=ab', { token: session.accessToken }), 401);
    expectProblem(await gw.post('/api/v1/auth/refresh', { refreshToken: session.refreshToken }), 401);
  });
});

describe('bad input through the gateway', () => {
  const count = async () => Number((await db.admin<{ n: string }>('SELECT count(*) AS n FROM patients.patients'))[0].n);
  const cases: [string, number, { body?: unknown; raw?: string }][] = [
    ['malformed JSON', 400, { raw: '{"name":' }],
    ['unknown fields', 400, { body: { ...aPatient().build(), isAdmin: true } }],
    ['wrong types', 400, { body: { ...aPatient().build(), name: 42 } }],
    ['an oversize body', 413, { body: { ...aPatient().build(), name: 'अ'.repeat(200_000) } }],
    ['a NUL in a string', 400, { body: aPatient().named('A\u0000B').build() }],
    ['deeply nested JSON', 400, { raw: `${'{"a":'.repeat(50)}1${'}'.repeat(50)}` }],
  ];
  it.each(cases)('%s is a %i problem+json and leaves nothing behind', async (_label, status, input) => {
    const before = await count();
    const r = await gw.post('/api/v1/patients', input.body, { token: admin, raw: input.raw });
    expectProblem(r, status);
    expect(r.headers.get('x-correlation-id')).toBeTruthy();
    expect(await count()).toBe(before);
  });

  it('documents every service at /docs/openapi.json', async () => {
    const doc = await gw.get('/docs/openapi.json');
    const paths = Object.keys(doc.body.paths);
    expect(paths).toEqual(expect.arrayContaining(['/api/v1/auth/login', '/api/v1/patients', '/api/v1/audit/events', '/api/v1/audit/verify']));
    expect((await gw.get('/docs')).text).toContain('swagger-ui');
  });

  it(`serves the API committed in ${COMMITTED_DOCUMENT}: a change to the API is a change to that file (npm run openapi)`, async () => {
    const served = serialiseDocument((await gw.get('/docs/openapi.json')).body);
    const committed = readCommittedDocument(path.resolve(__dirname, '..', '..'));
    expect(committed).not.toBeNull();
    if (served !== committed) {
      const a = served.split('\n');
      const b = (committed ?? '').split('\n');
      const line = a.findIndex((l, i) => l !== b[i]);
      throw new Error(`${COMMITTED_DOCUMENT} differs from what the code serves from line ${line + 1}: committed ${JSON.stringify(b[line])}, served ${JSON.stringify(a[line])}. Run \`npm run openapi\` and commit the file.`);
    }
  });

  it('gives every schema of every service a name of its own, and documents paging as optional whole numbers', async () => {
    const doc = (await gw.get('/docs/openapi.json')).body as {
      info: { description: string };
      'x-hms-schema-collisions'?: string[];
      paths: Record<string, Record<string, { parameters?: { name: string; in: string; required?: boolean; schema?: { type?: string } }[] }>>;
    };
    expect(doc.info.description).not.toMatch(/Not reachable/);
    expect(doc['x-hms-schema-collisions']).toBeUndefined();
    const paging = Object.entries(doc.paths).flatMap(([path, item]) =>
      Object.entries(item).flatMap(([method, op]) =>
        (op.parameters ?? []).filter((p) => p.in === 'query' && (p.name === 'limit' || p.name === 'offset')).map((p) => ({ at: `${method.toUpperCase()} ${path} ${p.name}`, required: p.required ?? false, type: p.schema?.type })),
      ),
    );
    expect(paging.length).toBeGreaterThan(20);
    expect(paging.filter((p) => p.required || p.type !== 'integer')).toEqual([]);
  });
});
