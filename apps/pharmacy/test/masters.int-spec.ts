import type { ServiceHarness } from '@hms/platform-service-testing';
import { TestIdentity, expectProblem, type TestBranch, type TestResponse } from '@hms/platform-testing';
import { serviceClock, startPharmacy } from './support';

// Issue 7: items, stores and suppliers are edited with If-Match and deactivated (item 18); blank
// names and GST rates not in force are refused naming the field (item 10); dates that are not
// real calendar dates, the year 0 among them, are a 400 and never a 500 (item 9).
jest.setTimeout(60_000);

const P = '/api/v1/pharmacy';
let h: ServiceHarness;
let clock: ReturnType<typeof serviceClock>;
let branch: TestBranch;
let admin: string;
let n = 0;

beforeAll(async () => {
  h = await startPharmacy(__filename);
  clock = serviceClock(h);
  branch = TestIdentity.branch('MST');
  admin = await h.identity.token({ branches: [{ branch, role: 'admin' }] });
});
afterAll(() => h?.stop());
afterEach(() => clock.reset());

function ok(r: TestResponse, status: number): TestResponse {
  if (r.status !== status) throw new Error(`expected ${status}, got ${r.status}: ${r.text.slice(0, 400)}`);
  return r;
}

const TABLES = ['items', 'item_gst_rates', 'stores', 'suppliers', 'goods_receipts', 'batches', 'stock_ledger', 'dispenses', 'h1_register', 'outbox'];
/** Row counts and the version sum of every master: what "nothing was written" compares. */
async function snapshot(): Promise<Record<string, number>> {
  const rows = await h.db.admin<{ t: string; n: string }>(
    [
      ...TABLES.map((t) => `SELECT '${t}' AS t, count(*) AS n FROM pharmacy.${t}`),
      ...['items', 'stores', 'suppliers'].map((t) => `SELECT '${t}.versions' AS t, coalesce(sum(version), 0) AS n FROM pharmacy.${t}`),
    ].join(' UNION ALL '),
  );
  return Object.fromEntries(rows.map((r) => [r.t, Number(r.n)]));
}

const itemBody = (extra: Record<string, unknown> = {}) => {
  n++;
  return { code: `MS${n}`, kind: 'drug', genericName: `Drug ${n}`, form: 'tablet', strength: '500 mg', unit: 'tablet', packSize: 10, hsn: '3004', schedule: 'NONE', gstRateBp: 500, gstEffectiveFrom: '2025-09-22', ...extra };
};
const createItem = async (extra: Record<string, unknown> = {}) => ok(await h.http.post(`${P}/items`, itemBody(extra), { token: admin }), 201);
const createStore = async (extra: Record<string, unknown> = {}) => {
  n++;
  return ok(await h.http.post(`${P}/stores`, { code: `MST${n}`, name: `Store ${n}`, kind: 'pharmacy', ...extra }, { token: admin }), 201);
};
const gstins = ['27AAPFU0939F1ZV', '29AAGCB7383J1Z4'];
const createSupplier = async (index: number) => ok(await h.http.post(`${P}/suppliers`, { name: `Supplier ${index}`, gstin: gstins[index] }, { token: admin }), 201);
const patch = (path: string, body: unknown, etag?: string | null, token = admin) => h.http.patch(`${P}${path}`, body, { token, headers: etag ? { 'if-match': etag } : undefined });

function receiptBody(storeId: string, supplierId: string, itemId: string, extra: Record<string, unknown> = {}, line: Record<string, unknown> = {}) {
  n++;
  return {
    storeId,
    supplierId,
    invoiceNumber: `MS/${n}`,
    invoiceDate: clock.today(),
    lines: [{ itemId, batchNo: `MB${n}`, expiry: clock.inDays(400), quantity: 10, purchaseRatePaise: 100, mrpPaise: 150, ...line }],
    ...extra,
  };
}

let supplierA: string;
beforeAll(async () => {
  supplierA = (await createSupplier(0)).body.id;
});

describe('editing and deactivating items (issue 7, item 18)', () => {
  it('changes an item with If-Match and a new ETag; 428 without it, 412 with a stale one, writing nothing', async () => {
    const created = await createItem({ brandName: 'Calpol' });
    const etag = created.headers.get('etag');
    expect(etag).toBe('"1"');
    const got = ok(await h.http.get(`${P}/items/${created.body.id}`, { token: admin }), 200);
    expect(got.headers.get('etag')).toBe('"1"');
    expect(got.body).toMatchObject({ active: true, version: 1 });

    const before = await snapshot();
    const missing = await patch(`/items/${created.body.id}`, { genericName: 'Paracetamol' });
    expectProblem(missing, 428);
    expect(missing.body.code).toBe('if-match-required');
    const stale = await patch(`/items/${created.body.id}`, { genericName: 'Paracetamol' }, '"7"');
    expectProblem(stale, 412);
    expect(stale.body).toMatchObject({ code: 'version-mismatch', currentVersion: 1 });
    expectProblem(await patch(`/items/${created.body.id}`, {}, etag), 400);
    expectProblem(await patch(`/items/${created.body.id}`, { code: 'NEWCODE' }, etag), 400);
    expectProblem(await patch(`/items/${created.body.id}`, { genericName: '   ' }, etag), 400);
    expectProblem(await patch(`/items/${created.body.id}`, { genericName: null }, etag), 400);
    expectProblem(await patch(`/items/01930000-0000-7000-8000-0000000000f1`, { genericName: 'X' }, etag), 404);
    expect(await snapshot()).toEqual(before);

    const changed = ok(await patch(`/items/${created.body.id}`, { genericName: 'Paracetamol', strength: '650 mg', brandName: null, schedule: 'H', packSize: 15 }, etag), 200);
    expect(changed.headers.get('etag')).toBe('"2"');
    expect(changed.body).toMatchObject({ genericName: 'Paracetamol', strength: '650 mg', brandName: null, schedule: 'H', packSize: 15, code: created.body.code, version: 2, active: true });
    // The old ETag no longer changes anything.
    expectProblem(await patch(`/items/${created.body.id}`, { genericName: 'Again' }, etag), 412);
  });

  it('a deactivated item can be neither received (422 item-inactive) nor dispensed; it leaves the list, and comes back when reactivated', async () => {
    const store = (await createStore()).body.id as string;
    const item = await createItem();
    ok(await h.http.post(`${P}/goods-receipts`, receiptBody(store, supplierA, item.body.id), { token: admin }), 201);
    const off = ok(await patch(`/items/${item.body.id}`, { active: false }, item.headers.get('etag')), 200);
    expect(off.body).toMatchObject({ active: false, version: 2 });

    const before = await snapshot();
    const receipt = await h.http.post(`${P}/goods-receipts`, receiptBody(store, supplierA, item.body.id), { token: admin });
    expectProblem(receipt, 422);
    expect(receipt.body).toMatchObject({ code: 'item-inactive', errors: [{ field: 'lines[0].itemId', message: expect.any(String) }] });
    const sale = await h.http.post(`${P}/dispenses`, { storeId: store, supplyKind: 'otc', lines: [{ itemId: item.body.id, quantity: 1 }] }, { token: admin });
    expectProblem(sale, 422);
    expect(sale.body).toMatchObject({ code: 'item-inactive', errors: [{ field: 'lines[0].itemId', message: expect.any(String) }] });
    expect(await snapshot()).toEqual(before);

    const listed = async (query: string) => (ok(await h.http.get(`${P}/items?limit=100${query}`, { token: admin }), 200).body.items as { id: string }[]).map((i) => i.id);
    expect(await listed('')).not.toContain(item.body.id);
    expect(await listed('&includeInactive=true')).toContain(item.body.id);
    expectProblem(await h.http.get(`${P}/items?includeInactive=maybe`, { token: admin }), 400);

    ok(await patch(`/items/${item.body.id}`, { active: true }, off.headers.get('etag')), 200);
    ok(await h.http.post(`${P}/dispenses`, { storeId: store, supplyKind: 'otc', lines: [{ itemId: item.body.id, quantity: 1 }] }, { token: admin }), 201);
  });
});

describe('editing and deactivating stores (issue 7, items 18 and 13)', () => {
  it('renames a store and sets its minimum shelf life with If-Match', async () => {
    const created = await createStore();
    expect(created.body).toMatchObject({ minShelfLifeDays: 0, active: true, version: 1 });
    const got = ok(await h.http.get(`${P}/stores/${created.body.id}`, { token: admin }), 200);
    const changed = ok(await patch(`/stores/${created.body.id}`, { name: 'Ground floor pharmacy', minShelfLifeDays: 90 }, got.headers.get('etag')), 200);
    expect(changed.body).toMatchObject({ name: 'Ground floor pharmacy', minShelfLifeDays: 90, version: 2, code: created.body.code });
    expect(changed.headers.get('etag')).toBe('"2"');
    for (const bad of [{ minShelfLifeDays: -1 }, { minShelfLifeDays: 3651 }, { minShelfLifeDays: 1.5 }, { name: '' }, { name: ' \t ' }, { kind: 'ward' }, { code: 'X' }]) {
      expectProblem(await patch(`/stores/${created.body.id}`, bad, '"2"'), 400);
    }
    expectProblem(await patch(`/stores/${created.body.id}`, { name: 'Late' }, '"1"'), 412);
    expectProblem(await h.http.post(`${P}/stores`, { code: 'SHELF', name: 'Shelf', kind: 'pharmacy', minShelfLifeDays: -5 }, { token: admin }), 400);
  });

  it('refuses to deactivate a store that holds stock (409 store-not-empty); an empty one is deactivated and then neither receives nor dispenses (422 store-inactive)', async () => {
    const store = await createStore();
    const item = await createItem();
    const received = ok(await h.http.post(`${P}/goods-receipts`, receiptBody(store.body.id, supplierA, item.body.id), { token: admin }), 201);
    const full = await patch(`/stores/${store.body.id}`, { active: false }, '"1"');
    expectProblem(full, 409);
    expect(full.body).toMatchObject({ code: 'store-not-empty', onHand: 10 });
    ok(await h.http.post(`${P}/supplier-returns`, { storeId: store.body.id, supplierId: supplierA, lines: [{ batchId: received.body.lines[0].batchId, quantity: 10 }] }, { token: admin }), 201);
    const off = ok(await patch(`/stores/${store.body.id}`, { active: false }, '"1"'), 200);
    expect(off.body).toMatchObject({ active: false, version: 2 });

    const before = await snapshot();
    const receipt = await h.http.post(`${P}/goods-receipts`, receiptBody(store.body.id, supplierA, item.body.id), { token: admin });
    expectProblem(receipt, 422);
    expect(receipt.body).toMatchObject({ code: 'store-inactive', errors: [{ field: 'storeId', message: expect.any(String) }] });
    const sale = await h.http.post(`${P}/dispenses`, { storeId: store.body.id, supplyKind: 'otc', lines: [{ itemId: item.body.id, quantity: 1 }] }, { token: admin });
    expectProblem(sale, 422);
    expect(sale.body.code).toBe('store-inactive');
    expect(await snapshot()).toEqual(before);
    const stores = async (query = '') => (ok(await h.http.get(`${P}/stores${query}`, { token: admin }), 200).body.items as { id: string }[]).map((s) => s.id);
    expect(await stores()).not.toContain(store.body.id);
    expect(await stores('?includeInactive=true')).toContain(store.body.id);
  });
});

describe('editing and deactivating suppliers (issue 7, item 18)', () => {
  it('renames a supplier; a deactivated one delivers nothing (422 supplier-inactive)', async () => {
    const supplier = await createSupplier(1);
    const store = (await createStore()).body.id as string;
    const item = (await createItem()).body.id as string;
    const got = ok(await h.http.get(`${P}/suppliers/${supplier.body.id}`, { token: admin }), 200);
    expect(got.headers.get('etag')).toBe('"1"');
    const renamed = ok(await patch(`/suppliers/${supplier.body.id}`, { name: 'Bengaluru Medico LLP' }, '"1"'), 200);
    expect(renamed.body).toMatchObject({ name: 'Bengaluru Medico LLP', gstin: gstins[1], version: 2, active: true });
    expectProblem(await patch(`/suppliers/${supplier.body.id}`, { gstin: gstins[0] }, '"2"'), 400);
    expectProblem(await patch(`/suppliers/${supplier.body.id}`, { name: '  ' }, '"2"'), 400);
    ok(await patch(`/suppliers/${supplier.body.id}`, { active: false }, '"2"'), 200);
    const before = await snapshot();
    const receipt = await h.http.post(`${P}/goods-receipts`, receiptBody(store, supplier.body.id, item), { token: admin });
    expectProblem(receipt, 422);
    expect(receipt.body).toMatchObject({ code: 'supplier-inactive', errors: [{ field: 'supplierId', message: expect.any(String) }] });
    expect(await snapshot()).toEqual(before);
    expect((ok(await h.http.get(`${P}/suppliers`, { token: admin }), 200).body.items as { id: string }[]).map((s) => s.id)).not.toContain(supplier.body.id);
  });

  it('needs pharmacy:manage to change a master, and pharmacy:read to read one', async () => {
    const item = await createItem();
    const store = (await createStore()).body.id as string;
    const pharmacist = await h.identity.token({ branches: [{ branch, role: 'pharmacist' }] });
    const frontDesk = await h.identity.token({ branches: [{ branch, role: 'front-desk' }] });
    const before = await snapshot();
    for (const path of [`/items/${item.body.id}`, `/stores/${store}`, `/suppliers/${supplierA}`]) {
      const r = await patch(path, { active: false }, '"1"', pharmacist);
      expectProblem(r, 403);
      expect(r.body.code).toBe('permission-missing');
      expectProblem(await h.http.get(`${P}${path}`, { token: frontDesk }), 403);
    }
    expect(await snapshot()).toEqual(before);
  });
});

describe('names of only white space are refused, naming the field (issue 7, item 10)', () => {
  it.each([
    ['a store name', '/stores', () => ({ code: `WS${++n}`, name: '   ', kind: 'pharmacy' }), 'name'],
    ['a supplier name', '/suppliers', () => ({ name: '\t \n', gstin: '27AAPFU0939F1ZV' }), 'name'],
    ['an item generic name', '/items', () => itemBody({ genericName: '  ' }), 'genericName'],
    ['an item brand name', '/items', () => itemBody({ brandName: ' ' }), 'brandName'],
    ['an item form', '/items', () => itemBody({ form: '\u00a0' }), 'form'],
    ['an item unit', '/items', () => itemBody({ unit: '   ' }), 'unit'],
  ])('%s', async (_label, path, body, field) => {
    const before = await snapshot();
    const r = await h.http.post(`${P}${path}`, body(), { token: admin });
    expectProblem(r, 400);
    expect((r.body.errors as { field: string }[]).map((e) => e.field)).toContain(field);
    expect(await snapshot()).toEqual(before);
  });
});

describe('GST rates must be rates in force on their date (issue 7, item 10)', () => {
  it('refuses 7% and any rate not in force on its effective date, naming the field; takes every rate that is', async () => {
    const before = await snapshot();
    for (const [gstRateBp, gstEffectiveFrom] of [
      [700, '2025-09-22'],
      [700, '2024-01-01'],
      [4000, '2025-09-21'],
      [1000, '2025-12-01'],
      [500, '2017-06-30'],
    ] as const) {
      const r = await h.http.post(`${P}/items`, itemBody({ gstRateBp, gstEffectiveFrom }), { token: admin });
      expectProblem(r, 400);
      expect(r.body.errors).toEqual([expect.objectContaining({ field: 'gstRateBp' })]);
    }
    expect(await snapshot()).toEqual(before);
    const item = await createItem();
    const withItem = await snapshot();
    const r = await h.http.post(`${P}/items/${item.body.id}/gst-rates`, { effectiveFrom: '2025-11-15', rateBp: 700 }, { token: admin });
    expectProblem(r, 400);
    expect(r.body.errors).toEqual([expect.objectContaining({ field: 'rateBp', message: expect.stringMatching(/700 \(7%\) is not a GST rate in force on 2025-11-15/) })]);
    expect(await snapshot()).toEqual(withItem);

    for (const [rateBp, effectiveFrom] of [
      [1200, '2017-07-01'],
      [2800, '2024-04-01'],
      [0, '2025-09-23'],
      [4000, '2025-10-01'],
      [1200, '2025-11-01'],
      [2800, '2025-12-01'],
      [1800, clock.inDays(30)],
    ] as const) {
      ok(await h.http.post(`${P}/items/${item.body.id}/gst-rates`, { effectiveFrom, rateBp }, { token: admin }), 201);
    }
  });
});

describe('dates that are not real calendar dates are a 400, never a 500 (issue 7, item 9)', () => {
  const BAD = ['0000-01-01', '2026-02-30', '1899-12-31', '2200-01-01', '20260101'];

  it('in every date field of a body, writing nothing', async () => {
    const store = (await createStore()).body.id as string;
    const item = (await createItem({ schedule: 'H1' })).body.id as string;
    ok(await h.http.post(`${P}/goods-receipts`, receiptBody(store, supplierA, item), { token: admin }), 201);
    const rx = { prescriberName: 'Dr. Meera Rao', prescriberRegistrationNumber: 'MMC-1', prescriberAddress: '12 MG Road, Pune' };
    const before = await snapshot();
    for (const bad of BAD) {
      const requests: [string, string, unknown, string][] = [
        ['POST', '/items', itemBody({ gstEffectiveFrom: bad }), 'gstEffectiveFrom'],
        ['POST', `/items/${item}/gst-rates`, { effectiveFrom: bad, rateBp: 500 }, 'effectiveFrom'],
        ['POST', '/goods-receipts', receiptBody(store, supplierA, item, { invoiceDate: bad }), 'invoiceDate'],
        ['POST', '/goods-receipts', receiptBody(store, supplierA, item, {}, { expiry: bad }), 'lines.0.expiry'],
        ['POST', '/dispenses', { storeId: store, supplyKind: 'otc', patientName: 'Anita Devi', prescription: { ...rx, prescribedOn: bad }, lines: [{ itemId: item, quantity: 1 }] }, 'prescription.prescribedOn'],
      ];
      for (const [method, path, body, field] of requests) {
        const r = await h.http.send(method, `${P}${path}`, body, { token: admin });
        if (r.status !== 400) throw new Error(`${path} with ${bad}: expected 400, got ${r.status}: ${r.text}`);
        expectProblem(r, 400);
        expect((r.body.errors as { field: string }[]).map((e) => e.field)).toContain(field);
      }
    }
    expect(await snapshot()).toEqual(before);
  });

  it('in every date query parameter', async () => {
    const item = (await createItem()).body.id as string;
    const today = clock.today();
    for (const bad of BAD) {
      for (const path of [
        `/h1-register?from=${bad}&to=${today}`,
        `/h1-register?from=${today}&to=${bad}`,
        `/h1-register.csv?from=${bad}&to=${today}`,
        `/reports/movements?itemId=${item}&from=${bad}`,
        `/reports/movements?itemId=${item}&to=${bad}`,
        `/goods-receipts?from=${bad}`,
        `/goods-receipts?to=${bad}`,
      ]) {
        const r = await h.http.get(`${P}${path}`, { token: admin });
        if (r.status !== 400) throw new Error(`${path}: expected 400, got ${r.status}: ${r.text}`);
        expectProblem(r, 400);
      }
    }
  });
});
