import type { EventDefinition } from '@hms/contracts-common';
import { ReorderNeeded, StockAdjusted, StockReturned, StockTransferred } from '@hms/contracts-pharmacy';
import type { ServiceHarness } from '@hms/platform-service-testing';
import { TestIdentity, expectProblem, type TestBranch, type TestResponse } from '@hms/platform-testing';
import { CareFeed, serviceClock, startPharmacy, type FedPatient } from './support';

// Stock operations: transfers, adjustments, expiry write-offs, stock takes, returns and reports.
// After every scenario, on hand per store and batch equals the sum of its ledger rows. Dates are
// relative to the service's clock.

const API = '/api/v1/pharmacy';
let h: ServiceHarness;
let branch: TestBranch;
let admin: string;
let storeManager: string;
let pharmacist: string;
let nurse: string;
let feed: CareFeed;
let clock: ReturnType<typeof serviceClock>;
/** A registered patient (a dispense names only patients the pharmacy knows). */
let patient: FedPatient;

beforeAll(async () => {
  h = await startPharmacy(__filename);
  branch = TestIdentity.branch('OPS');
  admin = await h.identity.token({ branches: [{ branch, role: 'admin' }] });
  storeManager = await h.identity.token({ branches: [{ branch, role: 'store-manager' }] });
  pharmacist = await h.identity.token({ branches: [{ branch, role: 'pharmacist' }] });
  nurse = await h.identity.token({ branches: [{ branch, role: 'nurse' }] });
  clock = serviceClock(h);
  feed = new CareFeed(h);
  patient = await feed.registerPatient(branch, 'Anita Devi');
});
afterAll(async () => {
  await feed?.close();
  await h?.stop();
});

afterEach(async () => {
  await ledgerMatchesBalances();
});

/** The invariant: every balance is the sum of its ledger rows, and every ledger pair has a balance. */
async function ledgerMatchesBalances() {
  const rows = await h.db.admin<{ store_id: string; batch_id: string; on_hand: number | null; ledger: string | null }>(
    `SELECT coalesce(b.store_id, l.store_id) AS store_id, coalesce(b.batch_id, l.batch_id) AS batch_id, b.on_hand, l.total AS ledger
     FROM pharmacy.stock_balances b
     FULL JOIN (SELECT store_id, batch_id, sum(quantity) AS total FROM pharmacy.stock_ledger GROUP BY store_id, batch_id) l
       ON l.store_id = b.store_id AND l.batch_id = b.batch_id`,
  );
  const mismatched = rows.filter((r) => Number(r.ledger ?? 0) !== (r.on_hand ?? 0) || (r.on_hand ?? 0) < 0);
  expect(mismatched).toEqual([]);
}

/** Today in India by the service's clock, and dates relative to it. */
const indianToday = () => clock.today();
const inDays = (days: number) => clock.inDays(days);

let n = 0;
async function store(code = 'S') {
  n++;
  const r = await h.http.post(`${API}/stores`, { code: `${code}${n}`, name: `Store ${n}`, kind: 'pharmacy' }, { token: admin });
  expect(r.status).toBe(201);
  return r.body.id as string;
}

async function item(name = 'Drug') {
  n++;
  const r = await h.http.post(
    `${API}/items`,
    { code: `OP${n}`, kind: 'drug', genericName: `${name} ${n}`, form: 'tablet', strength: '500 mg', unit: 'tablet', packSize: 10, hsn: '3004', schedule: 'NONE', gstRateBp: 500, gstEffectiveFrom: '2025-09-22' },
    { token: admin },
  );
  expect(r.status).toBe(201);
  return r.body.id as string;
}

const suppliers: string[] = [];
async function supplier(index = 0) {
  const gstins = ['27AAPFU0939F1ZV', '29AAGCB7383J1Z4'];
  if (!suppliers[index]) {
    const r = await h.http.post(`${API}/suppliers`, { name: `Supplier ${index}`, gstin: gstins[index] }, { token: admin });
    expect(r.status).toBe(201);
    suppliers[index] = r.body.id;
  }
  return suppliers[index];
}

interface Lot {
  batchNo: string;
  quantity: number;
  expiry?: string;
  purchaseRatePaise?: number;
  mrpPaise?: number;
}

/** Receives lots of one item into a store; returns batch ids by batch number. */
async function receive(storeId: string, itemId: string, lots: Lot[], supplierIndex = 0): Promise<Record<string, string>> {
  const r = await h.http.post(
    `${API}/goods-receipts`,
    {
      storeId,
      supplierId: await supplier(supplierIndex),
      invoiceNumber: `INV-${Math.random().toString(36).slice(2, 10)}`,
      invoiceDate: indianToday(),
      lines: lots.map((l) => ({ itemId, batchNo: l.batchNo, expiry: l.expiry ?? inDays(400), quantity: l.quantity, purchaseRatePaise: l.purchaseRatePaise ?? 100, mrpPaise: l.mrpPaise ?? 150 })),
    },
    { token: admin },
  );
  expect(r.status).toBe(201);
  return Object.fromEntries((r.body.lines as { batchNo: string; batchId: string }[]).map((l) => [l.batchNo, l.batchId]));
}

/** Makes a received batch expired (as time would): goods receipts refuse expired batches. */
async function expire(batchId: string, expiry = inDays(-1)) {
  await h.db.admin('UPDATE pharmacy.batches SET expiry = $2 WHERE id = $1', [batchId, expiry]);
  await h.db.admin('UPDATE pharmacy.stock_balances SET expiry = $2 WHERE batch_id = $1', [batchId, expiry]);
}

async function onHand(storeId: string, batchId: string): Promise<number> {
  const [row] = await h.db.admin<{ on_hand: number }>('SELECT on_hand FROM pharmacy.stock_balances WHERE store_id = $1 AND batch_id = $2', [storeId, batchId]);
  return row?.on_hand ?? 0;
}

async function ledgerCount(): Promise<number> {
  const [row] = await h.db.admin<{ n: string }>('SELECT count(*) AS n FROM pharmacy.stock_ledger');
  return Number(row.n);
}

async function events<T>(definition: EventDefinition<T>, key: string): Promise<T[]> {
  const rows = await h.db.admin<{ envelope: { data: T } }>(`SELECT envelope FROM pharmacy.outbox WHERE envelope->>'type' = $1 AND key = $2 ORDER BY seq`, [definition.type, key]);
  return rows.map((r) => r.envelope.data);
}

const post = (path: string, body: unknown, token = admin, headers?: Record<string, string>) => h.http.post(`${API}${path}`, body, { token, headers });
const get = (path: string, token = admin) => h.http.get(`${API}${path}`, { token });
const batchQuantities = (r: TestResponse) => Object.fromEntries((r.body.lines as { batchNo: string; quantity: number }[]).map((l) => [l.batchNo, l.quantity]));

describe('transfers between stores', () => {
  it('issues first-expiry-first-out and receives in the same transaction with receive: true', async () => {
    const [from, to, drug] = [await store(), await store(), await item()];
    const b = await receive(from, drug, [
      { batchNo: 'LATE', quantity: 100, expiry: inDays(500) },
      { batchNo: 'SOON', quantity: 10, expiry: inDays(100) },
    ]);
    const r = await post('/transfers', { fromStoreId: from, toStoreId: to, lines: [{ itemId: drug, quantity: 15 }], receive: true }, storeManager);
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ status: 'received', fromStoreId: from, toStoreId: to });
    expect(r.body.receivedAt).not.toBeNull();
    expect(batchQuantities(r)).toEqual({ SOON: 10, LATE: 5 });
    expect([await onHand(from, b.SOON), await onHand(from, b.LATE), await onHand(to, b.SOON), await onHand(to, b.LATE)]).toEqual([0, 95, 10, 5]);
    const ledger = await h.db.admin<{ movement: string; store_id: string; quantity: number }>(
      `SELECT movement, store_id, quantity FROM pharmacy.stock_ledger WHERE reference_id = $1 ORDER BY movement, quantity`,
      [r.body.id],
    );
    expect(ledger.map((l) => [l.movement, l.store_id === from ? 'from' : 'to', l.quantity])).toEqual([
      ['transfer-in', 'to', 5],
      ['transfer-in', 'to', 10],
      ['transfer-out', 'from', -10],
      ['transfer-out', 'from', -5],
    ]);
    const [event] = await events(StockTransferred, r.body.id);
    expect(event).toMatchObject({ transferId: r.body.id, fromStoreId: from, toStoreId: to, status: 'received' });
    expect(event.lines.map((l) => l.quantity).sort((x, y) => x - y)).toEqual([5, 10]);
    expect((await get(`/transfers?status=in-transit&storeId=${from}`)).body.items).toEqual([]);
  });

  it('keeps stock in transit, visible as such, until it is received exactly once', async () => {
    const [from, to, drug] = [await store(), await store(), await item()];
    const b = await receive(from, drug, [{ batchNo: 'T1', quantity: 50, purchaseRatePaise: 120, mrpPaise: 200 }]);
    const sent = await post('/transfers', { fromStoreId: from, toStoreId: to, lines: [{ itemId: drug, batchId: b.T1, quantity: 20 }] }, storeManager);
    expect(sent.status).toBe(201);
    expect(sent.body).toMatchObject({ status: 'in-transit', receivedAt: null, receivedBy: null });
    expect([await onHand(from, b.T1), await onHand(to, b.T1)]).toEqual([30, 0]);

    const listed = await get(`/transfers?status=in-transit&storeId=${to}`, nurse);
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((t: { id: string }) => t.id)).toEqual([sent.body.id]);
    const transit = await get(`/reports/in-transit?storeId=${to}`, pharmacist);
    expect(transit.body.items).toEqual([
      expect.objectContaining({ transferId: sent.body.id, fromStoreId: from, toStoreId: to, batchId: b.T1, batchNo: 'T1', quantity: 20, purchaseValuePaise: 2400, mrpValuePaise: 4000 }),
    ]);
    // Neither store counts stock in transit.
    const valued = await get(`/reports/valuation?storeId=${to}`, pharmacist);
    expect(valued.body.stores).toEqual([expect.objectContaining({ storeId: to, units: 0, purchaseValuePaise: 0 })]);

    expectProblem(await post(`/transfers/${sent.body.id}/receive`, {}, pharmacist), 403);
    const received = await post(`/transfers/${sent.body.id}/receive`, {}, storeManager);
    expect(received.status).toBe(200);
    expect(received.body).toMatchObject({ id: sent.body.id, status: 'received' });
    expect([await onHand(from, b.T1), await onHand(to, b.T1)]).toEqual([30, 20]);
    expectProblem(await post(`/transfers/${sent.body.id}/receive`, {}, storeManager), 409);
    expect((await get(`/transfers?status=in-transit&storeId=${to}`)).body.items).toEqual([]);
    expect((await get(`/reports/in-transit?storeId=${to}`, pharmacist)).body.items).toEqual([]);
    expect((await get(`/transfers/${sent.body.id}`)).body).toMatchObject({ status: 'received', lines: [expect.objectContaining({ batchNo: 'T1', quantity: 20 })] });
    expect((await events(StockTransferred, sent.body.id)).map((e) => e.status)).toEqual(['in-transit', 'received']);
    expectProblem(await post(`/transfers/00000000-0000-4000-8000-000000000000/receive`, {}, storeManager), 404);
  });

  it('receives a transfer once when receipts race', async () => {
    const [from, to, drug] = [await store(), await store(), await item()];
    const b = await receive(from, drug, [{ batchNo: 'R1', quantity: 10 }]);
    const sent = await post('/transfers', { fromStoreId: from, toStoreId: to, lines: [{ itemId: drug, quantity: 10 }] }, storeManager);
    const results = await Promise.all(Array.from({ length: 8 }, () => post(`/transfers/${sent.body.id}/receive`, {}, storeManager)));
    expect(results.map((r) => r.status).sort()).toEqual([200, 409, 409, 409, 409, 409, 409, 409]);
    expect(await onHand(to, b.R1)).toBe(10);
  });

  it('refuses an expired batch, more than is there, the same store, unknown stores, items and batches, and callers without pharmacy:transfer', async () => {
    const [from, to, drug, other] = [await store(), await store(), await item(), await item()];
    const b = await receive(from, drug, [
      { batchNo: 'OLD', quantity: 40 },
      { batchNo: 'OK', quantity: 10 },
    ]);
    const o = await receive(from, other, [{ batchNo: 'OTHER', quantity: 5 }]);
    await expire(b.OLD);
    const before = await ledgerCount();
    const send = (body: object, token = storeManager) => post('/transfers', { fromStoreId: from, toStoreId: to, ...body }, token);

    const expired = await send({ lines: [{ itemId: drug, batchId: b.OLD, quantity: 1 }] });
    expectProblem(expired, 422);
    expect(expired.body.code).toBe('batch-expired');
    // 50 on hand, but 40 of them expired: FEFO never reaches for the expired batch.
    const short = await send({ lines: [{ itemId: drug, quantity: 11 }] });
    expectProblem(short, 409);
    expect(short.body).toMatchObject({ code: 'insufficient-stock', available: 10 });
    expectProblem(await send({ lines: [{ itemId: drug, batchId: b.OK, quantity: 11 }] }), 409);
    expectProblem(await send({ lines: [{ itemId: drug, batchId: b.OK, quantity: 6 }, { itemId: drug, quantity: 5 }] }), 409);
    expectProblem(await send({ toStoreId: from, lines: [{ itemId: drug, quantity: 1 }] }), 400);
    expectProblem(await send({ toStoreId: '00000000-0000-4000-8000-000000000000', lines: [{ itemId: drug, quantity: 1 }] }), 404);
    expectProblem(await send({ lines: [{ itemId: '00000000-0000-4000-8000-000000000000', quantity: 1 }] }), 400);
    expectProblem(await send({ lines: [{ itemId: drug, batchId: o.OTHER, quantity: 1 }] }), 400);
    expectProblem(await send({ lines: [{ itemId: drug, quantity: 0 }] }), 400);
    expectProblem(await send({ lines: [] }), 400);
    expectProblem(await send({ lines: [{ itemId: drug, quantity: 1 }] }, pharmacist), 403);
    expect(await ledgerCount()).toBe(before);
    expect([await onHand(from, b.OLD), await onHand(from, b.OK)]).toEqual([40, 10]);
  });

  it('replays a transfer sent twice with one Idempotency-Key', async () => {
    const [from, to, drug] = [await store(), await store(), await item()];
    const b = await receive(from, drug, [{ batchNo: 'IK', quantity: 10 }]);
    const body = { fromStoreId: from, toStoreId: to, lines: [{ itemId: drug, quantity: 4 }] };
    const first = await post('/transfers', body, storeManager, { 'idempotency-key': 'transfer-ik-0001' });
    const again = await post('/transfers', body, storeManager, { 'idempotency-key': 'transfer-ik-0001' });
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body.id).toBe(first.body.id);
    expect(await onHand(from, b.IK)).toBe(6);
  });

  it('concurrent transfers out of one batch never oversell', async () => {
    const [from, a, c, drug] = [await store(), await store(), await store(), await item()];
    const b = await receive(from, drug, [{ batchNo: 'HOT', quantity: 100 }]);
    const results = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        post('/transfers', { fromStoreId: from, toStoreId: i % 2 ? a : c, lines: [{ itemId: drug, ...(i % 3 ? { batchId: b.HOT } : {}), quantity: 3 }], receive: i % 4 === 0 }, storeManager),
      ),
    );
    expect(results.filter((r) => r.status !== 201 && r.status !== 409).map((r) => r.text)).toEqual([]);
    expect(results.filter((r) => r.status === 201)).toHaveLength(33);
    expect(await onHand(from, b.HOT)).toBe(1);
    const [moved] = await h.db.admin<{ out: string; inbound: string; transit: string }>(
      `SELECT (SELECT -sum(quantity) FROM pharmacy.stock_ledger WHERE batch_id = $1 AND movement = 'transfer-out') AS out,
              (SELECT sum(quantity) FROM pharmacy.stock_ledger WHERE batch_id = $1 AND movement = 'transfer-in') AS inbound,
              (SELECT sum(l.quantity) FROM pharmacy.transfer_lines l JOIN pharmacy.transfers t ON t.id = l.transfer_id WHERE l.batch_id = $1 AND t.status = 'in-transit') AS transit`,
      [b.HOT],
    );
    expect(Number(moved.out)).toBe(99);
    expect(Number(moved.inbound) + Number(moved.transit)).toBe(99);
  }, 60_000);

  it('transfers both ways between two stores at once without deadlock or loss', async () => {
    const [x, y, drug] = [await store(), await store(), await item()];
    const bx = await receive(x, drug, [
      { batchNo: 'X1', quantity: 50, expiry: inDays(200) },
      { batchNo: 'X2', quantity: 50, expiry: inDays(300) },
    ]);
    const by = await receive(y, drug, [
      { batchNo: 'Y1', quantity: 50, expiry: inDays(250) },
      { batchNo: 'Y2', quantity: 50, expiry: inDays(350) },
    ]);
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) => post('/transfers', { fromStoreId: i % 2 ? x : y, toStoreId: i % 2 ? y : x, lines: [{ itemId: drug, quantity: 7 }], receive: true }, storeManager)),
    );
    expect(results.filter((r) => r.status !== 201 && r.status !== 409).map((r) => r.text)).toEqual([]);
    const [total] = await h.db.admin<{ n: string }>('SELECT sum(on_hand) AS n FROM pharmacy.stock_balances WHERE item_id = $1', [drug]);
    expect(Number(total.n)).toBe(200);
    expect(await onHand(x, bx.X1)).toBeGreaterThanOrEqual(0);
    expect(await onHand(y, by.Y1)).toBeGreaterThanOrEqual(0);
  }, 60_000);

  it('every kind of movement of the same items races with the others without deadlock, oversell or loss', async () => {
    const [x, y, p, q] = [await store(), await store(), await item(), await item()];
    const px = await receive(x, p, [
      { batchNo: 'PX1', quantity: 60, expiry: inDays(120) },
      { batchNo: 'PX2', quantity: 60, expiry: inDays(240) },
    ]);
    await receive(x, q, [{ batchNo: 'QX1', quantity: 80 }]);
    await receive(y, p, [{ batchNo: 'PY1', quantity: 40 }]);
    const qy = await receive(y, q, [{ batchNo: 'QY1', quantity: 40 }]);
    const sold = await post('/dispenses', { storeId: x, supplyKind: 'otc', lines: [{ itemId: p, quantity: 20 }] }, pharmacist);
    const pending: string[] = [];
    for (let i = 0; i < 8; i++) pending.push((await post('/transfers', { fromStoreId: y, toStoreId: x, lines: [{ itemId: q, quantity: 1 }, { itemId: p, quantity: 1 }] }, storeManager)).body.id);
    const both = [
      { itemId: q, quantity: 3 },
      { itemId: p, quantity: 4 },
    ];
    const work = Array.from({ length: 64 }, (_, i) => {
      const [from, to] = i % 2 ? [x, y] : [y, x];
      switch (i % 8) {
        case 0:
        case 1:
          return post('/transfers', { fromStoreId: from, toStoreId: to, lines: both, receive: true }, storeManager);
        case 2:
          return post('/dispenses', { storeId: from, supplyKind: 'otc', lines: both }, pharmacist);
        case 3:
          return post('/adjustments', { storeId: y, reason: 'Race', lines: [{ batchId: qy.QY1, quantity: i % 16 === 3 ? -1 : 1 }] }, storeManager);
        case 4:
          return post(`/transfers/${pending[i >> 3]}/receive`, {}, storeManager);
        case 5:
          return post(`/dispenses/${sold.body.id}/returns`, { lines: [{ batchId: px.PX1, quantity: 1 }] }, pharmacist);
        case 6:
          return post('/stock-takes', { storeId: from, counts: [{ batchId: px.PX2, countedQuantity: 30 }] }, storeManager);
        default:
          return receive(from, p, [{ batchNo: `NEW${i % 3}`, quantity: 5, expiry: inDays(90) }]).then(() => ({ status: 201, text: '' }));
      }
    });
    const results = await Promise.all(work);
    expect(results.filter((r) => r.status !== 200 && r.status !== 201 && r.status !== 409).map((r) => r.text)).toEqual([]);
    // Every unit is accounted for: on hand plus in transit equals what the ledger says came in and went out for good.
    const [sums] = await h.db.admin<{ on_hand: string; in_transit: string; net_external: string }>(
      `SELECT (SELECT sum(on_hand) FROM pharmacy.stock_balances WHERE item_id = ANY($1::uuid[])) AS on_hand,
              (SELECT coalesce(sum(l.quantity), 0) FROM pharmacy.transfer_lines l JOIN pharmacy.transfers t ON t.id = l.transfer_id
                WHERE t.status = 'in-transit' AND l.item_id = ANY($1::uuid[])) AS in_transit,
              (SELECT sum(quantity) FROM pharmacy.stock_ledger WHERE item_id = ANY($1::uuid[]) AND movement NOT IN ('transfer-out', 'transfer-in')) AS net_external`,
      [[p, q]],
    );
    expect(Number(sums.on_hand) + Number(sums.in_transit)).toBe(Number(sums.net_external));
  }, 60_000);

  it('raises ReorderNeeded once when a transfer takes usable stock below the level', async () => {
    const [from, to, drug] = [await store(), await store(), await item()];
    expect((await h.http.put(`${API}/stores/${from}/reorder-levels/${drug}`, { reorderLevel: 50, reorderQuantity: 200 }, { token: admin })).status).toBe(200);
    await receive(from, drug, [{ batchNo: 'RL', quantity: 60 }]);
    await post('/transfers', { fromStoreId: from, toStoreId: to, lines: [{ itemId: drug, quantity: 5 }] }, storeManager);
    expect(await events(ReorderNeeded, drug)).toEqual([]);
    await post('/transfers', { fromStoreId: from, toStoreId: to, lines: [{ itemId: drug, quantity: 10 }] }, storeManager);
    await post('/transfers', { fromStoreId: from, toStoreId: to, lines: [{ itemId: drug, quantity: 10 }] }, storeManager);
    expect(await events(ReorderNeeded, drug)).toEqual([expect.objectContaining({ storeId: from, itemId: drug, onHand: 45, reorderLevel: 50, reorderQuantity: 200 })]);
    const below = await get(`/reports/below-reorder?storeId=${from}`, pharmacist);
    expect(below.body.items).toEqual([expect.objectContaining({ itemId: drug, usableOnHand: 35, reorderLevel: 50, shortBy: 15 })]);
  });
});

describe('adjustments, expiry write-offs and stock takes', () => {
  it('adjusts stock per batch with a reason, signed, never below zero', async () => {
    const [s, drug] = [await store(), await item()];
    const elsewhere = await store();
    const b = await receive(s, drug, [
      { batchNo: 'A1', quantity: 20 },
      { batchNo: 'A2', quantity: 5 },
    ]);
    const found = await receive(elsewhere, drug, [{ batchNo: 'A3', quantity: 1 }]);
    const r = await post(
      '/adjustments',
      {
        storeId: s,
        reason: 'Strip damaged; two found behind the shelf',
        lines: [
          { batchId: b.A1, quantity: -3 },
          { batchId: b.A2, quantity: 2 },
          { batchId: found.A3, quantity: 4 },
        ],
      },
      storeManager,
    );
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ kind: 'adjustment', reason: 'Strip damaged; two found behind the shelf' });
    expect([await onHand(s, b.A1), await onHand(s, b.A2), await onHand(s, found.A3)]).toEqual([17, 7, 4]);
    const ledger = await h.db.admin<{ movement: string; reason: string }>('SELECT DISTINCT movement, reason FROM pharmacy.stock_ledger WHERE reference_id = $1', [r.body.id]);
    expect(ledger).toEqual([{ movement: 'adjustment', reason: 'Strip damaged; two found behind the shelf' }]);
    expect(await events(StockAdjusted, r.body.id)).toEqual([expect.objectContaining({ storeId: s, kind: 'adjustment', lines: expect.arrayContaining([expect.objectContaining({ batchId: b.A1, quantity: -3 })]) })]);

    const before = await ledgerCount();
    const short = await post('/adjustments', { storeId: s, reason: 'Lost', lines: [{ batchId: b.A2, quantity: -8 }] }, storeManager);
    expectProblem(short, 409);
    expect(short.body.available).toBe(7);
    expectProblem(await post('/adjustments', { storeId: s, lines: [{ batchId: b.A1, quantity: -1 }] }, storeManager), 400);
    expectProblem(await post('/adjustments', { storeId: s, reason: '     ', lines: [{ batchId: b.A1, quantity: -1 }] }, storeManager), 400);
    expectProblem(await post('/adjustments', { storeId: s, reason: 'Zero', lines: [{ batchId: b.A1, quantity: 0 }] }, storeManager), 400);
    expectProblem(await post('/adjustments', { storeId: s, reason: 'Twice', lines: [{ batchId: b.A1, quantity: -1 }, { batchId: b.A1, quantity: -1 }] }, storeManager), 400);
    expectProblem(await post('/adjustments', { storeId: s, reason: 'Unknown', lines: [{ batchId: '00000000-0000-4000-8000-000000000000', quantity: 1 }] }, storeManager), 400);
    expectProblem(await post('/adjustments', { storeId: s, reason: 'No right', lines: [{ batchId: b.A1, quantity: -1 }] }, pharmacist), 403);
    expect(await ledgerCount()).toBe(before);
  });

  it('raises ReorderNeeded when an adjustment takes usable stock below the level', async () => {
    const [s, drug] = [await store(), await item()];
    await h.http.put(`${API}/stores/${s}/reorder-levels/${drug}`, { reorderLevel: 10, reorderQuantity: 50 }, { token: admin });
    const b = await receive(s, drug, [{ batchNo: 'RA', quantity: 12 }]);
    await post('/adjustments', { storeId: s, reason: 'Broken vial', lines: [{ batchId: b.RA, quantity: -3 }] }, storeManager);
    expect(await events(ReorderNeeded, drug)).toEqual([expect.objectContaining({ storeId: s, onHand: 9, reorderLevel: 10 })]);
  });

  it('writes off every expired batch in the store, and nothing else', async () => {
    const [s, other, drug] = [await store(), await store(), await item()];
    const b = await receive(s, drug, [
      { batchNo: 'E1', quantity: 7, purchaseRatePaise: 100 },
      { batchNo: 'E2', quantity: 3, purchaseRatePaise: 250, mrpPaise: 300 },
      { batchNo: 'GOOD', quantity: 10 },
    ]);
    const o = await receive(other, drug, [{ batchNo: 'E3', quantity: 4 }]);
    await expire(b.E1);
    await expire(b.E2, inDays(-2)); // expired: its expiry date has passed (through it, a batch is usable)
    await expire(o.E3);
    const expiredBefore = await get(`/reports/expired?storeId=${s}`, pharmacist);
    expect(expiredBefore.body.items.map((i: { batchNo: string }) => i.batchNo).sort()).toEqual(['E1', 'E2']);

    const r = await post('/expiry-write-offs', { storeId: s }, storeManager);
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ kind: 'expiry-write-off', writtenOffPurchaseValuePaise: 7 * 100 + 3 * 250 });
    expect(batchQuantities(r)).toEqual({ E1: -7, E2: -3 });
    expect([await onHand(s, b.E1), await onHand(s, b.E2), await onHand(s, b.GOOD), await onHand(other, o.E3)]).toEqual([0, 0, 10, 4]);
    expect(await events(StockAdjusted, r.body.id)).toEqual([expect.objectContaining({ kind: 'expiry-write-off', storeId: s })]);
    expect((await get(`/reports/expired?storeId=${s}`, pharmacist)).body.items).toEqual([]);

    const again = await post('/expiry-write-offs', { storeId: s }, storeManager);
    expect(again.status).toBe(201);
    expect(again.body).toMatchObject({ id: null, lines: [] });
    expectProblem(await post('/expiry-write-offs', { storeId: '00000000-0000-4000-8000-000000000000' }, storeManager), 404);
    expectProblem(await post('/expiry-write-offs', { storeId: s }, nurse), 403);
  });

  it('books a stock take as counted minus on hand, under lock', async () => {
    const [s, drug] = [await store(), await item()];
    const elsewhere = await store();
    const b = await receive(s, drug, [
      { batchNo: 'K1', quantity: 10 },
      { batchNo: 'K2', quantity: 5 },
    ]);
    const k3 = await receive(elsewhere, drug, [{ batchNo: 'K3', quantity: 9 }]);
    const r = await post(
      '/stock-takes',
      {
        storeId: s,
        counts: [
          { batchId: b.K1, countedQuantity: 8 },
          { batchId: b.K2, countedQuantity: 5 },
          { batchId: k3.K3, countedQuantity: 2 },
        ],
      },
      storeManager,
    );
    expect(r.status).toBe(201);
    expect(r.body.counts.map((c: { batchNo: string; onHand: number; counted: number; difference: number }) => [c.batchNo, c.onHand, c.counted, c.difference])).toEqual([
      ['K1', 10, 8, -2],
      ['K2', 5, 5, 0],
      ['K3', 0, 2, 2],
    ]);
    expect([await onHand(s, b.K1), await onHand(s, b.K2), await onHand(s, k3.K3), await onHand(elsewhere, k3.K3)]).toEqual([8, 5, 2, 9]);
    const ledger = await h.db.admin<{ movement: string; quantity: number }>('SELECT movement, quantity FROM pharmacy.stock_ledger WHERE reference_id = $1 ORDER BY quantity', [r.body.id]);
    expect(ledger).toEqual([
      { movement: 'stock-take', quantity: -2 },
      { movement: 'stock-take', quantity: 2 },
    ]);
    const [counts] = await h.db.admin<{ n: string }>('SELECT count(*) AS n FROM pharmacy.stock_take_counts WHERE stock_take_id = $1', [r.body.id]);
    expect(Number(counts.n)).toBe(3);
    expect(await events(StockAdjusted, r.body.id)).toEqual([expect.objectContaining({ kind: 'stock-take', reason: 'stock take' })]);

    // A count that matches books nothing and says so.
    const same = await post('/stock-takes', { storeId: s, counts: [{ batchId: b.K2, countedQuantity: 5 }] }, storeManager);
    expect(same.body.lines).toEqual([]);
    expect(await events(StockAdjusted, same.body.id)).toEqual([]);
    expectProblem(await post('/stock-takes', { storeId: s, counts: [{ batchId: b.K1, countedQuantity: -1 }] }, storeManager), 400);
    expectProblem(await post('/stock-takes', { storeId: s, counts: [{ batchId: b.K1, countedQuantity: 1 }, { batchId: b.K1, countedQuantity: 2 }] }, storeManager), 400);
    expectProblem(await post('/stock-takes', { storeId: s, counts: [] }, storeManager), 400);
    expectProblem(await post('/stock-takes', { storeId: s, counts: [{ batchId: b.K1, countedQuantity: 1 }] }, pharmacist), 403);
  });

  it('counts against the balance at the moment of the count when issues race with it', async () => {
    const [s, to, drug] = [await store(), await store(), await item()];
    const b = await receive(s, drug, [{ batchNo: 'RACE', quantity: 100 }]);
    const results = await Promise.all([
      ...Array.from({ length: 10 }, () => post('/transfers', { fromStoreId: s, toStoreId: to, lines: [{ itemId: drug, quantity: 2 }], receive: true }, storeManager)),
      post('/stock-takes', { storeId: s, counts: [{ batchId: b.RACE, countedQuantity: 50 }] }, storeManager),
    ]);
    expect(results.map((r) => r.status).filter((st) => st !== 201 && st !== 409)).toEqual([]);
    const take = results[10].body as { counts: { onHand: number; difference: number }[] };
    // Whatever the order, the count replaced the balance it saw: the balance is 50 less the issues after it.
    const sentAfter = (await onHand(to, b.RACE)) - (100 - take.counts[0].onHand);
    expect(take.counts[0].difference).toBe(50 - take.counts[0].onHand);
    expect(await onHand(s, b.RACE)).toBe(50 - sentAfter);
  }, 60_000);
});

describe('returns', () => {
  async function dispensed(quantity: number) {
    const [s, drug] = [await store(), await item()];
    const b = await receive(s, drug, [
      { batchNo: 'P1', quantity: 10, expiry: inDays(100) },
      { batchNo: 'P2', quantity: 50, expiry: inDays(300) },
    ]);
    const patientId = patient.id;
    const d = await post('/dispenses', { storeId: s, supplyKind: 'outpatient', patientId, patientName: 'Anita Devi', lines: [{ itemId: drug, quantity }] }, pharmacist);
    expect(d.status).toBe(201);
    return { s, drug, b, dispense: d.body.id as string, patientId };
  }

  it('takes back from a patient at most what was dispensed less what came back, into the store', async () => {
    const { s, b, dispense, patientId } = await dispensed(15); // P1 10, P2 5
    const first = await post(`/dispenses/${dispense}/returns`, { lines: [{ batchId: b.P1, quantity: 4 }], reason: 'Course changed' }, pharmacist);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ kind: 'patient-return', storeId: s, dispenseId: dispense });
    expect(await onHand(s, b.P1)).toBe(4);
    const tooMany = await post(`/dispenses/${dispense}/returns`, { lines: [{ batchId: b.P1, quantity: 7 }] }, pharmacist);
    expectProblem(tooMany, 409);
    expect(tooMany.body).toMatchObject({ code: 'return-exceeds-dispensed', returnable: 6 });
    expect((await post(`/dispenses/${dispense}/returns`, { lines: [{ batchId: b.P1, quantity: 6 }, { batchId: b.P2, quantity: 5 }] }, pharmacist)).status).toBe(201);
    expectProblem(await post(`/dispenses/${dispense}/returns`, { lines: [{ batchId: b.P1, quantity: 1 }] }, pharmacist), 409);
    const lines = await h.db.admin<{ quantity: number; returned_quantity: number }>('SELECT quantity, returned_quantity FROM pharmacy.dispense_lines WHERE dispense_id = $1 ORDER BY quantity', [dispense]);
    expect(lines).toEqual([
      { quantity: 5, returned_quantity: 5 },
      { quantity: 10, returned_quantity: 10 },
    ]);
    expect([await onHand(s, b.P1), await onHand(s, b.P2)]).toEqual([10, 50]);
    expect(await events(StockReturned, first.body.id)).toEqual([
      { returnId: first.body.id, storeId: s, kind: 'patient-return', patientId, dispenseId: dispense, supplierId: null, lines: [expect.objectContaining({ batchId: b.P1, batchNo: 'P1', quantity: 4 })] },
    ]);
  });

  it('refuses a batch the dispense did not supply, an unknown dispense, and callers without pharmacy:dispense', async () => {
    const { s, drug, dispense } = await dispensed(3); // P1 only
    const other = await receive(s, drug, [{ batchNo: 'P9', quantity: 1 }]);
    const before = await ledgerCount();
    const wrong = await post(`/dispenses/${dispense}/returns`, { lines: [{ batchId: other.P9, quantity: 1 }] }, pharmacist);
    expectProblem(wrong, 422);
    expect(wrong.body.code).toBe('batch-not-dispensed');
    expectProblem(await post(`/dispenses/00000000-0000-4000-8000-000000000000/returns`, { lines: [{ batchId: other.P9, quantity: 1 }] }, pharmacist), 404);
    expectProblem(await post(`/dispenses/${dispense}/returns`, { lines: [{ batchId: other.P9, quantity: 0 }] }, pharmacist), 400);
    expectProblem(await post(`/dispenses/${dispense}/returns`, { lines: [{ batchId: other.P9, quantity: 1 }] }, storeManager), 403);
    expect(await ledgerCount()).toBe(before);
  });

  it('lets racing returns against one dispense take back no more than was dispensed', async () => {
    const { s, b, dispense } = await dispensed(5); // P1 5
    const results = await Promise.all(Array.from({ length: 6 }, () => post(`/dispenses/${dispense}/returns`, { lines: [{ batchId: b.P1, quantity: 2 }] }, pharmacist)));
    expect(results.map((r) => r.status).sort()).toEqual([201, 201, 409, 409, 409, 409]);
    expect(await onHand(s, b.P1)).toBe(9);
  });

  it('returns batches to the supplier they came from, expired ones too, never below zero', async () => {
    const [s, drug] = [await store(), await item()];
    const b = await receive(s, drug, [
      { batchNo: 'SR1', quantity: 30 },
      { batchNo: 'SR2', quantity: 8 },
    ]);
    const fromOther = await receive(s, drug, [{ batchNo: 'SR3', quantity: 6 }], 1);
    await expire(b.SR2);
    const supplierId = await supplier(0);
    const r = await post('/supplier-returns', { storeId: s, supplierId, reason: 'Expired and short-dated stock', lines: [{ batchId: b.SR2, quantity: 8 }, { batchId: b.SR1, quantity: 10 }] }, storeManager);
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ kind: 'return-to-supplier', supplierId, storeId: s });
    expect([await onHand(s, b.SR1), await onHand(s, b.SR2)]).toEqual([20, 0]);
    const ledger = await h.db.admin<{ movement: string; quantity: number }>('SELECT movement, quantity FROM pharmacy.stock_ledger WHERE reference_id = $1 ORDER BY quantity', [r.body.id]);
    expect(ledger).toEqual([
      { movement: 'return-to-supplier', quantity: -10 },
      { movement: 'return-to-supplier', quantity: -8 },
    ]);
    expect(await events(StockReturned, r.body.id)).toEqual([expect.objectContaining({ kind: 'return-to-supplier', storeId: s, dispenseId: null, patientId: null })]);

    const before = await ledgerCount();
    expectProblem(await post('/supplier-returns', { storeId: s, supplierId, lines: [{ batchId: b.SR1, quantity: 21 }] }, storeManager), 409);
    const foreign = await post('/supplier-returns', { storeId: s, supplierId, lines: [{ batchId: fromOther.SR3, quantity: 1 }] }, storeManager);
    expectProblem(foreign, 422);
    expect(foreign.body.code).toBe('batch-not-from-supplier');
    expectProblem(await post('/supplier-returns', { storeId: s, supplierId: '00000000-0000-4000-8000-000000000000', lines: [{ batchId: b.SR1, quantity: 1 }] }, storeManager), 404);
    expectProblem(await post('/supplier-returns', { storeId: s, supplierId, lines: [{ batchId: b.SR1, quantity: 1 }] }, pharmacist), 403);
    expect(await ledgerCount()).toBe(before);
  });
});

describe('reports', () => {
  it('lists items below their reorder level by usable stock, expired stock not counted, with what is in transit', async () => {
    const [s, main, low, fine] = [await store(), await store(), await item(), await item()];
    await h.http.put(`${API}/stores/${s}/reorder-levels/${low}`, { reorderLevel: 20, reorderQuantity: 100 }, { token: admin });
    await h.http.put(`${API}/stores/${s}/reorder-levels/${fine}`, { reorderLevel: 5, reorderQuantity: 10 }, { token: admin });
    const b = await receive(s, low, [
      { batchNo: 'L1', quantity: 15 },
      { batchNo: 'L2', quantity: 15 },
    ]);
    await receive(s, fine, [{ batchNo: 'F1', quantity: 6 }]);
    await receive(main, low, [{ batchNo: 'L3', quantity: 7 }]);
    await post('/transfers', { fromStoreId: main, toStoreId: s, lines: [{ itemId: low, quantity: 7 }] }, storeManager);
    expect((await get(`/reports/below-reorder?storeId=${s}`, pharmacist)).body.items).toEqual([]);
    await expire(b.L2);
    const r = await get(`/reports/below-reorder?storeId=${s}`, pharmacist);
    expect(r.status).toBe(200);
    expect(r.body.items).toEqual([expect.objectContaining({ storeId: s, itemId: low, usableOnHand: 15, reorderLevel: 20, reorderQuantity: 100, shortBy: 5, inTransit: 7 })]);
    expectProblem(await get(`/reports/below-reorder?storeId=nope`, pharmacist), 400);
  });

  it('lists batches expiring within a configurable number of days', async () => {
    const [s, drug] = [await store(), await item()];
    await receive(s, drug, [
      { batchNo: 'N30', quantity: 3, expiry: inDays(30) },
      { batchNo: 'N200', quantity: 4, expiry: inDays(200) },
      { batchNo: 'N800', quantity: 5, expiry: inDays(800) },
    ]);
    const batches = async (query: string) => (await get(`/reports/near-expiry?storeId=${s}${query}`, pharmacist)).body.items.map((i: { batchNo: string }) => i.batchNo);
    expect(await batches('')).toEqual(['N30']);
    expect(await batches('&days=90')).toEqual(['N30']);
    expect(await batches('&days=365')).toEqual(['N30', 'N200']);
    expect(await batches('&days=730')).toEqual(['N30', 'N200']);
    expect(await batches('&days=29')).toEqual([]);
    const one = await get(`/reports/near-expiry?storeId=${s}&days=30`, pharmacist);
    expect(one.body.items).toEqual([expect.objectContaining({ batchNo: 'N30', daysToExpiry: 30, onHand: 3, purchaseValuePaise: 300, mrpValuePaise: 450 })]);
    for (const bad of ['0', '731', 'abc', '-1', '2.5']) expectProblem(await get(`/reports/near-expiry?storeId=${s}&days=${bad}`, pharmacist), 400);
  });

  it('values stock per store at purchase rate and at MRP, in whole paise', async () => {
    const [s, t, drug] = [await store(), await store(), await item()];
    const b = await receive(s, drug, [
      { batchNo: 'V1', quantity: 10, purchaseRatePaise: 1234, mrpPaise: 1999 },
      { batchNo: 'V2', quantity: 3, purchaseRatePaise: 5001, mrpPaise: 7550 },
    ]);
    await receive(t, drug, [{ batchNo: 'V3', quantity: 2, purchaseRatePaise: 99, mrpPaise: 100 }]);
    await expire(b.V2);
    const one = await get(`/reports/valuation?storeId=${s}`, pharmacist);
    expect(one.status).toBe(200);
    expect(one.body.stores).toEqual([
      {
        storeId: s,
        storeCode: expect.any(String),
        units: 13,
        purchaseValuePaise: 10 * 1234 + 3 * 5001,
        mrpValuePaise: 10 * 1999 + 3 * 7550,
        expired: { units: 3, purchaseValuePaise: 3 * 5001, mrpValuePaise: 3 * 7550 },
      },
    ]);
    expect(one.body.totals).toMatchObject({ units: 13, purchaseValuePaise: 27_343, mrpValuePaise: 42_640 });
    const all = await get('/reports/valuation', pharmacist);
    const mine = all.body.stores.filter((x: { storeId: string }) => x.storeId === s || x.storeId === t);
    expect(mine.map((x: { purchaseValuePaise: number }) => x.purchaseValuePaise).sort((p: number, q: number) => p - q)).toEqual([198, 27_343]);
    expect(Number.isInteger(all.body.totals.purchaseValuePaise) && Number.isInteger(all.body.totals.mrpValuePaise)).toBe(true);
  });

  it('pages the movement history of an item or a batch, filtered by date', async () => {
    const [s, to, drug] = [await store(), await store(), await item()];
    const b = await receive(s, drug, [
      { batchNo: 'M1', quantity: 10, expiry: inDays(100) },
      { batchNo: 'M2', quantity: 10, expiry: inDays(200) },
    ]);
    await post('/transfers', { fromStoreId: s, toStoreId: to, lines: [{ itemId: drug, quantity: 12 }], receive: true }, storeManager);
    await post('/adjustments', { storeId: s, reason: 'Damaged', lines: [{ batchId: b.M2, quantity: -1 }] }, storeManager);
    const history = await get(`/reports/movements?itemId=${drug}&limit=100`, pharmacist);
    expect(history.status).toBe(200);
    expect(history.body.items.map((m: { movement: string; batchNo: string; quantity: number }) => `${m.movement} ${m.batchNo} ${m.quantity}`)).toEqual([
      'receipt M1 10',
      'receipt M2 10',
      'transfer-out M1 -10',
      'transfer-out M2 -2',
      'transfer-in M1 10',
      'transfer-in M2 2',
      'adjustment M2 -1',
    ]);
    const batch = await get(`/reports/movements?batchId=${b.M2}&storeId=${s}`, pharmacist);
    expect(batch.body.items.map((m: { movement: string }) => m.movement)).toEqual(['receipt', 'transfer-out', 'adjustment']);
    const page1 = await get(`/reports/movements?itemId=${drug}&limit=3`, pharmacist);
    const page3 = await get(`/reports/movements?itemId=${drug}&limit=3&offset=6`, pharmacist);
    expect([page1.body.items.length, page1.body.nextOffset, page3.body.items.length, page3.body.nextOffset]).toEqual([3, 3, 1, null]);
    expect((await get(`/reports/movements?itemId=${drug}&from=${indianToday()}&to=${indianToday()}`, pharmacist)).body.items).toHaveLength(7);
    expect((await get(`/reports/movements?itemId=${drug}&from=${inDays(1)}`, pharmacist)).body.items).toEqual([]);
    expectProblem(await get(`/reports/movements`, pharmacist), 400);
    expectProblem(await get(`/reports/movements?itemId=${drug}&batchId=${b.M1}`, pharmacist), 400);
    expectProblem(await get(`/reports/movements?itemId=${drug}&from=${inDays(1)}&to=${indianToday()}`, pharmacist), 400);
    expectProblem(await get(`/reports/movements?itemId=${drug}&from=2026-02-30`, pharmacist), 400);
  });

  it('needs pharmacy:reports and shows only the caller’s branch', async () => {
    const [s, drug] = [await store(), await item()];
    await receive(s, drug, [{ batchNo: 'BR', quantity: 10 }]);
    for (const path of ['/reports/valuation', '/reports/expired', '/reports/near-expiry', '/reports/below-reorder', '/reports/in-transit', `/reports/movements?itemId=${drug}`]) {
      expectProblem(await get(path, nurse), 403);
    }
    const elsewhere = TestIdentity.branch('OTH');
    const outsider = await h.identity.token({ branches: [{ branch: elsewhere, role: 'admin' }] });
    expect((await get('/reports/valuation', outsider)).body).toMatchObject({ stores: [], totals: { units: 0, purchaseValuePaise: 0 } });
    expect((await get(`/reports/movements?itemId=${drug}`, outsider)).body.items).toEqual([]);
    expect((await get('/transfers', outsider)).body.items).toEqual([]);
    expectProblem(await post('/adjustments', { storeId: s, reason: 'Not mine', lines: [{ batchId: (await get(`/stock?storeId=${s}`)).body.items[0].batchId, quantity: -1 }] }, outsider), 404);
  });
});

describe('the ledger', () => {
  it('refuses to change or remove a ledger row or an adjustment, even for the database owner', async () => {
    const [s, drug] = [await store(), await item()];
    await receive(s, drug, [{ batchNo: 'LG', quantity: 5 }]);
    await expect(h.db.admin('UPDATE pharmacy.stock_ledger SET quantity = 500 WHERE item_id = $1', [drug])).rejects.toThrow(/never changed or removed/);
    await expect(h.db.admin('DELETE FROM pharmacy.stock_ledger WHERE item_id = $1', [drug])).rejects.toThrow(/never changed or removed/);
    await post('/adjustments', { storeId: s, reason: 'Counted short', lines: [{ batchId: (await get(`/stock?storeId=${s}`)).body.items[0].batchId, quantity: -1 }] }, storeManager);
    await expect(h.db.admin('UPDATE pharmacy.stock_adjustments SET reason = $1', ['rewritten'])).rejects.toThrow(/never changed or removed/);
  });

  it('denies the service role any update or delete of the ledger', async () => {
    await h.db.admin('BEGIN');
    try {
      await h.db.admin('SET LOCAL ROLE hms_pharmacy');
      await expect(h.db.admin('DELETE FROM pharmacy.stock_ledger WHERE false')).rejects.toThrow(/permission denied/);
    } finally {
      await h.db.admin('ROLLBACK');
    }
  });
});
