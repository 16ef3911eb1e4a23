// The administration lists answer one shape, a page: { items, limit, offset, nextOffset }, with
// limit and offset checked like every other list's.
import { createTestDatabase, expectProblem, type TestDatabase } from '@hms/platform-testing';
import { ADMIN_PASSWORD, createUser, login, problemOf, runId, startGateway, type Gateway, type TokenPair } from './support';

const run = runId();
const adminEmail = `admin-${run}@hms.test`;

let db: TestDatabase;
let gw: Gateway;
let admin: TokenPair;
let mainId: string;

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

describe('administration lists', () => {
  it('pages the branches by code', async () => {
    for (const code of ['PGA', 'PGB', 'PGC']) {
      expect((await gw.http.post('/api/v1/admin/branches', { code, name: `Branch ${code}` }, { token: admin.accessToken })).status).toBe(201);
    }
    const first = await gw.http.get('/api/v1/admin/branches?limit=2', { token: admin.accessToken });
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ items: [expect.objectContaining({ code: 'MAIN' }), expect.objectContaining({ code: 'PGA' })], limit: 2, offset: 0, nextOffset: 2 });
    expect(Object.keys(first.body.items[0]).sort()).toEqual(['active', 'code', 'id', 'name']);
    const last = await gw.http.get('/api/v1/admin/branches?limit=2&offset=2', { token: admin.accessToken });
    expect(last.body).toEqual({ items: [expect.objectContaining({ code: 'PGB' }), expect.objectContaining({ code: 'PGC' })], limit: 2, offset: 2, nextOffset: null });
    const all = await gw.http.get('/api/v1/admin/branches', { token: admin.accessToken });
    expect(all.body).toMatchObject({ limit: 20, offset: 0, nextOffset: null });
    expect(all.body.items).toHaveLength(4);
  });

  it('pages the roles by name', async () => {
    const all = await gw.http.get('/api/v1/admin/roles?limit=100', { token: admin.accessToken });
    expect(all.body).toMatchObject({ limit: 100, offset: 0, nextOffset: null });
    const names = (all.body.items as { name: string }[]).map((r) => r.name);
    expect(names).toEqual([...names].sort());
    expect(all.body.items.find((r: { name: string }) => r.name === 'admin')).toEqual({ name: 'admin', description: expect.any(String), permissions: expect.any(Array), builtIn: true });
    const one = await gw.http.get('/api/v1/admin/roles?limit=1&offset=1', { token: admin.accessToken });
    expect(one.body).toEqual({ items: [all.body.items[1]], limit: 1, offset: 1, nextOffset: 2 });
  });

  it('pages the users of the branch, with nextOffset', async () => {
    for (const i of [1, 2]) await createUser(gw.http, admin.accessToken, { email: `listed-${i}-${run}@hms.test`, branchId: mainId, roles: ['nurse'] });
    const first = await gw.http.get('/api/v1/admin/users?limit=2', { token: admin.accessToken });
    expect(first.body).toMatchObject({ limit: 2, offset: 0, nextOffset: 2 });
    expect(first.body.items).toHaveLength(2);
    const last = await gw.http.get('/api/v1/admin/users?limit=2&offset=2', { token: admin.accessToken });
    expect(last.body).toMatchObject({ limit: 2, offset: 2, nextOffset: null });
    expect(last.body.items).toHaveLength(1);
    expect(last.body.items[0]).toEqual({ id: expect.any(String), email: expect.any(String), name: expect.any(String), active: true, memberships: [{ branchId: mainId, roles: expect.any(Array) }], platformRoles: expect.any(Array), homeBranchId: mainId });
  });

  it('refuses a limit or offset out of range, naming the field', async () => {
    for (const path of ['/api/v1/admin/users', '/api/v1/admin/branches', '/api/v1/admin/roles']) {
      const r = await gw.http.get(`${path}?limit=101`, { token: admin.accessToken });
      expectProblem(r, 400);
      expect(problemOf(r).errors).toEqual([{ field: 'limit', message: 'must be a whole number from 1 to 100' }]);
      expectProblem(await gw.http.get(`${path}?offset=-1`, { token: admin.accessToken }), 400);
      expectProblem(await gw.http.get(`${path}?limit=abc`, { token: admin.accessToken }), 400);
    }
  });
});
