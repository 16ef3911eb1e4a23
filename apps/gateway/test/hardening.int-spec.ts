// Access control, sessions, secrets and HTTP hygiene at the gateway: each case here was found
// open when the platform was attacked, and is closed now.
import net from 'node:net';
import { createTestDatabase, eventually, expectProblem, type TestDatabase } from '@hms/platform-testing';
import { ADMIN_PASSWORD, DEFAULT_REDIS_URL, SECRETS_KEY, USER_PASSWORD, createUser, login, problemOf, runId, startGateway, type Gateway, type TokenPair } from './support';

const run = runId();
const adminEmail = `admin-${run}@hms.test`;

let db: TestDatabase;
let gw: Gateway;
let mainId: string;
let admin: TokenPair;

const events = async (type: string) =>
  (await db.admin<{ envelope: { data: Record<string, unknown>; actor: { id: string } } }>(`SELECT envelope FROM gateway.outbox WHERE envelope->>'type' = $1 ORDER BY seq`, [type])).map(
    (r) => r.envelope,
  );

beforeAll(async () => {
  db = await createTestDatabase(__filename);
  gw = await startGateway(db, { HMS_ADMIN_EMAIL: adminEmail, LOGIN_RATE_LIMIT: '200' });
  mainId = (await db.admin<{ id: string }>(`SELECT id FROM gateway.branches WHERE code = 'MAIN'`))[0].id;
  admin = await login(gw.http, adminEmail, ADMIN_PASSWORD);
});
afterAll(async () => {
  await gw?.close();
  await db?.drop();
});

describe('roles are the platform’s, not a branch’s', () => {
  let northId: string;
  let northAdmin: TokenPair;

  beforeAll(async () => {
    northId = (await gw.http.post('/api/v1/admin/branches', { code: 'NORTH', name: 'North Clinic' }, { token: admin.accessToken })).body.id as string;
    const user = await createUser(gw.http, admin.accessToken, { email: `north-admin-${run}@hms.test`, branchId: northId, roles: ['admin'], actingBranchId: northId });
    northAdmin = await login(gw.http, user.email, user.password);
  });

  it('refuses a branch admin who tries to widen a role every branch uses (the escalation found)', async () => {
    const widened = await gw.http.put('/api/v1/admin/roles/front-desk', { permissions: ['patients:read', 'identity:manage'] }, { token: northAdmin.accessToken });
    expectProblem(widened, 403);
    expect(problemOf(widened).detail).toMatch(/platform:manage/);
    const roles = await gw.http.get('/api/v1/admin/roles', { token: admin.accessToken });
    expect(roles.body.items.find((r: { name: string }) => r.name === 'front-desk').permissions).not.toContain('identity:manage');
    // So MAIN's front desk cannot create an admin of MAIN.
    const desk = await createUser(gw.http, admin.accessToken, { email: `main-desk-${run}@hms.test`, branchId: mainId, roles: ['front-desk'], actingBranchId: mainId });
    const deskToken = (await login(gw.http, desk.email, desk.password)).accessToken;
    const made = await gw.http.post(
      '/api/v1/admin/users',
      { email: `made-admin-${run}@hms.test`, name: 'Made', password: USER_PASSWORD, memberships: [{ branchId: mainId, roles: ['admin'] }] },
      { token: deskToken },
    );
    expectProblem(made, 403);
  });

  it('refuses a branch admin new branches and platform roles, and an account outside their branches', async () => {
    expectProblem(await gw.http.post('/api/v1/admin/branches', { code: 'ROGUE', name: 'Rogue' }, { token: northAdmin.accessToken }), 403);
    const platform = await gw.http.post(
      '/api/v1/admin/users',
      { email: `north-platform-${run}@hms.test`, name: 'Someone', password: USER_PASSWORD, memberships: [{ branchId: northId, roles: ['nurse'] }], platformRoles: ['platform-admin'] },
      { token: northAdmin.accessToken },
    );
    expectProblem(platform, 403);
    expect(await db.admin(`SELECT 1 FROM gateway.users WHERE email = $1`, [`north-platform-${run}@hms.test`])).toEqual([]);
    // Nor may they put a user into another branch.
    const outside = await gw.http.post(
      '/api/v1/admin/users',
      { email: `north-into-main-${run}@hms.test`, name: 'Someone', password: USER_PASSWORD, memberships: [{ branchId: mainId, roles: ['admin'] }] },
      { token: northAdmin.accessToken },
    );
    expectProblem(outside, 403);
  });

  it('lets the platform admin change a role, records it for the audit, and applies it to its holders at once', async () => {
    const nurse = await createUser(gw.http, admin.accessToken, { email: `role-nurse-${run}@hms.test`, branchId: mainId, roles: ['nurse'], actingBranchId: mainId });
    const nurseToken = (await login(gw.http, nurse.email, nurse.password)).accessToken;
    const before = (await gw.http.get('/api/v1/auth/me', { token: nurseToken })).body.branches[0].permissions as string[];
    expect(before).not.toContain('wards:admit');
    const put = await gw.http.put('/api/v1/admin/roles/nurse', { permissions: [...before, 'wards:admit'] }, { token: admin.accessToken });
    expect(put.status).toBe(200);
    // The nurse's token in hand carries the new permission now, without a refresh.
    expect((await gw.http.get('/api/v1/auth/me', { token: nurseToken })).body.branches[0].permissions).toContain('wards:admit');
    const changed = await events('gateway.role.changed');
    expect(changed.at(-1)).toMatchObject({ data: { name: 'nurse', created: false }, actor: { id: expect.any(String) } });
    expect([...(changed.at(-1)?.data.previousPermissions as string[])].sort()).toEqual([...before].sort());
    expect((changed.at(-1)?.data.permissions as string[]).includes('wards:admit')).toBe(true);
    await gw.http.put('/api/v1/admin/roles/nurse', { permissions: before }, { token: admin.accessToken });
    expect((await gw.http.get('/api/v1/auth/me', { token: nurseToken })).body.branches[0].permissions).not.toContain('wards:admit');
    // A new role is audited as created; platform roles cannot be defined as branch roles.
    expect((await gw.http.put('/api/v1/admin/roles/lab-tech', { permissions: ['patients:read'] }, { token: admin.accessToken })).status).toBe(200);
    expect((await events('gateway.role.changed')).at(-1)).toMatchObject({ data: { name: 'lab-tech', created: true, previousPermissions: [] } });
    expectProblem(await gw.http.put('/api/v1/admin/roles/platform-admin', { permissions: ['patients:read'] }, { token: admin.accessToken }), 409);
  });

  it('audits every change to users, memberships and branches', async () => {
    const before = (await events('gateway.user.updated')).length;
    const user = await createUser(gw.http, admin.accessToken, { email: `audited-${run}@hms.test`, branchId: mainId, roles: ['nurse'], actingBranchId: mainId });
    expect((await events('gateway.user.created')).some((e) => e.data.userId === user.id)).toBe(true);
    await gw.http.patch(`/api/v1/admin/users/${user.id}`, { memberships: [{ branchId: mainId, roles: ['nurse', 'housekeeping'] }] }, { token: admin.accessToken, branchId: mainId });
    await gw.http.patch(`/api/v1/admin/users/${user.id}`, { password: 'Reset-By-Admin-2026!' }, { token: admin.accessToken, branchId: mainId });
    const updates = (await events('gateway.user.updated')).slice(before).filter((e) => e.data.userId === user.id);
    expect(updates.map((e) => e.data.memberships)).toContainEqual([{ branchId: mainId, roles: ['housekeeping', 'nurse'] }]);
    expect((await events('gateway.user.password-changed')).some((e) => e.data.userId === user.id && e.data.by === 'administrator')).toBe(true);
    const renamed = await gw.http.patch(`/api/v1/admin/branches/${northId}`, { name: 'North Hospital' }, { token: admin.accessToken });
    expect(renamed.status).toBe(200);
    expect((await events('gateway.branch.updated')).at(-1)).toMatchObject({ data: { branchId: northId, name: 'North Hospital' } });
  });
});

describe('changes to a user apply at once to the token in hand', () => {
  it('deactivation: the next request is refused, without waiting for the token to expire', async () => {
    const user = await createUser(gw.http, admin.accessToken, { email: `deactivated-${run}@hms.test`, branchId: mainId, roles: ['nurse'], actingBranchId: mainId });
    const token = (await login(gw.http, user.email, user.password)).accessToken;
    expect((await gw.http.get('/api/v1/auth/me', { token })).status).toBe(200);
    await gw.http.patch(`/api/v1/admin/users/${user.id}`, { active: false }, { token: admin.accessToken, branchId: mainId });
    const refused = await gw.http.get('/api/v1/auth/me', { token });
    expectProblem(refused, 401);
    expect(problemOf(refused).code).toBe('user-inactive');
  });

  it('demotion: a permission taken away is gone from the next request', async () => {
    const user = await createUser(gw.http, admin.accessToken, { email: `demoted-${run}@hms.test`, branchId: mainId, roles: ['admin'], actingBranchId: mainId });
    const token = (await login(gw.http, user.email, user.password)).accessToken;
    expect((await gw.http.get('/api/v1/admin/users', { token })).status).toBe(200);
    await gw.http.patch(`/api/v1/admin/users/${user.id}`, { memberships: [{ branchId: mainId, roles: ['nurse'] }] }, { token: admin.accessToken, branchId: mainId });
    expectProblem(await gw.http.get('/api/v1/admin/users', { token }), 403);
  });

  it('a branch created a moment ago works for its creator without signing in again', async () => {
    const created = await gw.http.post('/api/v1/admin/branches', { code: 'EAST', name: 'East Clinic' }, { token: admin.accessToken });
    expect(created.status).toBe(201);
    const eastId = created.body.id as string;
    const users = await gw.http.get('/api/v1/admin/users', { token: admin.accessToken, branchId: eastId });
    expect(users.status).toBe(200);
    expect(users.body.items.map((u: { email: string }) => u.email)).toEqual([adminEmail]);
  });

  it('refresh-token reuse ends the whole session: its access tokens stop working too', async () => {
    const first = await login(gw.http, adminEmail, ADMIN_PASSWORD);
    const second = (await gw.http.post('/api/v1/auth/refresh', { refreshToken: first.refreshToken })).body as TokenPair;
    expect((await gw.http.get('/api/v1/auth/me', { token: second.accessToken })).status).toBe(200);
    // The first refresh token again: stolen, presumably.
    expectProblem(await gw.http.post('/api/v1/auth/refresh', { refreshToken: first.refreshToken }), 401);
    for (const token of [first.accessToken, second.accessToken]) {
      const r = await gw.http.get('/api/v1/auth/me', { token });
      expectProblem(r, 401);
      expect(problemOf(r).code).toBe('token-revoked');
    }
    // Another session of the same user is untouched.
    expect((await gw.http.get('/api/v1/auth/me', { token: admin.accessToken })).status).toBe(200);
  });

  it('a sign-out holds after the gateway restarts (the state is not in its memory)', async () => {
    const pair = await login(gw.http, adminEmail, ADMIN_PASSWORD);
    expect((await gw.http.post('/api/v1/auth/logout', { refreshToken: pair.refreshToken }, { token: pair.accessToken })).status).toBe(204);
    await gw.close();
    gw = await startGateway(db, { HMS_ADMIN_EMAIL: adminEmail, LOGIN_RATE_LIMIT: '200' });
    const r = await gw.http.get('/api/v1/auth/me', { token: pair.accessToken });
    expectProblem(r, 401);
    expect(problemOf(r).code).toBe('token-revoked');
  });
});

describe('passwords and sessions', () => {
  it('lets a user change their own password: old sessions end everywhere, a new one starts', async () => {
    const user = await createUser(gw.http, admin.accessToken, { email: `changer-${run}@hms.test`, branchId: mainId, roles: ['nurse'], actingBranchId: mainId });
    const elsewhere = await login(gw.http, user.email, user.password);
    const here = await login(gw.http, user.email, user.password);
    const wrong = await gw.http.post('/api/v1/auth/password', { currentPassword: 'Not-It-2026!', newPassword: 'Brand-New-Pass-2026' }, { token: here.accessToken });
    expectProblem(wrong, 400);
    expect(problemOf(wrong).errors).toEqual([{ field: 'currentPassword', message: expect.any(String) }]);
    const weak = await gw.http.post('/api/v1/auth/password', { currentPassword: user.password, newPassword: 'short' }, { token: here.accessToken });
    expectProblem(weak, 400);
    expect(problemOf(weak).errors?.[0].field).toBe('newPassword');
    const changed = await gw.http.post('/api/v1/auth/password', { currentPassword: user.password, newPassword: 'Brand-New-Pass-2026' }, { token: here.accessToken });
    expect(changed.status).toBe(200);
    expect(changed.headers.get('cache-control')).toBe('no-store');
    const fresh = changed.body as TokenPair;
    expect((await gw.http.get('/api/v1/auth/me', { token: fresh.accessToken })).status).toBe(200);
    for (const old of [here, elsewhere]) {
      expectProblem(await gw.http.get('/api/v1/auth/me', { token: old.accessToken }), 401);
      expectProblem(await gw.http.post('/api/v1/auth/refresh', { refreshToken: old.refreshToken }), 401);
    }
    expectProblem(await gw.http.post('/api/v1/auth/login', { email: user.email, password: user.password }), 401);
    await login(gw.http, user.email, 'Brand-New-Pass-2026');
    expect((await events('gateway.user.password-changed')).some((e) => e.data.userId === user.id && e.data.by === 'self')).toBe(true);
    expect(JSON.stringify(await events('gateway.user.password-changed'))).not.toContain('Brand-New-Pass-2026');
  });

  it('ends a session at its absolute lifetime, however often it was refreshed', async () => {
    const pair = await login(gw.http, adminEmail, ADMIN_PASSWORD);
    const next = (await gw.http.post('/api/v1/auth/refresh', { refreshToken: pair.refreshToken })).body as TokenPair;
    const [{ ends }] = await db.admin<{ ends: Date }>(
      `SELECT max(session_expires_at) AS ends FROM gateway.refresh_tokens WHERE family_id = (SELECT family_id FROM gateway.refresh_tokens ORDER BY created_at DESC LIMIT 1)`,
    );
    // 30 days (REFRESH_SESSION_MAX_SECONDS) from the sign-in, not from the refresh.
    expect(Math.abs(ends.getTime() - Date.now() - 30 * 86_400_000)).toBeLessThan(60_000);
    await db.admin(`UPDATE gateway.refresh_tokens SET session_expires_at = now() - interval '1 second' WHERE session_expires_at = $1`, [ends]);
    const r = await gw.http.post('/api/v1/auth/refresh', { refreshToken: next.refreshToken });
    expectProblem(r, 401);
    expect(problemOf(r).code).toBe('refresh-token-invalid');
  });
});

describe('the signing key in the database', () => {
  it('is sealed: the table holds no private key in clear', async () => {
    const [row] = await db.admin<{ private_jwk: Record<string, unknown> }>('SELECT private_jwk FROM gateway.signing_keys');
    expect(row.private_jwk).toMatchObject({ alg: 'A256GCM', iv: expect.any(String), tag: expect.any(String), data: expect.any(String) });
    expect(row.private_jwk).not.toHaveProperty('d');
  });

  it('does not open with another key: the gateway refuses to start, saying why', async () => {
    await expect(startGateway(db, { HMS_ADMIN_EMAIL: adminEmail, HMS_SECRETS_KEY: Buffer.alloc(32, 7).toString('base64') })).rejects.toThrow(/does not open the stored signing key/);
    await expect(startGateway(db, { HMS_ADMIN_EMAIL: adminEmail, HMS_SECRETS_KEY: '' })).rejects.toThrow(/HMS_SECRETS_KEY/);
  });

  it('seals a key an earlier version kept in clear, on the next start, and keeps signing with it', async () => {
    const other = await createTestDatabase(`${__filename}#legacy`);
    try {
      const first = await startGateway(other, { HMS_ADMIN_EMAIL: adminEmail });
      const jwks = (await first.http.get('/.well-known/jwks.json')).body;
      await first.close();
      // Put the key back in clear, as an earlier version stored it.
      const { SecretBox } = await import('../src/security/secret-box');
      const box = SecretBox.fromConfig(SECRETS_KEY, undefined);
      const [row] = await other.admin<{ kid: string; private_jwk: never }>('SELECT kid, private_jwk FROM gateway.signing_keys');
      const clear = JSON.parse(box?.open(row.private_jwk, `hms-gateway-signing-key:${row.kid}`) ?? 'null');
      await other.admin('UPDATE gateway.signing_keys SET private_jwk = $1', [clear]);
      const second = await startGateway(other, { HMS_ADMIN_EMAIL: adminEmail });
      try {
        expect((await second.http.get('/.well-known/jwks.json')).body).toEqual(jwks);
        const [after] = await other.admin<{ private_jwk: Record<string, unknown> }>('SELECT private_jwk FROM gateway.signing_keys');
        expect(after.private_jwk).not.toHaveProperty('d');
        await login(second.http, adminEmail, ADMIN_PASSWORD);
      } finally {
        await second.close();
      }
    } finally {
      await other.drop();
    }
  });

  it('there is no default administrator password: a first start without HMS_ADMIN_PASSWORD stops with a sentence', async () => {
    const fresh = await createTestDatabase(`${__filename}#nopassword`);
    try {
      await expect(startGateway(fresh, { HMS_ADMIN_EMAIL: adminEmail, HMS_ADMIN_PASSWORD: '' })).rejects.toThrow(/HMS_ADMIN_PASSWORD is required on the first start/);
      expect(await fresh.admin('SELECT 1 FROM gateway.users')).toEqual([]);
    } finally {
      await fresh.drop();
    }
  });
});

describe('names', () => {
  it('refuses branch and user names of only spaces, and user names with bidirectional controls, naming the field and writing nothing', async () => {
    const blankBranch = await gw.http.post('/api/v1/admin/branches', { code: 'BLANK', name: '   ' }, { token: admin.accessToken });
    expectProblem(blankBranch, 400);
    expect(problemOf(blankBranch).errors?.map((e) => e.field)).toEqual(['name']);
    expectProblem(await gw.http.patch(`/api/v1/admin/branches/${mainId}`, { name: '\t ' }, { token: admin.accessToken }), 400);
    for (const name of ['  ', 'Meera\u202eareeM', 'Asha\u2066x\u2069']) {
      const r = await gw.http.post(
        '/api/v1/admin/users',
        { email: `named-${run}@hms.test`, name, password: USER_PASSWORD, memberships: [{ branchId: mainId, roles: ['nurse'] }] },
        { token: admin.accessToken, branchId: mainId },
      );
      expectProblem(r, 400);
      expect(problemOf(r).errors?.map((e) => e.field)).toEqual(['name']);
    }
    expect(await db.admin(`SELECT 1 FROM gateway.branches WHERE code = 'BLANK'`)).toEqual([]);
    expect(await db.admin('SELECT 1 FROM gateway.users WHERE email = $1', [`named-${run}@hms.test`])).toEqual([]);
  });
});

describe('when Redis is away', () => {
  it('answers 503 with Retry-After (never 500, never a token let through) and recovers when Redis is back', async () => {
    // A path to Redis that the test can cut: a TCP relay in front of the machine's Redis.
    const redisUrl = new URL(process.env.REDIS_URL ?? DEFAULT_REDIS_URL);
    const sockets = new Set<net.Socket>();
    const relay = net.createServer((client) => {
      const upstream = net.connect(Number(redisUrl.port || 6379), redisUrl.hostname);
      for (const s of [client, upstream]) {
        sockets.add(s);
        s.on('error', () => s.destroy());
        s.on('close', () => sockets.delete(s));
      }
      client.pipe(upstream).pipe(client);
    });
    const listen = (port = 0) => new Promise<number>((resolve) => relay.listen(port, '127.0.0.1', () => resolve((relay.address() as net.AddressInfo).port)));
    const port = await listen();
    const viaRelay = await startGateway(db, { HMS_ADMIN_EMAIL: adminEmail, REDIS_URL: `redis://127.0.0.1:${port}`, LOGIN_RATE_LIMIT: '200' });
    try {
      const pair = await login(viaRelay.http, adminEmail, ADMIN_PASSWORD);
      expect((await viaRelay.http.get('/api/v1/auth/me', { token: pair.accessToken })).status).toBe(200);
      const closed = new Promise<void>((resolve) => relay.close(() => resolve()));
      for (const s of sockets) s.destroy();
      await closed;
      for (const r of [await viaRelay.http.get('/api/v1/auth/me', { token: pair.accessToken }), await viaRelay.http.post('/api/v1/auth/login', { email: adminEmail, password: ADMIN_PASSWORD })]) {
        expectProblem(r, 503);
        expect(Number(r.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      }
      expect((await viaRelay.http.get('/health/ready')).status).toBe(503);
      await listen(port);
      await eventually(async () => expect((await viaRelay.http.get('/api/v1/auth/me', { token: pair.accessToken })).status).toBe(200), {
        what: 'the gateway to reach Redis again',
      });
    } finally {
      await viaRelay.close();
      const closed = relay.listening ? new Promise<void>((resolve) => relay.close(() => resolve())) : Promise.resolve();
      for (const s of sockets) s.destroy();
      await closed;
    }
  });
});

describe('HTTP hygiene', () => {
  it('sends the usual security headers, and no-store on API answers and token responses', async () => {
    const login = await gw.http.post('/api/v1/auth/login', { email: adminEmail, password: ADMIN_PASSWORD });
    expect(login.headers.get('cache-control')).toBe('no-store');
    expect(login.headers.get('x-content-type-options')).toBe('nosniff');
    expect(login.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(login.headers.get('content-security-policy')).toMatch(/default-src 'self'/);
    expect(login.headers.get('x-powered-by')).toBeNull();
    const refresh = await gw.http.post('/api/v1/auth/refresh', { refreshToken: (login.body as TokenPair).refreshToken });
    expect(refresh.headers.get('cache-control')).toBe('no-store');
    const me = await gw.http.get('/api/v1/auth/me', { token: admin.accessToken });
    expect(me.headers.get('cache-control')).toBe('no-store');
    expect(me.headers.get('strict-transport-security')).toMatch(/max-age=/);
  });

  it('does not serve /metrics beside the API; a separate metrics port does', async () => {
    expect((await gw.http.get('/metrics')).status).toBe(404);
    const other = await startGateway(db, { HMS_ADMIN_EMAIL: adminEmail, METRICS_PORT: '0' });
    try {
      expect((await other.http.get('/metrics')).status).toBe(404);
      const metrics = await fetch(other.service.metricsUrl ?? '');
      expect(metrics.status).toBe(200);
      expect(await metrics.text()).toMatch(/hms_http_request_duration_seconds/);
    } finally {
      await other.close();
    }
  });
});
