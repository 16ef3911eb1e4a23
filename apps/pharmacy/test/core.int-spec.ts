import { Client } from 'pg';
import type { EventDefinition, EventEnvelope } from '@hms/contracts-common';
import { Dispensed, GoodsReceived, ReorderNeeded } from '@hms/contracts-pharmacy';
import type { ServiceHarness } from '@hms/platform-service-testing';
import { TestIdentity, expectProblem, type TestBranch, type TestResponse } from '@hms/platform-testing';
import { gstinCheckCharacter } from '../src/domain';
import { CareFeed, addDays, serviceClock, startPharmacy, type FedAdmission, type FedPatient } from './support';

// The pharmacy's core through its HTTP API on a real PostgreSQL: the item master and its GST rate
// history (GST-05), suppliers (GST-12), goods receipts, dispensing with the schedule rules and the
// H1 register (DRUG-01, DRUG-02), idempotent retries, reorder alerts, branch isolation, roles and
// input no endpoint should accept. After every test the stock ledger sums to the balances.
// Dates are relative to the service's clock, never ones the calendar will overtake.
jest.setTimeout(60_000);

const P = '/api/v1/pharmacy';
/** A batch expiry about three years on from the service's today (set once the service runs). */
let FAR_EXPIRY: string;
const RX = { prescriberName: 'Dr. Meera Rao', prescriberRegistrationNumber: 'MMC-2011-12345', prescriberAddress: '12 MG Road, Pune' };

let h: ServiceHarness;
let branchA: TestBranch;
let branchB: TestBranch;
let adminA: string;
let adminB: string;
/** A member of both branches (acts in the one named by X-Branch-Id). */
let both: string;
let supplierA: string;
let supplierB: string;
let feed: CareFeed;
let clock: ReturnType<typeof serviceClock>;
/** A registered patient of branch A in an open admission (in-patient supplies name both). */
let inpatient: { patient: FedPatient; admission: FedAdmission };

interface Item {
  id: string;
  code: string;
  genericName: string;
  schedule: string;
  gstRateBp: number | null;
  gstRates: { effectiveFrom: string; rateBp: number }[];
}
interface Store {
  id: string;
  code: string;
}
interface DispensedLineBody {
  itemId: string;
  batchId: string;
  batchNo: string;
  expiry: string;
  quantity: number;
  gstRateBp: number;
  hsn: string;
  schedule: string;
}
interface ReceiptLine {
  itemId: string;
  batchNo: string;
  expiry: string;
  quantity: number;
  freeQuantity?: number;
  purchaseRatePaise?: number;
  mrpPaise?: number;
}

let seq = 0;
const next = () => ++seq;
const today = () => clock.today();
/** A GSTIN with a correct check character (GST-12). */
const gstin = (first14: string) => first14 + gstinCheckCharacter(first14);

function ok(r: TestResponse, status: number): TestResponse {
  if (r.status !== status) throw new Error(`expected ${status}, got ${r.status}: ${r.text.slice(0, 400)}`);
  return r;
}

beforeAll(async () => {
  h = await startPharmacy(__filename);
  branchA = TestIdentity.branch('PHCA');
  branchB = TestIdentity.branch('PHCB');
  adminA = await h.identity.token({ branches: [{ branch: branchA, role: 'admin' }] });
  adminB = await h.identity.token({ branches: [{ branch: branchB, role: 'admin' }] });
  both = await h.identity.token({ branches: [{ branch: branchA, role: 'admin' }, { branch: branchB, role: 'admin' }] });
  supplierA = ok(await h.http.post(`${P}/suppliers`, { name: 'Pune Pharma Distributors', gstin: '27AAPFU0939F1ZV' }, { token: adminA }), 201).body.id;
  supplierB = ok(await h.http.post(`${P}/suppliers`, { name: 'Pune Pharma Distributors', gstin: '27AAPFU0939F1ZV' }, { token: adminB }), 201).body.id;
  clock = serviceClock(h);
  FAR_EXPIRY = clock.inDays(3 * 365);
  feed = new CareFeed(h);
  const patient = await feed.registerPatient(branchA, 'Anita Devi');
  inpatient = { patient, admission: await feed.admit(branchA, patient) };
});
afterAll(async () => {
  await feed?.close();
  await h?.stop();
});

afterEach(async () => {
  jest.restoreAllMocks();
  clock.reset();
  await expectLedgerMatchesBalances();
});

/** Every store/batch: the ledger rows sum to the on-hand balance, and no balance is without rows. */
async function expectLedgerMatchesBalances(): Promise<void> {
  const mismatches = await h.db.admin(
    `SELECT coalesce(b.store_id, l.store_id) AS store_id, coalesce(b.batch_id, l.batch_id) AS batch_id, b.on_hand, l.total
     FROM pharmacy.stock_balances b
     FULL JOIN (SELECT store_id, batch_id, sum(quantity) AS total FROM pharmacy.stock_ledger GROUP BY store_id, batch_id) l
       ON l.store_id = b.store_id AND l.batch_id = b.batch_id
     WHERE coalesce(b.on_hand, 0) <> coalesce(l.total, 0) OR b.on_hand < 0`,
  );
  expect(mismatches).toEqual([]);
}

const TABLES = ['items', 'item_gst_rates', 'stores', 'reorder_levels', 'suppliers', 'goods_receipts', 'batches', 'stock_ledger', 'dispenses', 'dispense_lines', 'h1_register', 'outbox'];

/** Row counts of every pharmacy table and the total on hand: what "nothing was written" compares. */
async function snapshot(): Promise<Record<string, number>> {
  const rows = await h.db.admin<{ t: string; n: string }>(
    [...TABLES.map((t) => `SELECT '${t}' AS t, count(*) AS n FROM pharmacy.${t}`), `SELECT 'on_hand' AS t, coalesce(sum(on_hand), 0) AS n FROM pharmacy.stock_balances`].join(' UNION ALL '),
  );
  return Object.fromEntries(rows.map((r) => [r.t, Number(r.n)]));
}

async function createItem(token: string, overrides: Record<string, unknown> = {}): Promise<Item> {
  const n = next();
  const body = { code: `IT${n}`, kind: 'drug', genericName: `Drug ${n}`, form: 'tablet', strength: '500 mg', unit: 'tablet', packSize: 10, hsn: '30049099', schedule: 'NONE', gstRateBp: 500, gstEffectiveFrom: '2025-09-22', ...overrides };
  return ok(await h.http.post(`${P}/items`, body, { token }), 201).body as Item;
}

async function createStore(token: string): Promise<Store> {
  const n = next();
  return ok(await h.http.post(`${P}/stores`, { code: `ST${n}`, name: `Store ${n}`, kind: 'pharmacy' }, { token }), 201).body as Store;
}

function receiptBody(storeId: string, lines: ReceiptLine[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    storeId,
    supplierId: supplierA,
    invoiceNumber: `PPD/26/${String(next()).padStart(5, '0')}`,
    invoiceDate: today(),
    lines: lines.map((l) => ({ purchaseRatePaise: 100, mrpPaise: 150, ...l })),
    ...extra,
  };
}

async function receive(storeId: string, lines: ReceiptLine[], options: { token?: string; extra?: Record<string, unknown> } = {}): Promise<TestResponse> {
  return h.http.post(`${P}/goods-receipts`, receiptBody(storeId, lines, options.extra), { token: options.token ?? adminA });
}

/** A store and an item with `quantity` units of one far-expiry batch. */
async function stocked(quantity: number, itemOverrides: Record<string, unknown> = {}): Promise<{ store: Store; item: Item }> {
  const store = await createStore(adminA);
  const item = await createItem(adminA, itemOverrides);
  ok(await receive(store.id, [{ itemId: item.id, batchNo: `B${next()}`, expiry: FAR_EXPIRY, quantity }]), 201);
  return { store, item };
}

function dispense(body: Record<string, unknown>, options: { token?: string; key?: string; branchId?: string } = {}): Promise<TestResponse> {
  return h.http.post(`${P}/dispenses`, body, { token: options.token ?? adminA, branchId: options.branchId, headers: options.key ? { 'idempotency-key': options.key } : undefined });
}

async function onHand(storeId: string, itemId: string): Promise<number> {
  const [row] = await h.db.admin<{ n: string }>('SELECT coalesce(sum(on_hand), 0) AS n FROM pharmacy.stock_balances WHERE store_id = $1 AND item_id = $2', [storeId, itemId]);
  return Number(row.n);
}

async function outboxEvents<T>(definition: EventDefinition<T>, key?: string): Promise<EventEnvelope<T>[]> {
  const rows = await h.db.admin<{ envelope: EventEnvelope<T> }>(
    `SELECT envelope FROM pharmacy.outbox WHERE envelope->>'type' = $1 AND ($2::text IS NULL OR key = $2) ORDER BY seq`,
    [definition.type, key ?? null],
  );
  return rows.map((r) => r.envelope);
}

/** Makes the pharmacy's clock (its injected CLOCK) read `iso`. */
function clockAt(iso: string): void {
  clock.at(iso);
}

// ---------------------------------------------------------------------------------------------

describe('item master', () => {
  it('accepts an HSN code of 4, 6 or 8 digits and refuses any other, writing nothing', async () => {
    for (const hsn of ['3004', '300490', '30049099']) expect((await createItem(adminA, { hsn })).id).toBeDefined();
    const before = await snapshot();
    for (const hsn of ['300', '30049', '3004909', '300490991', '30O4', '3004 90', '', 3004]) {
      expectProblem(await h.http.post(`${P}/items`, { code: `HSN${next()}`, kind: 'drug', genericName: 'X', form: 'tablet', unit: 'tablet', packSize: 1, hsn, schedule: 'NONE', gstRateBp: 500, gstEffectiveFrom: '2025-09-22' }, { token: adminA }), 400);
    }
    expect(await snapshot()).toEqual(before);
  });

  it('keeps the drug schedule to NONE, G, H, H1, X or NDPS (DRUG-01)', async () => {
    for (const schedule of ['NONE', 'G', 'H', 'H1', 'X', 'NDPS']) expect((await createItem(adminA, { schedule })).schedule).toBe(schedule);
    const before = await snapshot();
    for (const schedule of ['h', 'Schedule H', 'C', 'OTC', '', null]) {
      const r = await h.http.post(`${P}/items`, { code: `SC${next()}`, kind: 'drug', genericName: 'X', form: 'tablet', unit: 'tablet', packSize: 1, hsn: '3004', schedule, gstRateBp: 500, gstEffectiveFrom: '2025-09-22' }, { token: adminA });
      expectProblem(r, 400);
    }
    expect(await snapshot()).toEqual(before);
  });

  it('needs a whole pack size from 1 to 100,000', async () => {
    expect((await createItem(adminA, { packSize: 1 })).id).toBeDefined();
    expect((await createItem(adminA, { packSize: 100_000 })).id).toBeDefined();
    const before = await snapshot();
    for (const packSize of [0, -10, 2.5, '10', 100_001, null]) {
      const r = await h.http.post(`${P}/items`, { code: `PK${next()}`, kind: 'drug', genericName: 'X', form: 'tablet', unit: 'tablet', packSize, hsn: '3004', schedule: 'NONE', gstRateBp: 500, gstEffectiveFrom: '2025-09-22' }, { token: adminA });
      expectProblem(r, 400);
    }
    expect(await snapshot()).toEqual(before);
  });

  it('refuses a second item with the same code in a branch (409), but another branch may use it', async () => {
    const first = await createItem(adminA, { code: 'PCM500' });
    const before = await snapshot();
    const again = await h.http.post(`${P}/items`, { code: 'PCM500', kind: 'drug', genericName: 'Paracetamol', form: 'tablet', unit: 'tablet', packSize: 10, hsn: '3004', schedule: 'NONE', gstRateBp: 500, gstEffectiveFrom: '2025-09-22' }, { token: adminA });
    expectProblem(again, 409);
    expect(again.body.code).toBe('already-exists');
    expect(await snapshot()).toEqual(before);
    const elsewhere = await createItem(adminB, { code: 'PCM500' });
    expect(elsewhere.id).not.toBe(first.id);
  });

  it('finds an item by its exact code, also one with an underscore, and by the start of its name', async () => {
    const item = await createItem(adminA, { code: 'AMOX_500', genericName: 'Amoxicillin', brandName: 'Mox' });
    const byCode = ok(await h.http.get(`${P}/items?q=amox_500`, { token: adminA }), 200);
    expect(byCode.body.items.map((i: Item) => i.id)).toEqual([item.id]);
    expect(ok(await h.http.get(`${P}/items?q=amoxi`, { token: adminA }), 200).body.items.map((i: Item) => i.id)).toContain(item.id);
    expect(ok(await h.http.get(`${P}/items?q=mo`, { token: adminA }), 200).body.items.map((i: Item) => i.id)).toContain(item.id);
    // LIKE wildcards in q are plain characters.
    expect(ok(await h.http.get(`${P}/items?q=%25`, { token: adminA }), 200).body.items).toEqual([]);
    expect(ok(await h.http.get(`${P}/items?q=_`, { token: adminA }), 200).body.items).toEqual([]);
  });
});

describe('GST rate history (GST-05)', () => {
  it('a 5% rate from 2025-09-22 replaces the 12% one: a dispense today records 5% in its lines and its event; a future rate waits', async () => {
    const item = await createItem(adminA, { gstRateBp: 1200, gstEffectiveFrom: '2017-07-01' });
    expect(item.gstRateBp).toBe(1200);
    ok(await h.http.post(`${P}/items/${item.id}/gst-rates`, { effectiveFrom: '2025-09-22', rateBp: 500 }, { token: adminA }), 201);
    const future = addDays(today(), 30);
    const view = ok(await h.http.post(`${P}/items/${item.id}/gst-rates`, { effectiveFrom: future, rateBp: 0 }, { token: adminA }), 201).body as Item;
    expect(view.gstRates).toEqual([
      { effectiveFrom: '2017-07-01', rateBp: 1200 },
      { effectiveFrom: '2025-09-22', rateBp: 500 },
      { effectiveFrom: future, rateBp: 0 },
    ]);
    expect(view.gstRateBp).toBe(500);
    expect((ok(await h.http.get(`${P}/items/${item.id}`, { token: adminA }), 200).body as Item).gstRateBp).toBe(500);

    const store = await createStore(adminA);
    ok(await receive(store.id, [{ itemId: item.id, batchNo: 'GST1', expiry: FAR_EXPIRY, quantity: 10 }]), 201);
    const d = ok(await dispense({ storeId: store.id, supplyKind: 'otc', lines: [{ itemId: item.id, quantity: 2 }] }), 201);
    expect(d.body.lines).toEqual([expect.objectContaining({ itemId: item.id, quantity: 2, gstRateBp: 500, hsn: '30049099' })]);
    const stored = await h.db.admin<{ gst_rate_bp: number; hsn: string }>('SELECT gst_rate_bp, hsn FROM pharmacy.dispense_lines WHERE dispense_id = $1', [d.body.id]);
    expect(stored).toEqual([{ gst_rate_bp: 500, hsn: '30049099' }]);
    const [event] = await outboxEvents(Dispensed, d.body.id);
    expect(event.data).toMatchObject({ dispenseId: d.body.id, supplyKind: 'otc', lines: [expect.objectContaining({ itemId: item.id, gstRateBp: 500 })] });
    expect(event.source).toBe('pharmacy');
    expect(event.branchId).toBe(branchA.id);
  });

  it('a sale on 21 Sep 2025 (India) uses 12% and one on 22 Sep 2025 uses 5%, judged by the Indian date', async () => {
    const item = await createItem(adminA, { gstRateBp: 1200, gstEffectiveFrom: '2017-07-01' });
    ok(await h.http.post(`${P}/items/${item.id}/gst-rates`, { effectiveFrom: '2025-09-22', rateBp: 500 }, { token: adminA }), 201);
    const store = await createStore(adminA);
    ok(await receive(store.id, [{ itemId: item.id, batchNo: 'GSTB', expiry: FAR_EXPIRY, quantity: 10 }]), 201);
    const sale = async () => ok(await dispense({ storeId: store.id, supplyKind: 'outpatient', lines: [{ itemId: item.id, quantity: 1 }] }), 201).body;

    clockAt('2025-09-21T18:29:59.000Z'); // 23:59:59 on 21 Sep in India
    const before = await sale();
    clockAt('2025-09-21T18:30:00.000Z'); // 00:00:00 on 22 Sep in India
    const after = await sale();
    expect(before.lines[0].gstRateBp).toBe(1200);
    expect(after.lines[0].gstRateBp).toBe(500);
    expect((await outboxEvents(Dispensed, before.id))[0].data.lines[0].gstRateBp).toBe(1200);
    expect((await outboxEvents(Dispensed, after.id))[0].data.lines[0].gstRateBp).toBe(500);
  });

  it('refuses a dispense of an item with no rate in force yet (422), and a second rate for the same day (409)', async () => {
    const { store, item } = await stocked(5);
    ok(await h.http.post(`${P}/items/${item.id}/gst-rates`, { effectiveFrom: '2024-01-01', rateBp: 1200 }, { token: adminA }), 201);
    expectProblem(await h.http.post(`${P}/items/${item.id}/gst-rates`, { effectiveFrom: '2025-09-22', rateBp: 0 }, { token: adminA }), 409);
    const later = await createItem(adminA, { gstEffectiveFrom: addDays(today(), 1) });
    ok(await receive(store.id, [{ itemId: later.id, batchNo: 'NR1', expiry: FAR_EXPIRY, quantity: 5 }]), 201);
    const before = await snapshot();
    const r = await dispense({ storeId: store.id, supplyKind: 'otc', lines: [{ itemId: later.id, quantity: 1 }] });
    expectProblem(r, 422);
    expect(r.body.code).toBe('gst-rate-missing');
    expect(await snapshot()).toEqual(before);
  });
});

describe('suppliers (GST-12)', () => {
  it('accepts 27AAPFU0939F1ZV, knows its state, and refuses the same GSTIN twice in a branch', async () => {
    const listed = ok(await h.http.get(`${P}/suppliers`, { token: adminA }), 200).body.items as { id: string; gstin: string; stateCode: string }[];
    expect(listed).toContainEqual(expect.objectContaining({ id: supplierA, gstin: '27AAPFU0939F1ZV', stateCode: '27' }));
    const before = await snapshot();
    const again = await h.http.post(`${P}/suppliers`, { name: 'Same again', gstin: ' 27aapfu0939f1zv ' }, { token: adminA });
    expectProblem(again, 409);
    expect(await snapshot()).toEqual(before);
  });

  it('refuses 27AAPFU0939F1ZO (bad check character) and malformed GSTINs with 400, writing nothing', async () => {
    const before = await snapshot();
    for (const bad of ['27AAPFU0939F1ZO', '27AAPFU0939F1Z', '27AAPFU0939F1XV', '00AAPFU0939F1ZV', '27AAPFU0939F1ZV1', '']) {
      const r = await h.http.post(`${P}/suppliers`, { name: 'Bad', gstin: bad }, { token: adminA });
      expectProblem(r, 400);
    }
    expect(await snapshot()).toEqual(before);
  });
});

describe('goods receipts', () => {
  it('refuses a batch that has expired (400), accepts one expiring today (its last usable day) or tomorrow', async () => {
    const store = await createStore(adminA);
    const item = await createItem(adminA);
    const before = await snapshot();
    // A batch is usable through its expiry date (issue 7, item 13): one expiring today is received.
    for (const expiry of [addDays(today(), -400), addDays(today(), -1)]) {
      const r = await receive(store.id, [{ itemId: item.id, batchNo: `EXP${next()}`, expiry, quantity: 5 }]);
      expectProblem(r, 400);
      expect(r.body.errors).toEqual([expect.objectContaining({ field: 'lines[0].expiry' })]);
    }
    // One expired line spoils the whole receipt.
    expectProblem(
      await receive(store.id, [
        { itemId: item.id, batchNo: 'GOOD1', expiry: FAR_EXPIRY, quantity: 5 },
        { itemId: item.id, batchNo: 'BAD1', expiry: addDays(today(), -1), quantity: 5 },
      ]),
      400,
    );
    expect(await snapshot()).toEqual(before);
    ok(await receive(store.id, [{ itemId: item.id, batchNo: 'TMRW', expiry: addDays(today(), 1), quantity: 5 }]), 201);
    expect(await onHand(store.id, item.id)).toBe(5);
    ok(await receive(store.id, [{ itemId: item.id, batchNo: 'LAST-DAY', expiry: today(), quantity: 5 }]), 201);
    expect(await onHand(store.id, item.id)).toBe(10);
  });

  it('refuses the same supplier invoice twice (409) but takes the same number from another supplier', async () => {
    const store = await createStore(adminA);
    const item = await createItem(adminA);
    const body = receiptBody(store.id, [{ itemId: item.id, batchNo: 'INV1', expiry: FAR_EXPIRY, quantity: 10 }], { invoiceNumber: 'PPD/2026/00042' });
    ok(await h.http.post(`${P}/goods-receipts`, body, { token: adminA }), 201);
    const before = await snapshot();
    const again = await h.http.post(`${P}/goods-receipts`, { ...body, lines: [{ ...(body.lines as object[])[0], batchNo: 'INV2' }] }, { token: adminA });
    expectProblem(again, 409);
    expect(again.body.code).toBe('invoice-received');
    expect(await snapshot()).toEqual(before);
    const other = ok(await h.http.post(`${P}/suppliers`, { name: 'Mumbai Medico', gstin: gstin('27AAACM1234A1Z') }, { token: adminA }), 201).body.id as string;
    ok(await h.http.post(`${P}/goods-receipts`, { ...body, supplierId: other }, { token: adminA }), 201);
    expect(await onHand(store.id, item.id)).toBe(20);
  });

  it('puts free quantity into stock as its own ledger row', async () => {
    const store = await createStore(adminA);
    const item = await createItem(adminA);
    const r = ok(await receive(store.id, [{ itemId: item.id, batchNo: 'FREE1', expiry: FAR_EXPIRY, quantity: 100, freeQuantity: 10 }]), 201);
    expect(r.body.lines).toEqual([expect.objectContaining({ batchNo: 'FREE1', quantity: 100, freeQuantity: 10 })]);
    const rows = await h.db.admin<{ movement: string; quantity: number; reference_id: string }>(
      'SELECT movement, quantity, reference_id FROM pharmacy.stock_ledger WHERE store_id = $1 ORDER BY movement',
      [store.id],
    );
    expect(rows).toEqual([
      { movement: 'free', quantity: 10, reference_id: r.body.id },
      { movement: 'receipt', quantity: 100, reference_id: r.body.id },
    ]);
    expect(await onHand(store.id, item.id)).toBe(110);
    const stock = ok(await h.http.get(`${P}/stock?storeId=${store.id}`, { token: adminA }), 200).body;
    expect(stock.items).toEqual([expect.objectContaining({ itemId: item.id, batchNo: 'FREE1', onHand: 110, expiry: FAR_EXPIRY, expired: false, mrpPaise: 150, purchaseRatePaise: 100 })]);
    const [event] = await outboxEvents(GoodsReceived, r.body.id);
    expect(event.data.lines).toEqual([expect.objectContaining({ batchNo: 'FREE1', quantity: 100, freeQuantity: 10 })]);
    // Without free goods there is no free row.
    ok(await receive(store.id, [{ itemId: item.id, batchNo: 'FREE1', expiry: FAR_EXPIRY, quantity: 5, freeQuantity: 0 }]), 201);
    expect(await h.db.admin(`SELECT 1 FROM pharmacy.stock_ledger WHERE store_id = $1 AND movement = 'free'`, [store.id])).toHaveLength(1);
  });

  it('refuses a batch received again with another expiry (409); the same expiry adds to its stock', async () => {
    const store = await createStore(adminA);
    const item = await createItem(adminA);
    const [expiry, otherExpiry] = [clock.inDays(600), clock.inDays(631)];
    ok(await receive(store.id, [{ itemId: item.id, batchNo: 'B-77', expiry, quantity: 10 }]), 201);
    const before = await snapshot();
    const r = await receive(store.id, [
      { itemId: item.id, batchNo: 'NEW-1', expiry: FAR_EXPIRY, quantity: 3 },
      { itemId: item.id, batchNo: 'B-77', expiry: otherExpiry, quantity: 10 },
    ]);
    expectProblem(r, 409);
    expect(r.body.code).toBe('batch-expiry-mismatch');
    expect(await snapshot()).toEqual(before);
    ok(await receive(store.id, [{ itemId: item.id, batchNo: 'B-77', expiry, quantity: 4 }]), 201);
    expect(await onHand(store.id, item.id)).toBe(14);
  });

  it('refuses an MRP below the purchase rate, a future invoice date and an impossible date (400), writing nothing', async () => {
    const store = await createStore(adminA);
    const item = await createItem(adminA);
    const before = await snapshot();
    const line = { itemId: item.id, batchNo: 'R1', expiry: FAR_EXPIRY, quantity: 10 };
    const mrp = await receive(store.id, [{ ...line, purchaseRatePaise: 200, mrpPaise: 199 }]);
    expectProblem(mrp, 400);
    expect(mrp.body.errors).toEqual([expect.objectContaining({ field: 'lines[0].mrpPaise' })]);
    const future = await receive(store.id, [line], { extra: { invoiceDate: addDays(today(), 1) } });
    expectProblem(future, 400);
    expect(future.body.errors).toEqual([expect.objectContaining({ field: 'invoiceDate', message: 'is in the future' })]);
    expectProblem(await receive(store.id, [line], { extra: { invoiceDate: '2026-02-30' } }), 400);
    expectProblem(await receive(store.id, [{ ...line, expiry: '2029-02-29' }]), 400);
    // The same batch twice in one receipt.
    expectProblem(await receive(store.id, [line, { ...line, itemId: item.id.toUpperCase() }]), 400);
    expect(await snapshot()).toEqual(before);
    // MRP equal to the purchase rate is fine.
    ok(await receive(store.id, [{ ...line, purchaseRatePaise: 200, mrpPaise: 200 }]), 201);
  });

  it('refuses a receipt that would take a batch past the largest balance the database keeps, and writes nothing', async () => {
    const store = await createStore(adminA);
    const item = await createItem(adminA);
    const line = { itemId: item.id, batchNo: 'HUGE', expiry: FAR_EXPIRY, quantity: 10_000_000, freeQuantity: 10_000_000 };
    // 2^31 - 1 = 2,147,483,647: 107 receipts of 20 million fit, the 108th does not.
    for (let i = 0; i < 107; i++) ok(await receive(store.id, [line]), 201);
    const before = await snapshot();
    const r = await receive(store.id, [line]);
    expectProblem(r, 409);
    expect(r.body.code).toBe('quantity-too-large');
    expect(await snapshot()).toEqual(before);
    expect(await onHand(store.id, item.id)).toBe(2_140_000_000);
  });

  it('refuses an unknown store or supplier (404) and an unknown item (400)', async () => {
    const store = await createStore(adminA);
    const item = await createItem(adminA);
    const nobody = '01930000-0000-7000-8000-000000000001';
    const before = await snapshot();
    expectProblem(await h.http.post(`${P}/goods-receipts`, receiptBody(nobody, [{ itemId: item.id, batchNo: 'U1', expiry: FAR_EXPIRY, quantity: 1 }]), { token: adminA }), 404);
    expectProblem(await h.http.post(`${P}/goods-receipts`, receiptBody(store.id, [{ itemId: item.id, batchNo: 'U1', expiry: FAR_EXPIRY, quantity: 1 }], { supplierId: nobody }), { token: adminA }), 404);
    expectProblem(await receive(store.id, [{ itemId: nobody, batchNo: 'U1', expiry: FAR_EXPIRY, quantity: 1 }]), 400);
    expect(await snapshot()).toEqual(before);
  });
});

describe('dispensing: supply kinds (GST-03, GST-04)', () => {
  // A registered patient in an open admission: a supply names only patients and admissions the
  // pharmacy knows (issue 7, item 12).
  let patientId: string;
  let admissionId: string;
  beforeAll(() => {
    patientId = inpatient.patient.id;
    admissionId = inpatient.admission.id;
  });

  it('an in-patient supply needs the patient and the admission (400 otherwise, nothing written)', async () => {
    const { store, item } = await stocked(10);
    const before = await snapshot();
    const lines = [{ itemId: item.id, quantity: 1 }];
    for (const body of [
      { storeId: store.id, supplyKind: 'inpatient', lines },
      { storeId: store.id, supplyKind: 'inpatient', patientId, lines },
      { storeId: store.id, supplyKind: 'inpatient', admissionId, lines },
    ]) {
      expectProblem(await dispense(body), 400);
    }
    expect(await snapshot()).toEqual(before);
  });

  it('records in-patient, out-patient and counter supplies as such, in the dispense and in its event', async () => {
    const { store, item } = await stocked(10);
    const lines = [{ itemId: item.id, quantity: 1 }];
    const ip = ok(await dispense({ storeId: store.id, supplyKind: 'inpatient', patientId, admissionId, patientName: 'Anita Devi', lines }), 201).body;
    const op = ok(await dispense({ storeId: store.id, supplyKind: 'outpatient', patientId, lines }), 201).body;
    const otc = ok(await dispense({ storeId: store.id, supplyKind: 'otc', lines }), 201).body;
    expect([ip.supplyKind, op.supplyKind, otc.supplyKind]).toEqual(['inpatient', 'outpatient', 'otc']);
    const rows = await h.db.admin<{ id: string; supply_kind: string; patient_id: string | null; admission_id: string | null }>(
      'SELECT id, supply_kind, patient_id, admission_id FROM pharmacy.dispenses WHERE id = ANY($1::uuid[]) ORDER BY id',
      [[ip.id, op.id, otc.id]],
    );
    expect(rows).toEqual([
      { id: ip.id, supply_kind: 'inpatient', patient_id: patientId, admission_id: admissionId },
      { id: op.id, supply_kind: 'outpatient', patient_id: patientId, admission_id: null },
      { id: otc.id, supply_kind: 'otc', patient_id: null, admission_id: null },
    ]);
    const data = async (id: string) => (await outboxEvents(Dispensed, id))[0].data;
    expect(await data(ip.id)).toMatchObject({ supplyKind: 'inpatient', patientId, admissionId, storeId: store.id });
    expect(await data(op.id)).toMatchObject({ supplyKind: 'outpatient', patientId, admissionId: null });
    expect(await data(otc.id)).toMatchObject({ supplyKind: 'otc', patientId: null, admissionId: null });
    expect(await onHand(store.id, item.id)).toBe(7);
  });

  it('takes ids in any letter case and records them in lower case', async () => {
    const { store, item } = await stocked(10);
    const upper = (s: string) => s.toUpperCase();
    const r = ok(
      await dispense({ storeId: upper(store.id), supplyKind: 'inpatient', patientId: upper(patientId), admissionId: upper(admissionId), lines: [{ itemId: upper(item.id), quantity: 2 }] }),
      201,
    );
    expect(r.body).toMatchObject({ storeId: store.id, patientId, admissionId, lines: [expect.objectContaining({ itemId: item.id, quantity: 2 })] });
    expect((await outboxEvents(Dispensed, r.body.id))[0].data).toMatchObject({ storeId: store.id, patientId, admissionId });
    // The same item twice, in two letter cases, is one item named twice.
    expectProblem(await dispense({ storeId: store.id, supplyKind: 'otc', lines: [{ itemId: item.id, quantity: 1 }, { itemId: upper(item.id), quantity: 1 }] }), 400);
    expect(await onHand(store.id, item.id)).toBe(8);
  });

  it('never issues an expired batch, even when it expires first (FEFO over usable stock only)', async () => {
    const store = await createStore(adminA);
    const item = await createItem(adminA);
    // Received long ago, expired since.
    const [receivedOn, expiredOn, invoicedOn] = [clock.inDays(-400), clock.inDays(-200), clock.inDays(-402)];
    clockAt(`${receivedOn}T11:30:00+05:30`);
    ok(await receive(store.id, [{ itemId: item.id, batchNo: 'OLD', expiry: expiredOn, quantity: 50 }], { extra: { invoiceDate: invoicedOn } }), 201);
    clock.reset();
    ok(await receive(store.id, [{ itemId: item.id, batchNo: 'NEW', expiry: FAR_EXPIRY, quantity: 5 }]), 201);
    const d = ok(await dispense({ storeId: store.id, supplyKind: 'otc', lines: [{ itemId: item.id, quantity: 3 }] }), 201);
    expect(d.body.lines.map((l: DispensedLineBody) => [l.batchNo, l.quantity])).toEqual([['NEW', 3]]);
    const short = await dispense({ storeId: store.id, supplyKind: 'otc', lines: [{ itemId: item.id, quantity: 3 }] });
    expectProblem(short, 409);
    expect(short.body).toMatchObject({ code: 'insufficient-stock', available: 2 });
    const stock = ok(await h.http.get(`${P}/stock?itemId=${item.id}`, { token: adminA }), 200).body.items as { batchNo: string; onHand: number; expired: boolean }[];
    expect(stock.map((s) => [s.batchNo, s.onHand, s.expired])).toEqual([
      ['OLD', 50, true],
      ['NEW', 2, false],
    ]);
  });
});

describe('dispensing: schedules (DRUG-01)', () => {
  it('refuses Schedule H and X without a prescription (422) for every kind of supply, writing nothing', async () => {
    const h1 = await stocked(10, { schedule: 'H' });
    const x = await stocked(10, { schedule: 'X' });
    const before = await snapshot();
    for (const { store, item } of [h1, x]) {
      for (const extra of [
        { supplyKind: 'otc' },
        { supplyKind: 'outpatient', patientName: 'Anita Devi' },
        { supplyKind: 'inpatient', patientId: inpatient.patient.id, admissionId: inpatient.admission.id },
        { supplyKind: 'outpatient', prescription: { prescriberName: ' ', prescriberRegistrationNumber: 'MMC-1' } },
        { supplyKind: 'outpatient', prescription: { prescriberName: 'Dr. Rao', prescriberRegistrationNumber: '' } },
      ]) {
        const r = await dispense({ storeId: store.id, lines: [{ itemId: item.id, quantity: 1 }], ...extra });
        expectProblem(r, 422);
        expect(r.body.code).toBe('prescription-required');
      }
    }
    expect(await snapshot()).toEqual(before);
    ok(await dispense({ storeId: h1.store.id, supplyKind: 'otc', prescription: RX, lines: [{ itemId: h1.item.id, quantity: 1 }] }), 201);
    ok(await dispense({ storeId: x.store.id, supplyKind: 'outpatient', prescription: RX, lines: [{ itemId: x.item.id, quantity: 1 }] }), 201);
  });

  it('never sells Schedule X or NDPS over the counter, even against a prescription (422)', async () => {
    const x = await stocked(10, { schedule: 'X' });
    const ndps = await stocked(10, { schedule: 'NDPS' });
    const before = await snapshot();
    for (const { store, item } of [x, ndps]) {
      const r = await dispense({ storeId: store.id, supplyKind: 'otc', patientName: 'Anita Devi', prescription: RX, lines: [{ itemId: item.id, quantity: 1 }] });
      expectProblem(r, 422);
      expect(r.body.detail).toMatch(/over the counter/);
    }
    expect(await snapshot()).toEqual(before);
    ok(await dispense({ storeId: ndps.store.id, supplyKind: 'inpatient', patientId: inpatient.patient.id, admissionId: inpatient.admission.id, prescription: RX, lines: [{ itemId: ndps.item.id, quantity: 1 }] }), 201);
  });

  it('lets unscheduled and Schedule G items go over the counter without a prescription', async () => {
    for (const schedule of ['NONE', 'G']) {
      const { store, item } = await stocked(3, { schedule });
      ok(await dispense({ storeId: store.id, supplyKind: 'otc', lines: [{ itemId: item.id, quantity: 1 }] }), 201);
    }
  });
});

describe('the Schedule H1 register (DRUG-02)', () => {
  it('refuses an H1 supply with any register field missing and writes nothing: no ledger rows, no register row', async () => {
    const { store, item } = await stocked(10, { schedule: 'H1' });
    const lines = [{ itemId: item.id, quantity: 2 }];
    const before = await snapshot();
    const cases: [string, Record<string, unknown>][] = [
      ['no prescription', { patientName: 'Anita Devi' }],
      ['no prescriber name', { patientName: 'Anita Devi', prescription: { ...RX, prescriberName: '' } }],
      ['no prescriber address', { patientName: 'Anita Devi', prescription: { prescriberName: RX.prescriberName, prescriberRegistrationNumber: RX.prescriberRegistrationNumber } }],
      ['a blank prescriber address', { patientName: 'Anita Devi', prescription: { ...RX, prescriberAddress: '   ' } }],
      // An id the pharmacy does not know gives no name from a patient record either.
      ['no patient name', { patientId: '01930000-0000-7000-8000-0000000000a1', prescription: RX }],
      ['a blank patient name', { patientName: ' \t ', prescription: RX }],
    ];
    for (const [label, extra] of cases) {
      const r = await dispense({ storeId: store.id, supplyKind: 'outpatient', lines, ...extra });
      if (r.status !== 422) throw new Error(`${label}: expected 422, got ${r.status}: ${r.text}`);
      expectProblem(r, 422);
    }
    expect(await snapshot()).toEqual(before);
    expect(await h.db.admin('SELECT 1 FROM pharmacy.stock_ledger WHERE store_id = $1 AND movement = $2', [store.id, 'dispense'])).toEqual([]);
  });

  it('writes one register row per batch supplied, with prescriber, patient, drug, batch and quantity', async () => {
    const store = await createStore(adminA);
    const item = await createItem(adminA, { schedule: 'H1', genericName: 'Cefixime', brandName: 'Taxim-O', strength: '200 mg' });
    ok(await receive(store.id, [{ itemId: item.id, batchNo: 'H1-EARLY', expiry: clock.inDays(400), quantity: 2 }, { itemId: item.id, batchNo: 'H1-LATE', expiry: FAR_EXPIRY, quantity: 10 }]), 201);
    const pharmacist = await h.identity.token({ userId: 'pharmacist-7', branches: [{ branch: branchA, role: 'pharmacist' }] });
    const d = ok(await dispense({ storeId: store.id, supplyKind: 'outpatient', patientName: 'Anita Devi', prescription: RX, lines: [{ itemId: item.id, quantity: 5 }] }, { token: pharmacist }), 201);
    const rows = await h.db.admin<Record<string, unknown>>(
      `SELECT prescriber_name, prescriber_registration_number, prescriber_address, patient_name, drug_name, batch_no, quantity, pharmacist_id
       FROM pharmacy.h1_register WHERE dispense_id = $1 ORDER BY batch_no`,
      [d.body.id],
    );
    const common = { prescriber_name: RX.prescriberName, prescriber_registration_number: RX.prescriberRegistrationNumber, prescriber_address: RX.prescriberAddress, patient_name: 'Anita Devi', drug_name: 'Taxim-O (Cefixime) 200 mg', pharmacist_id: 'pharmacist-7' };
    expect(rows).toEqual([
      { ...common, batch_no: 'H1-EARLY', quantity: 2 },
      { ...common, batch_no: 'H1-LATE', quantity: 3 },
    ]);
  });

  it('is read by date range in India, both ends inclusive; a bad range is a 400', async () => {
    const { store, item } = await stocked(10, { schedule: 'H1' });
    const day = today();
    const yesterday = addDays(day, -1);
    // 00:15 yesterday in India is still the day before yesterday in UTC.
    clockAt(`${addDays(day, -2)}T18:45:00.000Z`);
    const early = ok(await dispense({ storeId: store.id, supplyKind: 'otc', patientName: 'Early Patient', prescription: RX, lines: [{ itemId: item.id, quantity: 1 }] }), 201).body.id as string;
    clock.reset();
    const now = ok(await dispense({ storeId: store.id, supplyKind: 'otc', patientName: 'Today Patient', prescription: RX, lines: [{ itemId: item.id, quantity: 1 }] }), 201).body.id as string;
    const ids = async (from: string, to: string) =>
      (ok(await h.http.get(`${P}/h1-register?from=${from}&to=${to}&limit=100`, { token: adminA }), 200).body.items as { dispenseId: string }[]).map((e) => e.dispenseId).filter((id) => id === early || id === now);
    expect(await ids(yesterday, yesterday)).toEqual([early]);
    expect(await ids(addDays(day, -2), addDays(day, -2))).toEqual([]);
    expect(await ids(day, day)).toEqual([now]);
    expect(await ids(yesterday, day)).toEqual([early, now]);
    expect(await ids(addDays(day, 1), addDays(day, 30))).toEqual([]);
    const entry = (ok(await h.http.get(`${P}/h1-register?from=${day}&to=${day}&limit=100`, { token: adminA }), 200).body.items as { dispenseId: string }[]).find((e) => e.dispenseId === now);
    expect(entry).toMatchObject({ patientName: 'Today Patient', prescriberName: RX.prescriberName, prescriberAddress: RX.prescriberAddress, quantity: 1 });

    for (const query of [`from=${day}&to=${yesterday}`, `from=${day}`, `to=${day}`, '', `from=2026-02-30&to=${day}`, `from=yesterday&to=${day}`, `from=${day}&to=${day}&limit=0`, `from=${day}&to=${day}&limit=101`, `from=${day}&from=${day}&to=${day}`]) {
      expectProblem(await h.http.get(`${P}/h1-register?${query}`, { token: adminA }), 400);
    }
  });

  it('refuses to change or delete a register entry younger than three years, at the database', async () => {
    const { store, item } = await stocked(5, { schedule: 'H1' });
    const d = ok(await dispense({ storeId: store.id, supplyKind: 'otc', patientName: 'Anita Devi', prescription: RX, lines: [{ itemId: item.id, quantity: 1 }] }), 201).body.id as string;
    const [row] = await h.db.admin<{ id: string }>('SELECT id FROM pharmacy.h1_register WHERE dispense_id = $1', [d]);
    await expect(h.db.admin('DELETE FROM pharmacy.h1_register WHERE id = $1', [row.id])).rejects.toThrow(/three years/);
    await expect(h.db.admin(`UPDATE pharmacy.h1_register SET patient_name = 'Someone else' WHERE id = $1`, [row.id])).rejects.toThrow(/never changed/);
    // One just short of three years old is kept too; one older may go.
    const backdated = async (age: string) => {
      const [r] = await h.db.admin<{ id: string }>(
        `INSERT INTO pharmacy.h1_register (id, branch_id, dispense_id, supplied_at, prescriber_name, prescriber_registration_number, prescriber_address, patient_name, drug_name, item_id, batch_no, quantity, pharmacist_id)
         SELECT gen_random_uuid(), branch_id, dispense_id, now() - $2::interval, prescriber_name, prescriber_registration_number, prescriber_address, patient_name, drug_name, item_id, batch_no, quantity, pharmacist_id
         FROM pharmacy.h1_register WHERE id = $1 RETURNING id`,
        [row.id, age],
      );
      return r.id;
    };
    const almost = await backdated('3 years - 1 day');
    await expect(h.db.admin('DELETE FROM pharmacy.h1_register WHERE id = $1', [almost])).rejects.toThrow(/three years/);
    const old = await backdated('3 years 1 day');
    expect(await h.db.admin('DELETE FROM pharmacy.h1_register WHERE id = $1 RETURNING id', [old])).toEqual([{ id: old }]);

    // The service's own role cannot even try: no UPDATE or TRUNCATE grant.
    const client = new Client({ connectionString: h.db.url });
    await client.connect();
    try {
      for (const sql of ['TRUNCATE pharmacy.h1_register', `UPDATE pharmacy.h1_register SET quantity = 99`, 'DELETE FROM pharmacy.h1_register']) {
        await client.query(`BEGIN; SET LOCAL ROLE hms_pharmacy; SET LOCAL hms.all_branches = 'on'`);
        await expect(client.query(sql)).rejects.toThrow(/permission denied|three years/);
        await client.query('ROLLBACK');
      }
    } finally {
      await client.end();
    }
    expect(await h.db.admin('SELECT 1 FROM pharmacy.h1_register WHERE id = ANY($1::uuid[])', [[row.id, almost]])).toHaveLength(2);
  });
});

describe('dispensing: retries, all-or-nothing, reorder alerts', () => {
  it('a retried dispense with the same Idempotency-Key dispenses once and replays the answer', async () => {
    const { store, item } = await stocked(10);
    const body = { storeId: store.id, supplyKind: 'otc', lines: [{ itemId: item.id, quantity: 3 }] };
    const first = ok(await dispense(body, { key: 'counter-sale-000001' }), 201);
    const retry = ok(await dispense(body, { key: 'counter-sale-000001' }), 201);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.body).toEqual(first.body);
    expect(await onHand(store.id, item.id)).toBe(7);
    expect(await h.db.admin('SELECT 1 FROM pharmacy.dispenses WHERE store_id = $1', [store.id])).toHaveLength(1);
    expect(await outboxEvents(Dispensed, first.body.id)).toHaveLength(1);
    // The same key for another request is refused, not replayed.
    expectProblem(await dispense({ ...body, lines: [{ itemId: item.id, quantity: 4 }] }, { key: 'counter-sale-000001' }), 422);
    expect(await onHand(store.id, item.id)).toBe(7);
  });

  it('ten concurrent retries with one Idempotency-Key dispense once', async () => {
    const { store, item } = await stocked(100);
    const body = { storeId: store.id, supplyKind: 'otc', lines: [{ itemId: item.id, quantity: 4 }] };
    const results = await Promise.all(Array.from({ length: 10 }, () => dispense(body, { key: 'race-key-0000000042' })));
    const created = results.filter((r) => r.status === 201);
    expect(created.length).toBeGreaterThanOrEqual(1);
    for (const r of results.filter((x) => x.status !== 201)) {
      expectProblem(r, 409);
      expect(r.body.code).toBe('idempotency-key-in-progress');
    }
    expect(new Set(created.map((r) => r.body.id)).size).toBe(1);
    expect(await onHand(store.id, item.id)).toBe(96);
    expect(await h.db.admin('SELECT 1 FROM pharmacy.dispenses WHERE store_id = $1', [store.id])).toHaveLength(1);
    expect(await h.db.admin(`SELECT 1 FROM pharmacy.stock_ledger WHERE store_id = $1 AND movement = 'dispense'`, [store.id])).toHaveLength(1);
    const replay = ok(await dispense(body, { key: 'race-key-0000000042' }), 201);
    expect(replay.body.id).toBe(created[0].body.id);
  });

  it('a multi-item dispense is all or nothing when one item is short, whichever line is short', async () => {
    const store = await createStore(adminA);
    const plenty = await createItem(adminA);
    const scarce = await createItem(adminA);
    ok(
      await receive(store.id, [
        { itemId: plenty.id, batchNo: 'PL1', expiry: FAR_EXPIRY, quantity: 50 },
        { itemId: scarce.id, batchNo: 'SC1', expiry: FAR_EXPIRY, quantity: 2 },
      ]),
      201,
    );
    const before = await snapshot();
    for (const lines of [
      [
        { itemId: plenty.id, quantity: 5 },
        { itemId: scarce.id, quantity: 3 },
      ],
      [
        { itemId: scarce.id, quantity: 3 },
        { itemId: plenty.id, quantity: 5 },
      ],
    ]) {
      const r = await dispense({ storeId: store.id, supplyKind: 'otc', lines });
      expectProblem(r, 409);
      expect(r.body).toMatchObject({ code: 'insufficient-stock', available: 2 });
    }
    expect(await snapshot()).toEqual(before);
    expect([await onHand(store.id, plenty.id), await onHand(store.id, scarce.id)]).toEqual([50, 2]);
    const d = ok(await dispense({ storeId: store.id, supplyKind: 'otc', lines: [{ itemId: plenty.id, quantity: 5 }, { itemId: scarce.id, quantity: 2 }] }), 201);
    expect(d.body.lines).toHaveLength(2);
    expect([await onHand(store.id, plenty.id), await onHand(store.id, scarce.id)]).toEqual([45, 0]);
  });

  it('emits ReorderNeeded once when stock crosses below the reorder level, and again only after a new crossing', async () => {
    const { store, item } = await stocked(30);
    ok(await h.http.put(`${P}/stores/${store.id}/reorder-levels/${item.id}`, { reorderLevel: 20, reorderQuantity: 100 }, { token: adminA }), 200);
    const take = async (quantity: number) => ok(await dispense({ storeId: store.id, supplyKind: 'otc', lines: [{ itemId: item.id, quantity }] }), 201);
    const alerts = async () => (await outboxEvents(ReorderNeeded, item.id)).filter((e) => e.data.storeId === store.id);

    await take(10); // 20 left: at the level, not below
    expect(await alerts()).toEqual([]);
    await take(1); // 19: crosses
    await take(1); // 18: already below
    await take(5); // 13
    const once = await alerts();
    expect(once).toHaveLength(1);
    expect(once[0].data).toEqual({ storeId: store.id, itemId: item.id, itemName: item.genericName, onHand: 19, reorderLevel: 20, reorderQuantity: 100 });

    ok(await receive(store.id, [{ itemId: item.id, batchNo: `RE${next()}`, expiry: FAR_EXPIRY, quantity: 20 }]), 201); // 33
    await take(13); // 20
    expect(await alerts()).toHaveLength(1);
    await take(15); // 5: a new crossing
    const twice = await alerts();
    expect(twice).toHaveLength(2);
    expect(twice[1].data.onHand).toBe(5);
  });
});

describe('branch isolation', () => {
  it('a user of branch B can neither see nor dispense, receive into, or change branch A’s stock and items', async () => {
    const { store: storeA, item: itemA } = await stocked(10, { schedule: 'H1', code: 'ISOA' });
    ok(await dispense({ storeId: storeA.id, supplyKind: 'otc', patientName: 'Branch A Patient', prescription: RX, lines: [{ itemId: itemA.id, quantity: 1 }] }), 201);
    const storeB = await createStore(adminB);
    const itemB = await createItem(adminB);
    const before = await snapshot();

    expectProblem(await h.http.get(`${P}/items/${itemA.id}`, { token: adminB }), 404);
    expect((ok(await h.http.get(`${P}/items?limit=100`, { token: adminB }), 200).body.items as Item[]).map((i) => i.id)).not.toContain(itemA.id);
    expect(ok(await h.http.get(`${P}/items?q=ISOA`, { token: adminB }), 200).body.items).toEqual([]);
    expect((ok(await h.http.get(`${P}/stores`, { token: adminB }), 200).body.items as Store[]).map((s) => s.id)).not.toContain(storeA.id);
    expect((ok(await h.http.get(`${P}/suppliers`, { token: adminB }), 200).body.items as { id: string }[]).map((s) => s.id)).toEqual([supplierB]);
    expect(ok(await h.http.get(`${P}/stock?storeId=${storeA.id}`, { token: adminB }), 200).body.items).toEqual([]);
    expect(ok(await h.http.get(`${P}/stock?itemId=${itemA.id}`, { token: adminB }), 200).body.items).toEqual([]);
    expect(JSON.stringify(ok(await h.http.get(`${P}/stock?limit=100`, { token: adminB }), 200).body)).not.toContain(storeA.id);
    const register = ok(await h.http.get(`${P}/h1-register?from=2020-01-01&to=${addDays(today(), 1)}&limit=100`, { token: adminB }), 200).body.items;
    expect(register).toEqual([]);

    const fromA = await dispense({ storeId: storeA.id, supplyKind: 'otc', prescription: RX, patientName: 'X', lines: [{ itemId: itemA.id, quantity: 1 }] }, { token: adminB });
    expectProblem(fromA, 404);
    expect(fromA.body.code).toBe('store-not-found');
    const theirItem = await dispense({ storeId: storeB.id, supplyKind: 'otc', prescription: RX, patientName: 'X', lines: [{ itemId: itemA.id, quantity: 1 }] }, { token: adminB });
    expectProblem(theirItem, 404);
    expect(theirItem.body.code).toBe('item-not-found');
    expectProblem(await receive(storeA.id, [{ itemId: itemB.id, batchNo: 'X1', expiry: FAR_EXPIRY, quantity: 1 }], { token: adminB, extra: { supplierId: supplierB } }), 404);
    expectProblem(await receive(storeB.id, [{ itemId: itemA.id, batchNo: 'X1', expiry: FAR_EXPIRY, quantity: 1 }], { token: adminB, extra: { supplierId: supplierB } }), 400);
    expectProblem(await receive(storeB.id, [{ itemId: itemB.id, batchNo: 'X1', expiry: FAR_EXPIRY, quantity: 1 }], { token: adminB, extra: { supplierId: supplierA } }), 404);
    expectProblem(await h.http.put(`${P}/stores/${storeA.id}/reorder-levels/${itemA.id}`, { reorderLevel: 1, reorderQuantity: 1 }, { token: adminB }), 404);
    expectProblem(await h.http.put(`${P}/stores/${storeB.id}/reorder-levels/${itemA.id}`, { reorderLevel: 1, reorderQuantity: 1 }, { token: adminB }), 404);
    expectProblem(await h.http.post(`${P}/items/${itemA.id}/gst-rates`, { effectiveFrom: today(), rateBp: 0 }, { token: adminB }), 404);

    // A member of both branches acting in B is in B; a branch not granted is a 403.
    expectProblem(await dispense({ storeId: storeA.id, supplyKind: 'otc', prescription: RX, patientName: 'X', lines: [{ itemId: itemA.id, quantity: 1 }] }, { token: both, branchId: branchB.id }), 404);
    expectProblem(await h.http.get(`${P}/items/${itemA.id}`, { token: both, branchId: branchB.id }), 404);
    ok(await h.http.get(`${P}/items/${itemA.id}`, { token: both, branchId: branchA.id }), 200);
    const notGranted = await dispense({ storeId: storeA.id, supplyKind: 'otc', prescription: RX, patientName: 'X', lines: [{ itemId: itemA.id, quantity: 1 }] }, { token: adminB, branchId: branchA.id });
    expectProblem(notGranted, 403);
    expect(notGranted.body.code).toBe('branch-not-granted');
    expect(await snapshot()).toEqual(before);
    expect(await onHand(storeA.id, itemA.id)).toBe(9);
  });
});

describe('roles', () => {
  let store: Store;
  let item: Item;
  beforeAll(async () => {
    ({ store, item } = await stocked(20));
  });
  const tokenFor = (role: string) => h.identity.token({ branches: [{ branch: branchA, role }] });
  const dispenseBody = () => ({ storeId: store.id, supplyKind: 'otc', lines: [{ itemId: item.id, quantity: 1 }] });
  const receiptOf = () => receiptBody(store.id, [{ itemId: item.id, batchNo: `ROLE${next()}`, expiry: FAR_EXPIRY, quantity: 5 }]);

  it.each([
    ['nurse', 'dispenses', 'POST', () => `${P}/dispenses`, dispenseBody],
    ['doctor', 'dispenses', 'POST', () => `${P}/dispenses`, dispenseBody],
    ['store-manager', 'dispenses', 'POST', () => `${P}/dispenses`, dispenseBody],
    ['pharmacist', 'receives goods', 'POST', () => `${P}/goods-receipts`, receiptOf],
    ['nurse', 'receives goods', 'POST', () => `${P}/goods-receipts`, receiptOf],
    ['pharmacist', 'adds an item', 'POST', () => `${P}/items`, () => ({ code: 'ROLEX', kind: 'drug', genericName: 'X', form: 'tablet', unit: 'tablet', packSize: 1, hsn: '3004', schedule: 'NONE', gstRateBp: 0, gstEffectiveFrom: '2025-09-22' })],
    ['pharmacist', 'adds a supplier', 'POST', () => `${P}/suppliers`, () => ({ name: 'X', gstin: gstin('29AAACM1234A1Z') })],
    ['pharmacist', 'changes a GST rate', 'POST', () => `${P}/items/${item.id}/gst-rates`, () => ({ effectiveFrom: today(), rateBp: 0 })],
    ['nurse', 'sets a reorder level', 'PUT', () => `${P}/stores/${store.id}/reorder-levels/${item.id}`, () => ({ reorderLevel: 1, reorderQuantity: 1 })],
    ['billing-clerk', 'reads the stock', 'GET', () => `${P}/stock`, () => undefined],
    ['auditor', 'reads the H1 register', 'GET', () => `${P}/h1-register?from=${today()}&to=${today()}`, () => undefined],
    ['front-desk', 'reads the items', 'GET', () => `${P}/items`, () => undefined],
  ])('role %s, which %s, gets 403 and changes nothing', async (role, _what, method, path, body) => {
    const before = await snapshot();
    const r = await h.http.send(method, path(), body(), { token: await tokenFor(role) });
    expectProblem(r, 403);
    expect(r.body.code).toBe('permission-missing');
    expect(await snapshot()).toEqual(before);
  });

  it('a pharmacist dispenses and a store manager receives goods; a nurse and a doctor may read', async () => {
    ok(await dispense(dispenseBody(), { token: await tokenFor('pharmacist') }), 201);
    ok(await h.http.post(`${P}/goods-receipts`, receiptOf(), { token: await tokenFor('store-manager') }), 201);
    ok(await h.http.get(`${P}/stock?storeId=${store.id}`, { token: await tokenFor('nurse') }), 200);
    ok(await h.http.get(`${P}/items/${item.id}`, { token: await tokenFor('doctor') }), 200);
  });

  it('refuses a request without a token, or with a token from another issuer (401)', async () => {
    expectProblem(await h.http.get(`${P}/stock`), 401);
    const stranger = await TestIdentity.start();
    const forged = await stranger.token({ branches: [{ branch: branchA, role: 'admin' }] });
    await stranger.stop();
    const before = await snapshot();
    expectProblem(await dispense(dispenseBody(), { token: forged }), 401);
    expect(await snapshot()).toEqual(before);
  });
});

describe('bad input', () => {
  let store: Store;
  let item: Item;
  beforeAll(async () => {
    ({ store, item } = await stocked(20));
  });
  const itemBody = () => ({ code: `BAD${next()}`, kind: 'drug', genericName: 'Paracetamol', form: 'tablet', unit: 'tablet', packSize: 10, hsn: '3004', schedule: 'NONE', gstRateBp: 500, gstEffectiveFrom: '2025-09-22' });
  const receiptLine = () => ({ itemId: item.id, batchNo: `BI${next()}`, expiry: FAR_EXPIRY, quantity: 5, purchaseRatePaise: 100, mrpPaise: 150 });
  const receipt = (line: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) => ({ ...receiptBody(store.id, []), lines: [{ ...receiptLine(), ...line }], ...extra });
  const disp = (line: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) => ({ storeId: store.id, supplyKind: 'otc', lines: [{ itemId: item.id, quantity: 1, ...line }], ...extra });

  type Case = [string, number, string, () => { body?: unknown; raw?: string; contentType?: string; method?: string }];
  const cases: Case[] = [
    ['malformed JSON', 400, '/dispenses', () => ({ raw: '{"storeId":' })],
    ['a JSON array', 400, '/dispenses', () => ({ raw: '[]' })],
    ['a JSON string', 400, '/items', () => ({ raw: '"PCM500"' })],
    ['no body', 400, '/dispenses', () => ({})],
    ['an unknown field', 400, '/dispenses', () => ({ body: disp({}, { discountPercent: 100 }) })],
    ['an unknown field in a line', 400, '/dispenses', () => ({ body: disp({ batchId: item.id }) })],
    ['an unknown field in the prescription', 400, '/dispenses', () => ({ body: disp({}, { prescription: { ...RX, verified: true } }) })],
    ['a quantity as a string', 400, '/dispenses', () => ({ body: disp({ quantity: '1' }) })],
    ['a fractional quantity', 400, '/dispenses', () => ({ body: disp({ quantity: 0.5 }) })],
    ['a zero quantity', 400, '/dispenses', () => ({ body: disp({ quantity: 0 }) })],
    ['a negative quantity', 400, '/dispenses', () => ({ body: disp({ quantity: -5 }) })],
    ['a huge quantity', 400, '/dispenses', () => ({ body: disp({ quantity: 1e12 }) })],
    ['a quantity beyond 2^53', 400, '/dispenses', () => ({ raw: JSON.stringify(disp()).replace('"quantity":1', '"quantity":99999999999999999999999') })],
    ['lines as a string', 400, '/dispenses', () => ({ body: { ...disp(), lines: 'all of it' } })],
    ['a null line', 400, '/dispenses', () => ({ body: { ...disp(), lines: [null] } })],
    ['no lines', 400, '/dispenses', () => ({ body: { ...disp(), lines: [] } })],
    ['101 lines', 400, '/dispenses', () => ({ body: { ...disp(), lines: Array.from({ length: 101 }, () => ({ itemId: item.id, quantity: 1 })) } })],
    ['the same item twice', 400, '/dispenses', () => ({ body: { ...disp(), lines: [{ itemId: item.id, quantity: 1 }, { itemId: item.id, quantity: 1 }] } })],
    ['an unknown supply kind', 400, '/dispenses', () => ({ body: disp({}, { supplyKind: 'wholesale' }) })],
    ['a prescription as a string', 400, '/dispenses', () => ({ body: disp({}, { prescription: 'Dr. Rao said so' }) })],
    ['an impossible prescription date', 400, '/dispenses', () => ({ body: disp({}, { prescription: { ...RX, prescribedOn: '2026-02-30' } }) })],
    ['a prescription date that is not a date', 400, '/dispenses', () => ({ body: disp({}, { prescription: { ...RX, prescribedOn: '30/01/2026' } }) })],
    ['a bad store id', 400, '/dispenses', () => ({ body: disp({}, { storeId: "1' OR '1'='1" }) })],
    ['a bad patient id', 400, '/dispenses', () => ({ body: disp({}, { patientId: 'UHID0001' }) })],
    ['a NUL in the patient name', 400, '/dispenses', () => ({ body: disp({}, { patientName: 'Anita\u0000Devi' }) })],
    ['a 201-character patient name', 400, '/dispenses', () => ({ body: disp({}, { patientName: 'a'.repeat(201) }) })],
    ['a prototype-polluting key', 400, '/dispenses', () => ({ raw: `{"__proto__":{"isAdmin":true},${JSON.stringify(disp()).slice(1)}` })],
    ['deeply nested JSON', 400, '/dispenses', () => ({ raw: `${'{"a":'.repeat(40)}1${'}'.repeat(40)}` })],
    ['an oversize body', 413, '/dispenses', () => ({ body: disp({}, { patientName: 'अ'.repeat(200_000) }) })],
    ['a form body', 415, '/dispenses', () => ({ raw: 'storeId=1', contentType: 'application/x-www-form-urlencoded' })],
    ['a bad idempotency key', 400, '/dispenses', () => ({ body: disp() })],
    ['SQL in an item code', 400, '/items', () => ({ body: { ...itemBody(), code: "X'; DROP TABLE pharmacy.items;--" } })],
    ['a script tag as a code', 400, '/items', () => ({ body: { ...itemBody(), code: '<script>' } })],
    ['an unknown item kind', 400, '/items', () => ({ body: { ...itemBody(), kind: 'device' } })],
    ['a GST rate over 28%', 400, '/items', () => ({ body: { ...itemBody(), gstRateBp: 2801 } })],
    ['a negative GST rate', 400, '/items', () => ({ body: { ...itemBody(), gstRateBp: -1 } })],
    ['a GST rate in percent with decimals', 400, '/items', () => ({ body: { ...itemBody(), gstRateBp: 12.5 } })],
    ['an impossible GST date', 400, '/items', () => ({ body: { ...itemBody(), gstEffectiveFrom: '2025-02-29' } })],
    ['a 201-character name', 400, '/items', () => ({ body: { ...itemBody(), genericName: 'x'.repeat(201) } })],
    ['an empty name', 400, '/items', () => ({ body: { ...itemBody(), genericName: '' } })],
    ['a control character in a name', 400, '/items', () => ({ body: { ...itemBody(), genericName: 'Para\u001bcetamol' } })],
    ['a GSTIN as a number', 400, '/suppliers', () => ({ body: { name: 'X', gstin: 27 } })],
    ['an over-long GSTIN', 400, '/suppliers', () => ({ body: { name: 'X', gstin: '27AAPFU0939F1ZV27AAPFU0939F1ZV' } })],
    ['a receipt quantity of ten billion', 400, '/goods-receipts', () => ({ body: receipt({ quantity: 10_000_000_000 }) })],
    ['a negative free quantity', 400, '/goods-receipts', () => ({ body: receipt({ freeQuantity: -1 }) })],
    ['a price as a string', 400, '/goods-receipts', () => ({ body: receipt({ mrpPaise: '150' }) })],
    ['a price in rupees with paise', 400, '/goods-receipts', () => ({ body: receipt({ mrpPaise: 1.5 }) })],
    ['a script tag as a batch number', 400, '/goods-receipts', () => ({ body: receipt({ batchNo: '<script>alert(1)</script>' }) })],
    ['an expiry in another format', 400, '/goods-receipts', () => ({ body: receipt({ expiry: '31/12/2029' }) })],
    ['an impossible expiry', 400, '/goods-receipts', () => ({ body: receipt({ expiry: '2029-13-01' }) })],
    ['an empty invoice number', 400, '/goods-receipts', () => ({ body: receipt({}, { invoiceNumber: '' }) })],
    ['a receipt without lines', 400, '/goods-receipts', () => ({ body: { ...receipt(), lines: [] } })],
    ['an unknown field in a receipt line', 400, '/goods-receipts', () => ({ body: receipt({ gstRateBp: 0 }) })],
    ['a negative reorder level', 400, `/stores/{store}/reorder-levels/{item}`, () => ({ method: 'PUT', body: { reorderLevel: -1, reorderQuantity: 10 } })],
    ['a reorder level as a string', 400, `/stores/{store}/reorder-levels/{item}`, () => ({ method: 'PUT', body: { reorderLevel: '5', reorderQuantity: 10 } })],
    ['a GST rate change with a bad date', 400, '/items/{item}/gst-rates', () => ({ body: { effectiveFrom: '2025-9-22', rateBp: 500 } })],
    ['a bad id in a path', 400, '/items/not-an-id/gst-rates', () => ({ body: { effectiveFrom: '2025-09-22', rateBp: 500 } })],
  ];

  it.each(cases)('%s is a %i problem+json and writes nothing', async (label, status, path, build) => {
    const input = build();
    const before = await snapshot();
    const url = P + path.replace('{store}', store.id).replace('{item}', item.id);
    const headers = label === 'a bad idempotency key' ? { 'idempotency-key': 'short' } : undefined;
    const r = await h.http.send(input.method ?? 'POST', url, input.body, { token: adminA, raw: input.raw, contentType: input.contentType, headers });
    expectProblem(r, status);
    expect(await snapshot()).toEqual(before);
  });

  it.each([
    ['a bad store id', '/stock?storeId=store-1'],
    ['a bad item id', '/stock?itemId=1%20OR%201%3D1'],
    ['a limit over 100', '/stock?limit=1000'],
    ['a negative offset', '/stock?offset=-1'],
    ['an empty search', '/items?q='],
    ['a search of 101 characters', `/items?q=${'a'.repeat(101)}`],
    ['a control character in a search', '/items?q=para%00'],
    ['a bad id in a path', '/items/42'],
  ])('a read with %s is a 400 problem+json', async (_label, path) => {
    expectProblem(await h.http.get(`${P}${path}`, { token: adminA }), 400);
  });

  it('stores hostile but valid text as plain text', async () => {
    const name = `Robert'); DROP TABLE pharmacy.items;-- <img src=x onerror=alert(1)> 💊 ‏عربي`;
    const created = await createItem(adminA, { genericName: name, brandName: '%_\\' });
    expect(created.genericName).toBe(name);
    expect((ok(await h.http.get(`${P}/items/${created.id}`, { token: adminA }), 200).body as Item).genericName).toBe(name);
    expect(await h.db.admin('SELECT 1 FROM pharmacy.items WHERE id = $1', [created.id])).toHaveLength(1);
  });
});
