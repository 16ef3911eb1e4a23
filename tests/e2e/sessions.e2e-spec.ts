import { expectProblem, httpClient, type HttpClient } from '@hms/platform-testing';
import { startE2ePlatform, type E2ePlatform } from './support';

// Sign-out, deactivation, demotion and a stolen refresh token end access at once, on every port:
// through the gateway and straight at a service (the patients service's own port), and they
// still hold after both processes restart. Once with revocations in PostgreSQL (the embedded
// default), once in Redis where one is configured (CI).
const ADMIN = { email: 'e2e-sessions@hms.test', password: 'E2e-Sessions-Pass-2026!' };
const PASSWORD = 'Session-User-2026!';

const stores: [string, Record<string, string | undefined>][] = [
  ['postgres', { REDIS_URL: undefined }],
  ...(process.env.REDIS_URL ? ([['redis', { REDIS_URL: process.env.REDIS_URL, REDIS_PREFIX: `hms-e2e-${process.pid}:` }]] as [string, Record<string, string>][]) : []),
];
if (!process.env.REDIS_URL) process.stdout.write('sessions e2e: the Redis leg is SKIPPED (REDIS_URL is not set)\n');

describe.each(stores)('sessions with revocations in %s', (_store, env) => {
  let e2e: E2ePlatform;
  let gw: HttpClient;
  let patients: HttpClient;
  let admin: string;
  let branchId: string;
  let run = 0;

  beforeAll(async () => {
    e2e = await startE2ePlatform(`${__filename}#${_store}`, ADMIN, env);
    gw = e2e.gw;
    const patientsUrl = e2e.platform.apps.get('patients')?.url;
    if (!patientsUrl) throw new Error('no patients service');
    patients = httpClient(patientsUrl);
    admin = (await e2e.login(ADMIN.email, ADMIN.password)).accessToken;
    branchId = (await gw.get('/api/v1/auth/me', { token: admin })).body.branches[0].id as string;
  });
  afterAll(() => e2e?.stop());

  async function user(roles: string[]): Promise<{ id: string; accessToken: string; refreshToken: string }> {
    const email = `session-${_store}-${++run}@hms.test`;
    const created = await gw.post('/api/v1/admin/users', { email, name: 'Desk User', password: PASSWORD, memberships: [{ branchId, roles }] }, { token: admin });
    if (created.status !== 201) throw new Error(`create user: ${created.status} ${created.text}`);
    return { id: created.body.id as string, ...(await e2e.login(email, PASSWORD)) };
  }

  /** A read of patients through the gateway and straight at the patients service, with one token. */
  const both = async (token: string) => [await gw.get('/api/v1/patients?q=anyone', { token }), await patients.get('/api/v1/patients?q=anyone', { token })];

  it('a signed-out token stops working at the gateway and at the service, and stays so after both restart', async () => {
    const desk = await user(['front-desk']);
    for (const r of await both(desk.accessToken)) expect(r.status).toBe(200);
    expect((await gw.post('/api/v1/auth/logout', { refreshToken: desk.refreshToken }, { token: desk.accessToken })).status).toBe(204);
    for (const r of await both(desk.accessToken)) {
      expectProblem(r, 401);
      expect(r.body.code).toBe('token-revoked');
    }
    await e2e.platform.stopApp('gateway');
    await e2e.platform.stopApp('patients');
    await e2e.platform.startApp('patients');
    await e2e.platform.startApp('gateway');
    for (const r of await both(desk.accessToken)) {
      expectProblem(r, 401);
      expect(r.body.code).toBe('token-revoked');
    }
    expectProblem(await gw.post('/api/v1/auth/refresh', { refreshToken: desk.refreshToken }), 401);
  });

  it('a deactivated user is refused at once everywhere, without waiting for the token to expire', async () => {
    const desk = await user(['front-desk']);
    for (const r of await both(desk.accessToken)) expect(r.status).toBe(200);
    expect((await gw.patch(`/api/v1/admin/users/${desk.id}`, { active: false }, { token: admin })).status).toBe(200);
    for (const r of await both(desk.accessToken)) {
      expectProblem(r, 401);
      expect(r.body.code).toBe('user-inactive');
    }
  });

  it('a demoted user loses the permission at once everywhere', async () => {
    const desk = await user(['front-desk']);
    for (const r of await both(desk.accessToken)) expect(r.status).toBe(200);
    expect((await gw.patch(`/api/v1/admin/users/${desk.id}`, { memberships: [{ branchId, roles: ['housekeeping'] }] }, { token: admin })).status).toBe(200);
    for (const r of await both(desk.accessToken)) expectProblem(r, 403);
  });

  it('presenting a used refresh token ends that session: its access tokens are refused everywhere', async () => {
    const desk = await user(['front-desk']);
    const next = (await gw.post('/api/v1/auth/refresh', { refreshToken: desk.refreshToken })).body as { accessToken: string };
    for (const r of await both(next.accessToken)) expect(r.status).toBe(200);
    expectProblem(await gw.post('/api/v1/auth/refresh', { refreshToken: desk.refreshToken }), 401);
    for (const token of [desk.accessToken, next.accessToken]) {
      for (const r of await both(token)) {
        expectProblem(r, 401);
        expect(r.body.code).toBe('token-revoked');
      }
    }
  });
});
