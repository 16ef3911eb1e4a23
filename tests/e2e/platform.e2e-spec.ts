import { aPatient, eventually, expectProblem, TestIdentity, type HttpClient, type TestDatabase } from '@hms/platform-testing';
import type { RunningPlatform } from '../../tools/launcher/platform';
import path from 'node:path';
import { COMMITTED_DOCUMENT, readCommittedDocument, serialiseDocument } from '../../tools/openapi/document';
import { expectApiProblem, expectData, hmsApi, type HmsApi } from './api';
import { startE2ePlatform, type E2ePlatform } from './support';

// The gateway, patients and audit services as real processes on the postgres transport, on a
// database of this file's own, driven over HTTP through the gateway only: through the typed
// client (./api.ts), but for bad input and the document itself, which go as raw HTTP.
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

/** The typed client (./api.ts) acting as `token`, in `branchId` if named. */
const as = (token?: string, branchId?: string): HmsApi => hmsApi(platform.gatewayUrl, { token, branchId });

beforeAll(async () => {
  e2e = await startE2ePlatform(__filename, ADMIN);
  ({ db, platform, gw } = e2e);
  admin = (await login(ADMIN.email, ADMIN.password)).accessToken;
  mainBranch = expectData(await as(admin).GET('/api/v1/auth/me'), 200).branches[0].id;
});

afterAll(() => e2e?.stop());

const auditFor = async (patientId: string) => expectData(await as(admin).GET('/api/v1/audit/events', { params: { query: { patientId, limit: 100 } } }), 200).items;
const search = async (q: string, token = admin) => expectData(await as(token).GET('/api/v1/patients', { params: { query: { q } } }), 200).items;

describe('a day at the registration desk', () => {
  it('registers in Devanagari and Latin script, finds a misspelt name, and audits every step', async () => {
    const api = as(admin);
    const heena = expectData(await api.POST('/api/v1/patients', { body: aPatient().named('Heena Patel').born('1980-05-02').withPhone('+919812300001').withAbha('91-3772-0586-4665').build() }), 201);
    expect(heena.uhid).toMatch(/^MAIN\d{8}$/);
    const anita = expectData(await api.POST('/api/v1/patients', { body: aPatient().named('अनीता देवी').aged(44).withPhone('+919812300002').build() }), 201);

    expectApiProblem(await api.POST('/api/v1/patients', { body: aPatient().named('Heena Patel').born('1980-05-02').withPhone('+919812300001').build() }), 409);

    expect((await search('Hina Patel')).map((p) => p.uhid)).toContain(heena.uhid);
    expect((await search('Anita Devi')).map((p) => p.id)).toContain(anita.id);
    expectData(await api.GET('/api/v1/patients/{id}', { params: { path: { id: heena.id } } }), 200);

    const trail = await eventually(
      async () => {
        const items = await auditFor(heena.id);
        const types = items.map((e) => e.type);
        expect(types).toContain('patients.patient.registered');
        expect(types.filter((t) => t === 'gateway.access.patient-data-read').length).toBeGreaterThanOrEqual(2);
        return items;
      },
      { what: 'the registration and the reads in the audit trail' },
    );
    const me = expectData(await api.GET('/api/v1/auth/me'), 200).id;
    expect(trail.every((e) => e.actorId === me)).toBe(true);
    expect(trail.some((e) => e.type === 'gateway.access.patient-data-read' && (e.data as { search?: boolean }).search === true)).toBe(true);
    expect(expectData(await api.GET('/api/v1/audit/verify'), 200)).toMatchObject({ valid: true });
  });
});

describe('reliable events', () => {
  it('a restart of the audit service mid-stream loses and duplicates no event', async () => {
    const api = as(admin);
    const register = (n: number) => Promise.all(Array.from({ length: n }, async () => expectData(await api.POST('/api/v1/patients', { body: aPatient().build() }), 201).id));
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
    expect(expectData(await api.GET('/api/v1/audit/verify'), 200).valid).toBe(true);
  });
});

describe('access control through the gateway', () => {
  let branchB: string;
  let clerkB: string;
  let patientA: { id: string; uhid: string };

  beforeAll(async () => {
    branchB = expectData(await as(admin, mainBranch).POST('/api/v1/admin/branches', { body: { code: 'PUNE', name: 'Pune Hospital' } }), 201).id;
    // Grants travel in the token: sign in again to act in the new branch.
    admin = (await login(ADMIN.email, ADMIN.password)).accessToken;
    expectData(
      await as(admin, mainBranch).POST('/api/v1/admin/users', {
        body: { email: 'desk.pune@hms.test', name: 'Pune Desk', password: 'Desk-Pass-2026!', memberships: [{ branchId: branchB, roles: ['front-desk'] }] },
      }),
      201,
    );
    clerkB = (await login('desk.pune@hms.test', 'Desk-Pass-2026!')).accessToken;
    patientA = expectData(await as(admin, mainBranch).POST('/api/v1/patients', { body: aPatient().named('Saanvi Kulkarni').build() }), 201);
  });

  it('a user of branch B cannot see, search or change a branch-A patient', async () => {
    const clerk = as(clerkB);
    expectApiProblem(await clerk.GET('/api/v1/patients/{id}', { params: { path: { id: patientA.id } } }), 404);
    expect(await search(patientA.uhid, clerkB)).toEqual([]);
    expect(await search('Saanvi Kulkarni', clerkB)).toEqual([]);
    expectApiProblem(await clerk.PATCH('/api/v1/patients/{id}', { params: { path: { id: patientA.id }, header: { 'If-Match': '"1"' } }, body: { name: 'X Y' } }), 404);
    expectApiProblem(await as(clerkB, mainBranch).GET('/api/v1/patients', { params: { query: { q: 'ab' } } }), 403);
    const own = expectData(await clerk.POST('/api/v1/patients', { body: aPatient().build() }), 201);
    expect(own.uhid).toMatch(/^PUNE\d{8}$/);
  });

  it('an expired or forged token is a 401 and a wrong role a 403', async () => {
    const forger = await TestIdentity.start();
    const forged = await forger.token({ branches: [{ branch: { id: mainBranch, code: 'MAIN' }, role: 'admin' }] });
    await forger.stop();
    const searchAs = (token?: string) => as(token).GET('/api/v1/patients', { params: { query: { q: 'ab' } } });
    expectApiProblem(await searchAs(forged), 401);
    expectApiProblem(await searchAs(`${admin.slice(0, -4)}AAAA`), 401);
    expectApiProblem(await searchAs(), 401);
    expectApiProblem(await as(clerkB).GET('/api/v1/audit/events'), 403);
    expectApiProblem(await as(clerkB).GET('/api/v1/admin/users'), 403);
  });

  it('a signed-out token is refused', async () => {
    const session = await login('desk.pune@hms.test', 'Desk-Pass-2026!');
    const desk = as(session.accessToken);
    expectData(await desk.GET('/api/v1/patients', { params: { query: { q: 'ab' } } }), 200);
    expect((await desk.POST('/api/v1/auth/logout', { body: { refreshToken: session.refreshToken } })).response.status).toBe(204);
    expectApiProblem(await desk.GET('/api/v1/patients', { params: { query: { q: 'ab' } } }), 401);
    expectApiProblem(await as().POST('/api/v1/auth/refresh', { body: { refreshToken: session.refreshToken } }), 401);
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
