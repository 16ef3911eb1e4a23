import { connectRedis, type RedisConnection } from '@hms/platform-auth';
import { SignJWT, createLocalJWKSet, decodeJwt, importJWK, jwtVerify, type JWK, type JSONWebKeySet } from 'jose';
import { TestIdentity, createTestDatabase, expectProblem, type TestDatabase } from '@hms/platform-testing';
import { SecretBox, type SealedSecret } from '../src/security/secret-box';
import {
  ADMIN_PASSWORD,
  DEFAULT_REDIS_URL,
  REDIS_PREFIX,
  SECRETS_KEY,
  USER_PASSWORD,
  createUser,
  login,
  problemOf,
  runId,
  startGateway,
  type Gateway,
  type TokenPair,
} from './support';

const run = runId();
const adminEmail = `admin-${run}@hms.test`;

let db: TestDatabase;
let gw: Gateway;
let mainBranchId: string;
let adminToken: string;
let keptKey = false;

/** Row counts of the identity tables and events, taken after each start. */
interface Snapshot {
  users: number;
  branches: number;
  memberships: number;
  identityEvents: number;
  signingKeys: number;
  adminRoles: string[];
  branchCodes: string[];
}
const snapshots: Snapshot[] = [];

const count = async (sql: string) => Number((await db.admin<{ n: string }>(sql))[0].n);
async function snapshot(): Promise<Snapshot> {
  return {
    users: await count('SELECT count(*) AS n FROM gateway.users'),
    branches: await count('SELECT count(*) AS n FROM gateway.branches'),
    memberships: await count('SELECT count(*) AS n FROM gateway.memberships'),
    identityEvents: await count(`SELECT count(*) AS n FROM gateway.outbox WHERE envelope->>'type' IN ('gateway.branch.created', 'gateway.user.created')`),
    signingKeys: await count('SELECT count(*) AS n FROM gateway.signing_keys'),
    adminRoles: (
      await db.admin<{ role: string }>(
        `SELECT m.role FROM gateway.memberships m JOIN gateway.users u ON u.id = m.user_id WHERE u.email = $1 ORDER BY m.role`,
        [adminEmail],
      )
    ).map((r) => r.role),
    branchCodes: (await db.admin<{ code: string }>('SELECT code FROM gateway.branches ORDER BY code')).map((r) => r.code),
  };
}

beforeAll(async () => {
  db = await createTestDatabase(__filename);
  // First start, close, second start on the same database: the second one is the gateway under test.
  const first = await startGateway(db, { HMS_ADMIN_EMAIL: adminEmail });
  const jwksBefore = (await first.http.get('/.well-known/jwks.json')).body as JSONWebKeySet;
  snapshots.push(await snapshot());
  await first.close();
  // Different first-start settings on a later start must not create a second administrator or branch.
  gw = await startGateway(db, {
    HMS_ADMIN_EMAIL: `other-admin-${run}@hms.test`,
    HMS_ADMIN_PASSWORD: 'Another-Pass-2026!',
    HMS_DEFAULT_BRANCH_CODE: 'OTHER',
    LOGIN_RATE_LIMIT: '100',
  });
  snapshots.push(await snapshot());
  const jwksAfter = (await gw.http.get('/.well-known/jwks.json')).body as JSONWebKeySet;
  keptKey = jwksBefore.keys[0]?.kid !== undefined && jwksBefore.keys[0].kid === jwksAfter.keys[0]?.kid;
  mainBranchId = (await db.admin<{ id: string }>(`SELECT id FROM gateway.branches WHERE code = 'MAIN'`))[0].id;
  adminToken = (await login(gw.http, adminEmail, ADMIN_PASSWORD)).accessToken;
});

afterAll(async () => {
  await gw?.close();
  await db?.drop();
});

/** The gateway's signing key as stored (sealed with the secrets key) and opened with that key. */
async function storedSigningKey(): Promise<{ kid: string; private_jwk: JWK }> {
  const [row] = await db.admin<{ private_jwk: SealedSecret; kid: string }>('SELECT private_jwk, kid FROM gateway.signing_keys WHERE retired_at IS NULL');
  const box = SecretBox.fromConfig(SECRETS_KEY, undefined);
  if (!box) throw new Error('no secrets key');
  return { kid: row.kid, private_jwk: JSON.parse(box.open(row.private_jwk, `hms-gateway-signing-key:${row.kid}`)) as JWK };
}

describe('first start', () => {
  it('creates exactly one administrator and one branch', () => {
    expect(snapshots[0]).toMatchObject({ users: 1, branches: 1, memberships: 1, identityEvents: 2, signingKeys: 1, adminRoles: ['admin'], branchCodes: ['MAIN'] });
  });

  it('a second start on the same database creates nothing new and keeps the signing key', () => {
    expect(snapshots[1]).toEqual(snapshots[0]);
    expect(keptKey).toBe(true);
  });
});

describe('login', () => {
  it('signs in the administrator with a token pair', async () => {
    const r = await gw.http.post('/api/v1/auth/login', { email: adminEmail.toUpperCase(), password: ADMIN_PASSWORD });
    expect(r.status).toBe(200);
    const pair = r.body as TokenPair;
    expect(pair).toEqual({ accessToken: expect.any(String), refreshToken: expect.stringMatching(/^rt_/), tokenType: 'Bearer', expiresIn: 900, refreshExpiresIn: 14 * 86_400 });
    const me = await gw.http.get('/api/v1/auth/me', { token: pair.accessToken });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ email: adminEmail, branches: [{ id: mainBranchId, code: 'MAIN', roles: ['admin'] }] });
    expect(me.body.branches[0].permissions).toEqual(expect.arrayContaining(['identity:manage', 'patients:read']));
  });

  it('answers a wrong password and an unknown email with the same 401 problem', async () => {
    const wrong = await gw.http.post('/api/v1/auth/login', { email: adminEmail, password: 'Not-The-Password-1' });
    const unknown = await gw.http.post('/api/v1/auth/login', { email: `nobody-${run}@hms.test`, password: ADMIN_PASSWORD });
    expectProblem(wrong, 401);
    expectProblem(unknown, 401);
    expect(problemOf(wrong).code).toBe('login-failed');
    expect(problemOf(unknown).code).toBe(problemOf(wrong).code);
    expect(problemOf(unknown).detail).toBe(problemOf(wrong).detail);
    // One failure does not lock: the administrator still signs in (and the counter resets).
    await login(gw.http, adminEmail, ADMIN_PASSWORD);
  });

  const bad: [string, number, string, { body?: unknown; raw?: string; contentType?: string }][] = [
    ['malformed JSON', 400, 'malformed-json', { raw: '{"email": "a@b.c",' }],
    ['unknown fields', 400, 'validation-failed', { body: { email: 'a@b.c', password: 'whatever-123', admin: true } }],
    ['wrong types', 400, 'validation-failed', { body: { email: 42, password: ['x'] } }],
    ['missing fields', 400, 'validation-failed', { body: {} }],
    ['a JSON array', 400, 'validation-failed', { raw: '[1,2]' }],
    ['a form body', 415, 'unsupported-media-type', { raw: 'email=a&password=b', contentType: 'application/x-www-form-urlencoded' }],
  ];
  it.each(bad)('%s is a %i problem+json (%s)', async (_label, status, code, input) => {
    const r = await gw.http.post('/api/v1/auth/login', input.body, { raw: input.raw, contentType: input.contentType });
    expectProblem(r, status);
    expect(problemOf(r).code).toBe(code);
  });

  it('names the offending fields of a wrongly typed body', async () => {
    const r = await gw.http.post('/api/v1/auth/login', { email: 42, password: ['x'], extra: 1 });
    expectProblem(r, 400);
    expect([...new Set(problemOf(r).errors?.map((e) => e.field))].sort()).toEqual(['email', 'extra', 'password']);
  });

  it('slows guessing of one account from one address (backoff after five failures), while its owner elsewhere signs in at once', async () => {
    // Deliberately replaces the 15-minute lockout after five failures, which let anyone who knew
    // an email lock its owner out.
    const user = await createUser(gw.http, adminToken, { email: `guessed-${run}@hms.test`, branchId: mainBranchId, roles: ['nurse'] });
    const guesser = { from: '127.0.0.7' };
    for (let i = 0; i < 5; i++) expectProblem(await gw.http.post('/api/v1/auth/login', { email: user.email, password: `Wrong-Pass-${i}!` }, guesser), 401);
    // The sixth attempt from the guesser's address waits, even with the right password.
    const sixth = await gw.http.post('/api/v1/auth/login', { email: user.email, password: user.password }, guesser);
    expectProblem(sixth, 429);
    expect(problemOf(sixth).code).toBe('login-rate-limited');
    expect(Number(sixth.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    // The owner, at another address, is not locked out.
    await login(gw.http, user.email, user.password);
    // After the wait, the guesser's next failure doubles it.
    await new Promise((r) => setTimeout(r, 1100));
    expectProblem(await gw.http.post('/api/v1/auth/login', { email: user.email, password: 'Wrong-Pass-6!' }, guesser), 401);
    const next = await gw.http.post('/api/v1/auth/login', { email: user.email, password: user.password }, guesser);
    expectProblem(next, 429);
    expect(Number(next.headers.get('retry-after'))).toBeGreaterThanOrEqual(2);
    // Four failures do not slow anyone down: a fresh user survives four and then signs in.
    const other = await createUser(gw.http, adminToken, { email: `fourfails-${run}@hms.test`, branchId: mainBranchId, roles: ['nurse'] });
    for (let i = 0; i < 4; i++) await gw.http.post('/api/v1/auth/login', { email: other.email, password: `Wrong-Pass-${i}!` }, guesser);
    await login(gw.http, other.email, other.password);
  });

  it('never locks the administrator out: a storm of failures from many addresses leaves an address they signed in from open', async () => {
    const target = await createUser(gw.http, adminToken, { email: `stormed-${run}@hms.test`, branchId: mainBranchId, roles: ['admin'] });
    await login(gw.http, target.email, target.password); // their usual desk (127.0.0.1)
    for (let a = 10; a < 16; a++) {
      for (let i = 0; i < 5; i++) await gw.http.post('/api/v1/auth/login', { email: target.email, password: `Storm-${a}-${i}!` }, { from: `127.0.1.${a}` });
    }
    // 30 failures from six addresses: strangers now wait, the owner at their desk does not.
    expectProblem(await gw.http.post('/api/v1/auth/login', { email: target.email, password: target.password }, { from: '127.0.1.99' }), 429);
    await login(gw.http, target.email, target.password);
  });

  it('does not show the first start’s password anywhere and signs in with the one the operator set (HMS_ADMIN_PASSWORD)', async () => {
    await login(gw.http, adminEmail, ADMIN_PASSWORD);
    // The second start named another password: the first start's administrator keeps theirs.
    expectProblem(await gw.http.post('/api/v1/auth/login', { email: adminEmail, password: 'Another-Pass-2026!' }), 401);
  });
});

describe('refresh tokens', () => {
  it('rotate: the new pair works, the old token fails, and presenting it again revokes the family', async () => {
    const first = await login(gw.http, adminEmail, ADMIN_PASSWORD);
    const r = await gw.http.post('/api/v1/auth/refresh', { refreshToken: first.refreshToken });
    expect(r.status).toBe(200);
    const second = r.body as TokenPair;
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect(second.accessToken).not.toBe(first.accessToken);
    expect((await gw.http.get('/api/v1/auth/me', { token: second.accessToken })).status).toBe(200);

    const reused = await gw.http.post('/api/v1/auth/refresh', { refreshToken: first.refreshToken });
    expectProblem(reused, 401);
    expect(problemOf(reused).code).toBe('refresh-token-invalid');
    // The reuse ended the whole family: the token issued by the rotation is dead too.
    const afterTheft = await gw.http.post('/api/v1/auth/refresh', { refreshToken: second.refreshToken });
    expectProblem(afterTheft, 401);
    expect(problemOf(afterTheft).code).toBe('refresh-token-invalid');
    const family = await db.admin<{ revoked: boolean }>(
      `SELECT revoked_at IS NOT NULL AS revoked FROM gateway.refresh_tokens
       WHERE family_id = (SELECT family_id FROM gateway.refresh_tokens WHERE user_id = (SELECT id FROM gateway.users WHERE email = $1) ORDER BY created_at DESC LIMIT 1)`,
      [adminEmail],
    );
    expect(family.map((f) => f.revoked)).toEqual([true, true]);
  });

  it('refuses an unknown or malformed refresh token', async () => {
    expectProblem(await gw.http.post('/api/v1/auth/refresh', { refreshToken: 'rt_not-a-real-token' }), 401);
    expectProblem(await gw.http.post('/api/v1/auth/refresh', { refreshToken: 42 }), 400);
    expectProblem(await gw.http.post('/api/v1/auth/refresh', {}), 400);
  });
});

describe('access tokens', () => {
  it('an expired token is a 401', async () => {
    const key = await storedSigningKey();
    const now = Math.floor(Date.now() / 1000);
    const claims = decodeJwt(adminToken);
    const expired = await new SignJWT({ ...claims })
      .setProtectedHeader({ alg: 'ES256', kid: key.kid, typ: 'JWT' })
      .setIssuedAt(now - 3600)
      .setExpirationTime(now - 600)
      .sign(await importJWK(key.private_jwk, 'ES256'));
    const r = await gw.http.get('/api/v1/auth/me', { token: expired });
    expectProblem(r, 401);
    expect(problemOf(r).code).toBe('token-expired');
    // The same key and claims with a live expiry pass: only the expiry made the difference.
    const live = await new SignJWT({ ...claims }).setProtectedHeader({ alg: 'ES256', kid: key.kid }).setExpirationTime(now + 60).sign(await importJWK(key.private_jwk, 'ES256'));
    expect((await gw.http.get('/api/v1/auth/me', { token: live })).status).toBe(200);
  });

  it('a token signed by another key is a 401, as are a missing and a garbled one', async () => {
    const other = await TestIdentity.start();
    try {
      const forged = await other.token({ userId: decodeJwt(adminToken).sub, branches: [{ branch: { id: mainBranchId, code: 'MAIN' }, role: 'admin' }] });
      const r = await gw.http.get('/api/v1/auth/me', { token: forged });
      expectProblem(r, 401);
      expect(problemOf(r).code).toBe('token-invalid');
      expectProblem(await gw.http.get('/api/v1/admin/roles', { token: forged }), 401);
    } finally {
      await other.stop();
    }
    expectProblem(await gw.http.get('/api/v1/auth/me'), 401);
    expectProblem(await gw.http.get('/api/v1/auth/me', { token: `${adminToken.slice(0, -4)}AAAA` }), 401);
    expectProblem(await gw.http.get('/api/v1/auth/me', { headers: { authorization: 'Basic YWRtaW46YWRtaW4=' } }), 401);
  });

  it('naming a branch the user does not belong to is a 403', async () => {
    const r = await gw.http.get('/api/v1/admin/roles', { token: adminToken, branchId: '0190a0b0-0000-7000-8000-000000000001' });
    expectProblem(r, 403);
    expect(problemOf(r).code).toBe('branch-not-granted');
    expectProblem(await gw.http.get('/api/v1/auth/me', { token: adminToken, branchId: '0190a0b0-0000-7000-8000-000000000001' }), 403);
    expectProblem(await gw.http.get('/api/v1/admin/roles', { token: adminToken, branchId: 'not-a-uuid' }), 400);
  });
});

describe('administration', () => {
  let puneId: string;
  let adminPair: TokenPair;
  let desk: { id: string; email: string; password: string };
  const deskEmail = `desk-${run}@hms.test`;

  beforeAll(async () => {
    adminPair = await login(gw.http, adminEmail, ADMIN_PASSWORD);
  });

  it('creates a branch, whose creator then administers it after refreshing', async () => {
    const r = await gw.http.post('/api/v1/admin/branches', { code: 'PUNE', name: 'Pune Hospital' }, { token: adminPair.accessToken });
    expect(r.status).toBe(201);
    expect(r.body).toEqual({ id: expect.any(String), code: 'PUNE', name: 'Pune Hospital', active: true });
    puneId = r.body.id as string;
    expectProblem(await gw.http.post('/api/v1/admin/branches', { code: 'PUNE', name: 'Again' }, { token: adminPair.accessToken }), 409);
    expectProblem(await gw.http.post('/api/v1/admin/branches', { code: 'pune', name: 'Lower' }, { token: adminPair.accessToken }), 400);
    // The old access token does not carry the new branch; a refresh re-reads the memberships.
    adminPair = (await gw.http.post('/api/v1/auth/refresh', { refreshToken: adminPair.refreshToken })).body as TokenPair;
    const me = await gw.http.get('/api/v1/auth/me', { token: adminPair.accessToken });
    expect(me.body.branches.map((b: { code: string }) => b.code)).toEqual(['MAIN', 'PUNE']);
  });

  it('creates a front-desk user in the branch, who signs in and sees the branch', async () => {
    desk = await createUser(gw.http, adminPair.accessToken, { email: deskEmail, branchId: puneId, roles: ['front-desk'], name: 'Desk Person', actingBranchId: puneId });
    const pair = await login(gw.http, deskEmail, USER_PASSWORD);
    const me = await gw.http.get('/api/v1/auth/me', { token: pair.accessToken });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ id: desk.id, email: deskEmail, name: 'Desk Person', branches: [{ id: puneId, code: 'PUNE', roles: ['front-desk'] }] });
    expect(me.body.branches).toHaveLength(1);
    expect(me.body.branches[0].permissions).toContain('patients:register');
    expect(me.body.branches[0].permissions).not.toContain('identity:manage');
    const listed = await gw.http.get('/api/v1/admin/users', { token: adminPair.accessToken, branchId: puneId });
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((u: { email: string }) => u.email)).toEqual(expect.arrayContaining([adminEmail, deskEmail]));
  });

  it('refuses the front-desk user the admin routes, and another branch', async () => {
    const { accessToken } = await login(gw.http, deskEmail, USER_PASSWORD);
    const users = await gw.http.get('/api/v1/admin/users', { token: accessToken });
    expectProblem(users, 403);
    expect(problemOf(users).code).toBe('permission-missing');
    expectProblem(await gw.http.post('/api/v1/admin/branches', { code: 'HACK', name: 'Mine' }, { token: accessToken }), 403);
    const otherBranch = await gw.http.get('/api/v1/auth/me', { token: accessToken, branchId: mainBranchId });
    expectProblem(otherBranch, 403);
    expect(problemOf(otherBranch).code).toBe('branch-not-granted');
  });

  it("lets one branch's admin change only memberships in that branch, never another branch's user's account", async () => {
    // An admin of MAIN only, and a user who works in PUNE.
    const mainAdmin = await createUser(gw.http, adminPair.accessToken, { email: `mainadmin-${run}@hms.test`, branchId: mainBranchId, roles: ['admin'], actingBranchId: mainBranchId });
    const puneNurse = await createUser(gw.http, adminPair.accessToken, { email: `nurse-${run}@hms.test`, branchId: puneId, roles: ['nurse'], actingBranchId: puneId });
    const mainToken = (await login(gw.http, mainAdmin.email, mainAdmin.password)).accessToken;
    const takeover = { password: 'Taken-Over-2026!', memberships: [{ branchId: mainBranchId, roles: ['front-desk'] }] };
    expectProblem(await gw.http.patch(`/api/v1/admin/users/${puneNurse.id}`, takeover, { token: mainToken }), 404);
    expectProblem(await gw.http.patch(`/api/v1/admin/users/${puneNurse.id}`, { active: false }, { token: mainToken }), 404);
    // Once the nurse also works in MAIN, MAIN's admin manages that membership, not the account.
    const added = await gw.http.patch(`/api/v1/admin/users/${puneNurse.id}`, { memberships: [{ branchId: mainBranchId, roles: ['nurse'] }] }, { token: adminPair.accessToken, branchId: mainBranchId });
    expect(added.status).toBe(200);
    const reset = await gw.http.patch(`/api/v1/admin/users/${puneNurse.id}`, { password: 'Taken-Over-2026!' }, { token: mainToken });
    expectProblem(reset, 403);
    expect(problemOf(reset).code).toBe('user-in-other-branches');
    const roles = await gw.http.patch(`/api/v1/admin/users/${puneNurse.id}`, { memberships: [{ branchId: mainBranchId, roles: ['front-desk'] }] }, { token: mainToken });
    expect(roles.status).toBe(200);
    expect(roles.body.memberships).toEqual([{ branchId: mainBranchId, roles: ['front-desk'] }]);
    expect((await gw.http.post('/api/v1/auth/login', { email: puneNurse.email, password: 'Taken-Over-2026!' })).status).toBe(401);
    expect((await gw.http.post('/api/v1/auth/login', { email: puneNurse.email, password: puneNurse.password })).status).toBe(200);
  });

  it('refuses a duplicate email (in any case) with 409 and a weak password with 400', async () => {
    const dup = await gw.http.post(
      '/api/v1/admin/users',
      { email: deskEmail.toUpperCase(), name: 'Again', password: USER_PASSWORD, memberships: [{ branchId: puneId, roles: ['nurse'] }] },
      { token: adminPair.accessToken, branchId: puneId },
    );
    expectProblem(dup, 409);
    expect(problemOf(dup).code).toBe('email-taken');
    for (const password of ['short1!', 'onlyletterslong']) {
      const weak = await gw.http.post(
        '/api/v1/admin/users',
        { email: `weak-${run}@hms.test`, name: 'Weak', password, memberships: [{ branchId: puneId, roles: ['nurse'] }] },
        { token: adminPair.accessToken, branchId: puneId },
      );
      expectProblem(weak, 400);
      expect(problemOf(weak).errors).toEqual([{ field: 'password', message: expect.any(String) }]);
    }
    const unknownRole = await gw.http.post(
      '/api/v1/admin/users',
      { email: `role-${run}@hms.test`, name: 'Role', password: USER_PASSWORD, memberships: [{ branchId: puneId, roles: ['emperor'] }] },
      { token: adminPair.accessToken, branchId: puneId },
    );
    expectProblem(unknownRole, 400);
    const badEmail = await gw.http.post(
      '/api/v1/admin/users',
      { email: 'not-an-email', name: 'x', password: USER_PASSWORD, memberships: [] },
      { token: adminPair.accessToken, branchId: puneId },
    );
    expectProblem(badEmail, 400);
    expect(await count(`SELECT count(*) AS n FROM gateway.users WHERE email LIKE 'weak-%' OR email LIKE 'role-%' OR email = 'not-an-email'`)).toBe(0);
  });

  it('an inactive user cannot sign in, nor refresh a session from before', async () => {
    const before = await login(gw.http, deskEmail, USER_PASSWORD);
    const r = await gw.http.patch(`/api/v1/admin/users/${desk.id}`, { active: false }, { token: adminPair.accessToken, branchId: puneId });
    expect(r.status).toBe(200);
    expect(r.body.active).toBe(false);
    const denied = await gw.http.post('/api/v1/auth/login', { email: deskEmail, password: USER_PASSWORD });
    expectProblem(denied, 401);
    expect(problemOf(denied).code).toBe('login-failed');
    expectProblem(await gw.http.post('/api/v1/auth/refresh', { refreshToken: before.refreshToken }), 401);
  });
});

describe('JWKS', () => {
  it('serves one public ES256 key that verifies the access tokens from login', async () => {
    const r = await gw.http.get('/.well-known/jwks.json');
    expect(r.status).toBe(200);
    const jwks = r.body as JSONWebKeySet;
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig', kid: expect.any(String) });
    expect(jwks.keys[0]).not.toHaveProperty('d');
    const { accessToken } = await login(gw.http, adminEmail, ADMIN_PASSWORD);
    const { payload, protectedHeader } = await jwtVerify(accessToken, createLocalJWKSet(jwks), { issuer: 'hms-gateway', audience: 'hms', algorithms: ['ES256'] });
    expect(protectedHeader.kid).toBe(jwks.keys[0].kid);
    expect(payload).toMatchObject({ typ: 'access', email: adminEmail, sub: expect.any(String), jti: expect.any(String) });
    // A token from another issuer's key does not verify against it.
    const other = await TestIdentity.start();
    try {
      const forged = await other.token({ branches: [{ branch: { id: mainBranchId, code: 'MAIN' }, role: 'admin' }] });
      await expect(jwtVerify(forged, createLocalJWKSet(jwks))).rejects.toThrow();
    } finally {
      await other.stop();
    }
  });
});

/**
 * Rate limits and sign-out, once per kind of security store. The Redis run is what CI (which
 * sets REDIS_URL) relies on; locally it uses the Redis on 127.0.0.1:6379.
 */
describe.each([
  ['postgres', {}],
  ['redis', { REDIS_URL: process.env.REDIS_URL ?? DEFAULT_REDIS_URL }],
] as const)('with the %s security store', (kind, storeEnv) => {
  let limited: Gateway;
  let redis: RedisConnection | null = null;

  beforeAll(async () => {
    limited = await startGateway(db, { ...storeEnv, HMS_ADMIN_EMAIL: adminEmail, LOGIN_RATE_LIMIT: '3' });
    if ('REDIS_URL' in storeEnv) redis = await connectRedis(storeEnv.REDIS_URL);
  });
  afterAll(async () => {
    await limited?.close();
    await redis?.close();
  });

  it('uses that store', async () => {
    const r = await limited.http.get('/health/ready');
    expect(r.status).toBe(200);
    expect(r.body.checks).toMatchObject({ [`${kind}-security-store`]: 'up', database: 'up' });
  });

  it('catches password spraying: after 3 failures from one address, whatever the accounts, the 4th answers 429 with Retry-After', async () => {
    // Deliberately replaces "4 attempts per account and address per minute": only failures count
    // now, and the address limit spans accounts (spraying one password over many accounts).
    const sprayer = { from: kind === 'redis' ? '127.0.2.1' : '127.0.2.2' };
    for (let i = 0; i < 3; i++) {
      expectProblem(await limited.http.post('/api/v1/auth/login', { email: `sprayed-${i}-${kind}-${run}@hms.test`, password: 'Spring-2026!' }, sprayer), 401);
    }
    const fourth = await limited.http.post('/api/v1/auth/login', { email: `sprayed-3-${kind}-${run}@hms.test`, password: 'Spring-2026!' }, sprayer);
    expectProblem(fourth, 429);
    expect(problemOf(fourth).code).toBe('login-rate-limited');
    const retryAfter = Number(fourth.headers.get('retry-after'));
    expect(Number.isInteger(retryAfter)).toBe(true);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(15 * 60);
    // Another address is still heard; and the limit survives the gateway's restart.
    expectProblem(await limited.http.post('/api/v1/auth/login', { email: `sprayed-4-${kind}-${run}@hms.test`, password: 'Spring-2026!' }, { from: '127.0.2.9' }), 401);
    await limited.close();
    limited = await startGateway(db, { ...storeEnv, HMS_ADMIN_EMAIL: adminEmail, LOGIN_RATE_LIMIT: '3' });
    expectProblem(await limited.http.post('/api/v1/auth/login', { email: `sprayed-5-${kind}-${run}@hms.test`, password: 'Spring-2026!' }, sprayer), 429);
  });

  it('counts only failures: with a limit of three, eight sign-ins in a row all succeed', async () => {
    for (let i = 0; i < 8; i++) await login(limited.http, adminEmail, ADMIN_PASSWORD);
  });

  it('refuses the access token after sign-out (token-revoked), and the refresh token', async () => {
    const pair = await login(limited.http, adminEmail, ADMIN_PASSWORD);
    expect((await limited.http.get('/api/v1/auth/me', { token: pair.accessToken })).status).toBe(200);
    const out = await limited.http.post('/api/v1/auth/logout', { refreshToken: pair.refreshToken }, { token: pair.accessToken });
    expect(out.status).toBe(204);
    const me = await limited.http.get('/api/v1/auth/me', { token: pair.accessToken });
    expectProblem(me, 401);
    expect(problemOf(me).code).toBe('token-revoked');
    expectProblem(await limited.http.get('/api/v1/admin/roles', { token: pair.accessToken }), 401);
    expectProblem(await limited.http.post('/api/v1/auth/logout', {}, { token: pair.accessToken }), 401);
    const refreshed = await limited.http.post('/api/v1/auth/refresh', { refreshToken: pair.refreshToken });
    expectProblem(refreshed, 401);
    expect(problemOf(refreshed).code).toBe('refresh-token-invalid');
    if (redis) {
      // The deny-list entry lives in Redis (shared by replicas) for as long as the token would.
      const ttl = await redis.ttl(`${REDIS_PREFIX}revoked:token:${decodeJwt(pair.accessToken).jti}`);
      expect(ttl).toBeGreaterThan(800);
      expect(ttl).toBeLessThanOrEqual(900);
    }
  });

  it('signs out without a body, revoking only the access token', async () => {
    const session = await login(limited.http, adminEmail, ADMIN_PASSWORD);
    const out = await limited.http.send('POST', '/api/v1/auth/logout', undefined, { token: session.accessToken });
    expect(out.status).toBe(204);
    expectProblem(await limited.http.get('/api/v1/auth/me', { token: session.accessToken }), 401);
    expect((await limited.http.post('/api/v1/auth/refresh', { refreshToken: session.refreshToken })).status).toBe(200);
  });
});
