import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { createTestDatabase, eventually, expectProblem, type TestDatabase } from '@hms/platform-testing';
import { ADMIN_PASSWORD, FakeUpstream, createUser, login, problemOf, rawGet, runId, startGateway, type Gateway, type TokenPair } from './support';

const run = runId();
const adminEmail = `admin-${run}@hms.test`;
const patientId = randomUUID();

let db: TestDatabase;
let upstream: FakeUpstream;
let gw: Gateway;
let mainBranchId: string;
let otherBranchId: string;
/** The administrator, a member of MAIN and of a second branch. */
let admin: TokenPair;
/** A front-desk user of MAIN only. */
let desk: TokenPair;
let deskId: string;
/** A user whose only role is auditor: no `patients:` permission. */
let auditor: TokenPair;

interface Echo {
  method: string;
  path: string;
  body: string;
  headers: { 'x-branch-id'?: string; 'x-correlation-id'?: string; authorization?: string };
}

interface AccessEnvelope {
  type: string;
  branchId: string;
  correlationId: string | null;
  actor: { type: string; id: string };
  data: { method: string; path: string; service: string; status: number; patientIds: string[]; search: boolean; resultCount?: number };
}

const accessEvents = async () =>
  (await db.admin<{ envelope: AccessEnvelope & { id: string } }>(`SELECT envelope FROM gateway.outbox WHERE envelope->>'type' = 'gateway.access.patient-data-read' ORDER BY seq`)).map(
    (r) => r.envelope,
  );

beforeAll(async () => {
  db = await createTestDatabase(__filename);
  upstream = await FakeUpstream.start(patientId);
  gw = await startGateway(db, { HMS_ADMIN_EMAIL: adminEmail, PATIENTS_URL: upstream.url, UPSTREAM_TIMEOUT_MS: '1000', LOGIN_RATE_LIMIT: '100' });
  mainBranchId = (await db.admin<{ id: string }>(`SELECT id FROM gateway.branches WHERE code = 'MAIN'`))[0].id;
  admin = await login(gw.http, adminEmail, ADMIN_PASSWORD);
  const branch = await gw.http.post('/api/v1/admin/branches', { code: 'NASIK', name: 'Nashik Clinic' }, { token: admin.accessToken });
  otherBranchId = branch.body.id as string;
  const deskUser = await createUser(gw.http, admin.accessToken, { email: `desk-${run}@hms.test`, branchId: mainBranchId, roles: ['front-desk'] });
  deskId = deskUser.id;
  const auditorUser = await createUser(gw.http, admin.accessToken, { email: `auditor-${run}@hms.test`, branchId: mainBranchId, roles: ['auditor'] });
  admin = await login(gw.http, adminEmail, ADMIN_PASSWORD);
  desk = await login(gw.http, deskUser.email, deskUser.password);
  auditor = await login(gw.http, auditorUser.email, auditorUser.password);
});

afterAll(async () => {
  await gw?.close();
  await upstream?.stop();
  await db?.drop();
});

describe('proxy to a service', () => {
  it('forwards method, path, query, branch, correlation id and the token, and returns the answer', async () => {
    const r = await gw.http.get('/api/v1/patients?q=meera&limit=5', { token: desk.accessToken, headers: { 'x-correlation-id': `corr-${run}` } });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/^application\/json/);
    expect(r.headers.get('x-correlation-id')).toBe(`corr-${run}`);
    expect(r.body.items).toEqual([{ id: patientId }]);
    const echo = r.body.received as Echo;
    expect(echo).toMatchObject({
      method: 'GET',
      path: '/api/v1/patients?q=meera&limit=5',
      headers: { 'x-branch-id': mainBranchId, 'x-correlation-id': `corr-${run}`, authorization: `Bearer ${desk.accessToken}` },
    });
  });

  it('forwards the branch named in X-Branch-Id; without one, the home branch of a caller with several, or asks for one', async () => {
    // Deliberately changed: a user of several branches now has a home branch (item 15 of the
    // hardening); only one without a home branch is asked to name a branch.
    const r = await gw.http.get(`/api/v1/patients/${patientId}`, { token: admin.accessToken, branchId: otherBranchId });
    expect(r.status).toBe(200);
    expect((r.body.received as Echo).headers['x-branch-id']).toBe(otherBranchId);
    const home = await gw.http.get(`/api/v1/patients/${patientId}`, { token: admin.accessToken });
    expect(home.status).toBe(200);
    expect((home.body.received as Echo).headers['x-branch-id']).toBe(mainBranchId);
    // Choosing another home branch applies to the token in hand at once.
    expect((await gw.http.patch('/api/v1/auth/me', { homeBranchId: otherBranchId }, { token: admin.accessToken })).status).toBe(200);
    const moved = await gw.http.get(`/api/v1/patients/${patientId}`, { token: admin.accessToken });
    expect((moved.body.received as Echo).headers['x-branch-id']).toBe(otherBranchId);
    const adminId = (await gw.http.get('/api/v1/auth/me', { token: admin.accessToken })).body.id as string;
    expect((await gw.http.patch(`/api/v1/admin/users/${adminId}`, { homeBranchId: null }, { token: admin.accessToken, branchId: mainBranchId })).status).toBe(200);
    const none = await gw.http.get(`/api/v1/patients/${patientId}`, { token: admin.accessToken });
    expectProblem(none, 400);
    expect(problemOf(none).code).toBe('branch-header-required');
    expect((await gw.http.patch('/api/v1/auth/me', { homeBranchId: mainBranchId }, { token: admin.accessToken })).status).toBe(200);
  });

  it('forwards a JSON body on writes', async () => {
    const r = await gw.http.post('/api/v1/patients', { name: 'Meera Iyer', sex: 'F' }, { token: desk.accessToken, headers: { 'idempotency-key': `k-${run}` } });
    expect(r.status).toBe(201);
    expect(JSON.parse((r.body.received as Echo).body)).toEqual({ name: 'Meera Iyer', sex: 'F' });
    const received = upstream.requests.at(-1);
    expect(received?.headers['idempotency-key']).toBe(`k-${run}`);
    expect(received?.headers['content-type']).toBe('application/json');
  });

  it('records a read of patient data in the outbox, naming the patient, before answering', async () => {
    const before = (await accessEvents()).length;
    const correlationId = `read-${run}`;
    const r = await gw.http.get('/api/v1/patients?q=meera', { token: desk.accessToken, headers: { 'x-correlation-id': correlationId } });
    expect(r.status).toBe(200);
    const events = await accessEvents();
    expect(events).toHaveLength(before + 1);
    expect(events.at(-1)).toMatchObject({
      type: 'gateway.access.patient-data-read',
      branchId: mainBranchId,
      correlationId,
      actor: { type: 'user', id: deskId },
      data: { method: 'GET', path: '/api/v1/patients', service: 'patients', status: 200, patientIds: [patientId], search: true, resultCount: 1 },
    });
    // The query text (which may hold a name or phone number) is not recorded.
    expect(JSON.stringify(events.at(-1))).not.toContain('meera');
    const [row] = await db.admin<{ n: string }>(
      `SELECT count(*) AS n FROM gateway.outbox WHERE envelope->>'type' = 'gateway.access.patient-data-read' AND envelope->'data'->'patientIds' ? $1`,
      [patientId],
    );
    expect(Number(row.n)).toBeGreaterThanOrEqual(1);
  });

  it('counts repeats of one read by one user within the window into one more entry, naming the patients again', async () => {
    // A gateway whose window is one second (the default is a minute).
    const quick = await startGateway(db, { HMS_ADMIN_EMAIL: adminEmail, PATIENTS_URL: upstream.url, READ_COALESCE_SECONDS: '1', LOGIN_RATE_LIMIT: '100' });
    type Entry = AccessEnvelope & { id: string; data: AccessEnvelope['data'] & { repeats?: number; firstReadEventId?: string; windowSeconds?: number } };
    try {
      const before = (await accessEvents()).length;
      const started = Date.now();
      // A screen polling the same board twenty times, and another request once.
      for (let i = 0; i < 20; i++) expect((await quick.http.get('/api/v1/patients/board?ward=W1', { token: desk.accessToken })).status).toBe(200);
      const seconds = (Date.now() - started) / 1000;
      await quick.http.get('/api/v1/patients/board?ward=W2', { token: desk.accessToken });
      // Every window has closed and been summed up: the reads add up, whatever the machine's speed.
      let entries: Entry[] = [];
      await eventually(
        async () => {
          const [{ n }] = await db.admin<{ n: string }>(`SELECT count(*) AS n FROM gateway.read_coalescing WHERE data->'data'->>'path' = '/api/v1/patients/board' AND window_ends_at < now() + interval '5 seconds'`);
          expect(Number(n)).toBe(0);
          entries = (await accessEvents()).slice(before) as Entry[];
        },
        { what: 'the windows to close and their repeats to be recorded' },
      );
      const firsts = entries.filter((e) => e.data.repeats === undefined);
      const summaries = entries.filter((e) => e.data.repeats !== undefined);
      // W2 once; W1 once per window it was read in, plus one summary per window with repeats.
      expect(firsts.length + summaries.reduce((sum, e) => sum + (e.data.repeats ?? 0), 0)).toBe(21);
      expect(firsts.length).toBeLessThanOrEqual(2 + Math.ceil(seconds));
      expect(entries.length).toBeLessThan(21);
      expect(summaries.length).toBeGreaterThanOrEqual(1);
      for (const summary of summaries) {
        expect(summary.data).toMatchObject({ path: '/api/v1/patients/board', patientIds: [patientId], windowSeconds: 1 });
        expect(summary.actor).toMatchObject({ type: 'user', id: deskId });
        expect(firsts.map((f) => f.id)).toContain(summary.data.firstReadEventId);
      }
      for (const first of firsts) expect(first.data).toMatchObject({ path: '/api/v1/patients/board', patientIds: [patientId] });
    } finally {
      await quick.close();
    }
  });

  it('compresses a large answer for a client that accepts it', async () => {
    const plain = await gw.http.get('/api/v1/patients/board', { token: desk.accessToken });
    expect(plain.text.length).toBeGreaterThan(200_000);
    const raw = await new Promise<{ encoding: string | undefined; bytes: number }>((resolve, reject) => {
      const req = http.get(`${gw.service.url}/api/v1/patients/board`, { headers: { authorization: `Bearer ${desk.accessToken}`, 'accept-encoding': 'gzip' } }, (res) => {
        let bytes = 0;
        res.on('data', (c: Buffer) => (bytes += c.length));
        res.on('end', () => resolve({ encoding: res.headers['content-encoding'], bytes }));
      });
      req.on('error', reject);
    });
    expect(raw.encoding).toBe('gzip');
    expect(raw.bytes).toBeLessThan(plain.text.length / 10);
  });

  it('records nothing for writes or for answers that carry no patient', async () => {
    const before = (await accessEvents()).length;
    await gw.http.post('/api/v1/patients', { name: 'X Y', sex: 'M' }, { token: desk.accessToken });
    const missing = await gw.http.get(`/api/v1/patients/${randomUUID()}`, { token: desk.accessToken });
    // The service's own problem passes through unchanged.
    expectProblem(missing, 404);
    expect(problemOf(missing).detail).toBe('The patient was not found');
    expect((await accessEvents()).length).toBe(before);
  });

  it('answers 401 without a valid token, and never calls the service', async () => {
    const calls = upstream.apiRequests().length;
    const none = await gw.http.get('/api/v1/patients?q=ab');
    expectProblem(none, 401);
    expect(problemOf(none).code).toBe('token-missing');
    expectProblem(await gw.http.get('/api/v1/patients?q=ab', { token: 'not.a.token' }), 401);
    expectProblem(await gw.http.post('/api/v1/patients', { name: 'A B' }), 401);
    expect(upstream.apiRequests().length).toBe(calls);
  });

  it('answers 403 to a user without any patients permission, and for a branch not granted', async () => {
    const calls = upstream.apiRequests().length;
    const r = await gw.http.get('/api/v1/patients?q=ab', { token: auditor.accessToken });
    expectProblem(r, 403);
    expect(problemOf(r).code).toBe('permission-missing');
    const other = await gw.http.get('/api/v1/patients?q=ab', { token: desk.accessToken, branchId: otherBranchId });
    expectProblem(other, 403);
    expect(problemOf(other).code).toBe('branch-not-granted');
    expect(upstream.apiRequests().length).toBe(calls);
  });

  it('refuses a path that would leave the service once its dot segments are resolved', async () => {
    const calls = upstream.requests.length;
    for (const path of ['/api/v1/patients/../../metrics', '/api/v1/patients/%2e%2e/audit/events', '/api/v1/patients/..', '/api/v1/patients/.%2E/admin/users']) {
      const r = await rawGet(gw.service.url, path, desk.accessToken);
      expect({ path, status: r.status, code: r.body?.code }).toEqual({ path, status: 400, code: 'path-invalid' });
      expect(r.contentType).toMatch(/^application\/problem\+json/);
    }
    expect(upstream.requests.length).toBe(calls);
    // Dot segments that stay inside the service are resolved, as any URL would be.
    const inside = await rawGet(gw.service.url, `/api/v1/patients/x/../${patientId}`, desk.accessToken);
    expect(inside.status).toBe(200);
    expect(upstream.requests.at(-1)?.path).toBe(`/api/v1/patients/${patientId}`);
  });

  it('refuses an access token revoked at sign-out', async () => {
    const session = await login(gw.http, `desk-${run}@hms.test`, 'Desk-Pass-2026!');
    expect((await gw.http.get('/api/v1/patients?q=ab', { token: session.accessToken })).status).toBe(200);
    expect((await gw.http.post('/api/v1/auth/logout', {}, { token: session.accessToken })).status).toBe(204);
    const calls = upstream.apiRequests().length;
    const r = await gw.http.get('/api/v1/patients?q=ab', { token: session.accessToken });
    expectProblem(r, 401);
    expect(problemOf(r).code).toBe('token-revoked');
    expect(upstream.apiRequests().length).toBe(calls);
  });

  it('answers 404 problem+json for an unknown service and for one that is not deployed', async () => {
    const unknown = await gw.http.get('/api/v1/nosuchservice/x', { token: admin.accessToken, branchId: mainBranchId });
    expectProblem(unknown, 404);
    expectProblem(await gw.http.get('/api/v1/nosuchservice/x'), 404);
    // wards is a routed service, but WARDS_URL is not set here.
    expectProblem(await gw.http.get('/api/v1/wards/beds', { token: admin.accessToken, branchId: mainBranchId }), 404);
  });

  it('answers 503 problem+json when the service does not answer in time', async () => {
    const r = await gw.http.get('/api/v1/patients/slow', { token: desk.accessToken });
    expectProblem(r, 503);
    expect(problemOf(r).code).toBe('upstream-timeout');
  });
});

describe('docs and health', () => {
  it('serves the merged OpenAPI document with the gateway auth paths and the services paths', async () => {
    const r = await gw.http.get('/docs/openapi.json');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/^application\/json/);
    const paths = Object.keys((r.body as { paths: Record<string, unknown> }).paths);
    expect(paths).toEqual(expect.arrayContaining(['/api/v1/auth/login', '/api/v1/auth/refresh', '/api/v1/auth/logout', '/api/v1/auth/me', '/api/v1/admin/users', '/api/v1/patients']));
    expect(r.body.components.schemas).toHaveProperty('FakePatient');
    expect(r.body.components.schemas).toHaveProperty('LoginDto');
  });

  it('names schemas that two services define differently, so a collision cannot pass unseen', async () => {
    // A second service whose document means something else by FakePatient.
    const other = http.createServer((req, res) => {
      res.setHeader('content-type', 'application/json');
      if (req.url === '/openapi.json') {
        res.end(JSON.stringify({ openapi: '3.0.0', info: { title: 'Billing', version: '1' }, paths: {}, components: { schemas: { FakePatient: { type: 'object', properties: { total: { type: 'integer' } } } } } }));
      } else res.end(JSON.stringify({ status: 'ok', checks: {} }));
    });
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    const billingUrl = `http://127.0.0.1:${(other.address() as { port: number }).port}`;
    const both = await startGateway(db, { HMS_ADMIN_EMAIL: adminEmail, PATIENTS_URL: upstream.url, BILLING_URL: billingUrl });
    try {
      const doc = (await both.http.get('/docs/openapi.json')).body;
      expect(doc['x-hms-schema-collisions']).toEqual([expect.stringMatching(/^FakePatient \((patients and billing|billing and patients)\)$/)]);
      expect(doc.info.description).toContain('FakePatient');
      // The gateway with one service has none.
      expect((await gw.http.get('/docs/openapi.json')).body['x-hms-schema-collisions']).toBeUndefined();
    } finally {
      await both.close();
      await new Promise<void>((resolve) => other.close(() => resolve()));
    }
  });

  it('serves the docs UI as HTML', async () => {
    const r = await gw.http.get('/docs');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/^text\/html/);
    expect(r.text).toContain('/docs/init.js');
    expect((await gw.http.get('/docs/init.js')).text).toContain('/docs/openapi.json');
  });

  it('is ready while the service behind it answers', async () => {
    const r = await gw.http.get('/health/ready');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ status: 'ok', checks: { database: 'up', 'postgres-security-store': 'up', 'postgres-session-state': 'up', patients: 'up' } });
  });
});

// Runs last: it stops the fake service.
describe('when the service is down', () => {
  beforeAll(() => upstream.stop());

  it('the proxy answers 503 problem+json', async () => {
    const r = await gw.http.get('/api/v1/patients?q=ab', { token: desk.accessToken });
    expectProblem(r, 503);
    expect(problemOf(r).code).toBe('service-unavailable');
    const again = await gw.http.get(`/api/v1/patients/${patientId}`, { token: desk.accessToken });
    expectProblem(again, 503);
  });

  it('the gateway is not ready, and says which service is down', async () => {
    const r = await gw.http.get('/health/ready');
    expect(r.status).toBe(503);
    expect(r.body).toMatchObject({ status: 'unavailable', checks: { database: 'up', patients: 'down' } });
  });

  it('its own routes keep working', async () => {
    expect((await gw.http.get('/api/v1/auth/me', { token: desk.accessToken })).status).toBe(200);
    expect((await gw.http.get('/.well-known/jwks.json')).status).toBe(200);
  });
});
