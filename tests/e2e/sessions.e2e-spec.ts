import { expectData, hmsApi, type HmsApi } from './api';
import { startE2ePlatform, type E2ePlatform } from './support';

// Sign-out, deactivation, demotion and a stolen refresh token end access at once, on every port:
// through the gateway and straight at a service (the patients service's own port), and they
// still hold after both processes restart. Once with revocations in PostgreSQL (the embedded
// default), once in Redis where one is configured (CI). Calls go through the typed client
// (./api.ts), at the gateway and at the patients service alike (its paths are the same).
const ADMIN = { email: 'e2e-sessions@hms.test', password: 'E2e-Sessions-Pass-2026!' };
const PASSWORD = 'Session-User-2026!';

const stores: [string, Record<string, string | undefined>][] = [
  ['postgres', { REDIS_URL: undefined }],
  ...(process.env.REDIS_URL ? ([['redis', { REDIS_URL: process.env.REDIS_URL, REDIS_PREFIX: `hms-e2e-${process.pid}:` }]] as [string, Record<string, string>][]) : []),
];
if (!process.env.REDIS_URL) process.stdout.write('sessions e2e: the Redis leg is SKIPPED (REDIS_URL is not set)\n');

/** An answer's status, and its problem code when it is a problem+json. */
function outcome(result: { error?: unknown; response: Response }): { status: number; code?: string } {
  if (result.response.status < 400) return { status: result.response.status };
  expect(result.response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  return { status: result.response.status, code: (result.error as { code?: string } | undefined)?.code };
}

describe.each(stores)('sessions with revocations in %s', (_store, env) => {
  let e2e: E2ePlatform;
  let gatewayUrl: string;
  let patientsUrl: string;
  let admin: HmsApi;
  let branchId: string;
  let run = 0;

  beforeAll(async () => {
    e2e = await startE2ePlatform(`${__filename}#${_store}`, ADMIN, env);
    gatewayUrl = e2e.platform.gatewayUrl;
    const url = e2e.platform.apps.get('patients')?.url;
    if (!url) throw new Error('no patients service');
    patientsUrl = url;
    admin = hmsApi(gatewayUrl, { token: (await e2e.login(ADMIN.email, ADMIN.password)).accessToken });
    branchId = expectData(await admin.GET('/api/v1/auth/me'), 200).branches[0].id;
  });
  afterAll(() => e2e?.stop());

  async function user(roles: string[]): Promise<{ id: string; accessToken: string; refreshToken: string }> {
    const email = `session-${_store}-${++run}@hms.test`;
    const created = expectData(await admin.POST('/api/v1/admin/users', { body: { email, name: 'Desk User', password: PASSWORD, memberships: [{ branchId, roles }] } }), 201);
    return { id: created.id, ...(await e2e.login(email, PASSWORD)) };
  }

  /** A read of patients through the gateway and straight at the patients service, with one token. */
  const both = async (token: string) => [
    outcome(await hmsApi(gatewayUrl, { token }).GET('/api/v1/patients', { params: { query: { q: 'anyone' } } })),
    outcome(await hmsApi(patientsUrl, { token }).GET('/api/v1/patients', { params: { query: { q: 'anyone' } } })),
  ];
  const refresh = (refreshToken: string) => hmsApi(gatewayUrl).POST('/api/v1/auth/refresh', { body: { refreshToken } });

  it('a signed-out token stops working at the gateway and at the service, and stays so after both restart', async () => {
    const desk = await user(['front-desk']);
    expect(await both(desk.accessToken)).toEqual([{ status: 200 }, { status: 200 }]);
    expect((await hmsApi(gatewayUrl, { token: desk.accessToken }).POST('/api/v1/auth/logout', { body: { refreshToken: desk.refreshToken } })).response.status).toBe(204);
    expect(await both(desk.accessToken)).toEqual([
      { status: 401, code: 'token-revoked' },
      { status: 401, code: 'token-revoked' },
    ]);
    await e2e.platform.stopApp('gateway');
    await e2e.platform.stopApp('patients');
    await e2e.platform.startApp('patients');
    await e2e.platform.startApp('gateway');
    expect(await both(desk.accessToken)).toEqual([
      { status: 401, code: 'token-revoked' },
      { status: 401, code: 'token-revoked' },
    ]);
    expect(outcome(await refresh(desk.refreshToken)).status).toBe(401);
  });

  it('a deactivated user is refused at once everywhere, without waiting for the token to expire', async () => {
    const desk = await user(['front-desk']);
    expect(await both(desk.accessToken)).toEqual([{ status: 200 }, { status: 200 }]);
    expectData(await admin.PATCH('/api/v1/admin/users/{id}', { params: { path: { id: desk.id } }, body: { active: false } }), 200);
    expect(await both(desk.accessToken)).toEqual([
      { status: 401, code: 'user-inactive' },
      { status: 401, code: 'user-inactive' },
    ]);
  });

  it('a demoted user loses the permission at once everywhere', async () => {
    const desk = await user(['front-desk']);
    expect(await both(desk.accessToken)).toEqual([{ status: 200 }, { status: 200 }]);
    expectData(await admin.PATCH('/api/v1/admin/users/{id}', { params: { path: { id: desk.id } }, body: { memberships: [{ branchId, roles: ['housekeeping'] }] } }), 200);
    expect((await both(desk.accessToken)).map((o) => o.status)).toEqual([403, 403]);
  });

  it('presenting a used refresh token ends that session: its access tokens are refused everywhere', async () => {
    const desk = await user(['front-desk']);
    const next = expectData(await refresh(desk.refreshToken), 200);
    expect(await both(next.accessToken)).toEqual([{ status: 200 }, { status: 200 }]);
    expect(outcome(await refresh(desk.refreshToken)).status).toBe(401);
    for (const token of [desk.accessToken, next.accessToken]) {
      expect(await both(token)).toEqual([
        { status: 401, code: 'token-revoked' },
        { status: 401, code: 'token-revoked' },
      ]);
    }
  });
});
