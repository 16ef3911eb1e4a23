import type { ServiceHarness } from '@hms/platform-service-testing';
import { TestIdentity, expectProblem, type TestBranch } from '@hms/platform-testing';
import { serviceClock, startPharmacy } from './support';

let h: ServiceHarness;
let branch: TestBranch;
let admin: string;
/** The service's clock: every date below is relative to its today. */
let clock: ReturnType<typeof serviceClock>;

beforeAll(async () => {
  h = await startPharmacy(__filename);
  clock = serviceClock(h);
  branch = TestIdentity.branch('PHA');
  admin = await h.identity.token({ branches: [{ branch, role: 'admin' }] });
});
afterAll(() => h?.stop());

let n = 0;
async function setUp(schedule = 'NONE') {
  n++;
  const store = (await h.http.post('/api/v1/pharmacy/stores', { code: `ST${n}`, name: `Store ${n}`, kind: 'pharmacy' }, { token: admin })).body;
  const item = await h.http.post(
    '/api/v1/pharmacy/items',
    { code: `IT${n}`, kind: 'drug', genericName: `Drug ${n}`, form: 'tablet', strength: '500 mg', unit: 'tablet', packSize: 10, hsn: '3004', schedule, gstRateBp: 500, gstEffectiveFrom: '2025-09-22' },
    { token: admin },
  );
  expect(item.status).toBe(201);
  return { store, item: item.body };
}

let supplierId: string;
async function supplier() {
  supplierId ??= (await h.http.post('/api/v1/pharmacy/suppliers', { name: 'Pune Pharma Distributors', gstin: '27AAPFU0939F1ZV' }, { token: admin })).body.id;
  return supplierId;
}

async function receive(storeId: string, itemId: string, lines: { batchNo: string; expiry: string; quantity: number }[]) {
  const r = await h.http.post(
    '/api/v1/pharmacy/goods-receipts',
    { storeId, supplierId: await supplier(), invoiceNumber: `INV-${Math.random().toString(36).slice(2, 10)}`, invoiceDate: clock.inDays(-1), lines: lines.map((l) => ({ itemId, ...l, purchaseRatePaise: 100, mrpPaise: 150 })) },
    { token: admin },
  );
  expect(r.status).toBe(201);
  return r.body;
}

const ledgerMatchesBalances = async () => {
  const rows = await h.db.admin<{ store_id: string; batch_id: string; on_hand: number; ledger: string | null }>(
    `SELECT b.store_id, b.batch_id, b.on_hand, (SELECT sum(quantity) FROM pharmacy.stock_ledger l WHERE l.store_id = b.store_id AND l.batch_id = b.batch_id) AS ledger
     FROM pharmacy.stock_balances b`,
  );
  for (const r of rows) expect(Number(r.ledger ?? 0)).toBe(r.on_hand);
};

describe('pharmacy', () => {
  it('refuses a GSTIN with a bad check character', async () => {
    expectProblem(await h.http.post('/api/v1/pharmacy/suppliers', { name: 'Bad', gstin: '27AAPFU0939F1ZO' }, { token: admin }), 400);
  });

  it('receives batches and dispenses first-expiry-first-out, never an expired batch', async () => {
    const { store, item } = await setUp();
    await receive(store.id, item.id, [
      { batchNo: 'LATE', expiry: clock.inDays(760), quantity: 100 },
      { batchNo: 'SOON', expiry: clock.inDays(60), quantity: 10 },
    ]);
    const d = await h.http.post('/api/v1/pharmacy/dispenses', { storeId: store.id, supplyKind: 'otc', lines: [{ itemId: item.id, quantity: 15 }] }, { token: admin });
    expect(d.status).toBe(201);
    expect(d.body.lines.map((l: { batchNo: string; quantity: number }) => [l.batchNo, l.quantity])).toEqual([
      ['SOON', 10],
      ['LATE', 5],
    ]);
    expectProblem(await h.http.post('/api/v1/pharmacy/dispenses', { storeId: store.id, supplyKind: 'otc', lines: [{ itemId: item.id, quantity: 96 }] }, { token: admin }), 409);
    await ledgerMatchesBalances();
  });

  it('refuses an expired batch at receipt', async () => {
    const { store, item } = await setUp();
    const r = await h.http.post(
      '/api/v1/pharmacy/goods-receipts',
      { storeId: store.id, supplierId: await supplier(), invoiceNumber: 'INV-EXP-1', invoiceDate: clock.inDays(-1), lines: [{ itemId: item.id, batchNo: 'OLD', expiry: clock.inDays(-670), quantity: 5, purchaseRatePaise: 100, mrpPaise: 150 }] },
      { token: admin },
    );
    expectProblem(r, 400);
  });

  it('refuses Schedule H without a prescription and writes the H1 register with an H1 supply', async () => {
    const h1 = await setUp('H1');
    await receive(h1.store.id, h1.item.id, [{ batchNo: 'H1A', expiry: clock.inDays(425), quantity: 20 }]);
    const none = await h.http.post('/api/v1/pharmacy/dispenses', { storeId: h1.store.id, supplyKind: 'otc', lines: [{ itemId: h1.item.id, quantity: 1 }] }, { token: admin });
    expectProblem(none, 422);
    const prescription = { prescriberName: 'Dr. Meera Rao', prescriberRegistrationNumber: 'MMC-12345', prescriberAddress: '12 MG Road, Pune' };
    const incomplete = await h.http.post('/api/v1/pharmacy/dispenses', { storeId: h1.store.id, supplyKind: 'outpatient', prescription, lines: [{ itemId: h1.item.id, quantity: 2 }] }, { token: admin });
    expectProblem(incomplete, 422);
    const ok = await h.http.post(
      '/api/v1/pharmacy/dispenses',
      { storeId: h1.store.id, supplyKind: 'outpatient', patientName: 'Anita Devi', prescription, lines: [{ itemId: h1.item.id, quantity: 2 }] },
      { token: admin },
    );
    expect(ok.status).toBe(201);
    const register = await h.http.get(`/api/v1/pharmacy/h1-register?from=${clock.inDays(-330)}&to=${clock.inDays(1490)}`, { token: admin });
    expect(register.body.items).toEqual([expect.objectContaining({ patientName: 'Anita Devi', prescriberName: 'Dr. Meera Rao', batchNo: 'H1A', quantity: 2 })]);
    await expect(h.db.admin('DELETE FROM pharmacy.h1_register')).rejects.toThrow(/three years/);
  });

  it('1,000 concurrent dispenses against 500 units over several batches dispense exactly 500, FEFO, never negative', async () => {
    const { store, item } = await setUp();
    await receive(store.id, item.id, [
      { batchNo: 'C1', expiry: clock.inDays(120), quantity: 100 },
      { batchNo: 'C2', expiry: clock.inDays(210), quantity: 150 },
      { batchNo: 'C3', expiry: clock.inDays(425), quantity: 250 },
    ]);
    const results = await Promise.all(
      Array.from({ length: 1000 }, () => h.http.post('/api/v1/pharmacy/dispenses', { storeId: store.id, supplyKind: 'otc', lines: [{ itemId: item.id, quantity: 1 }] }, { token: admin })),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(500);
    expect(results.filter((r) => r.status !== 201 && r.status !== 409)).toEqual([]);
    const balances = await h.db.admin<{ on_hand: number }>(`SELECT on_hand FROM pharmacy.stock_balances WHERE store_id = $1`, [store.id]);
    expect(balances.every((b) => b.on_hand === 0)).toBe(true);
    // FEFO: in commit order, batches were used up in expiry order.
    const order = await h.db.admin<{ batch_no: string }>(
      `SELECT b.batch_no FROM pharmacy.stock_ledger l JOIN pharmacy.batches b ON b.id = l.batch_id WHERE l.store_id = $1 AND l.movement = 'dispense' ORDER BY l.id`,
      [store.id],
    );
    const seq = order.map((o) => o.batch_no);
    expect(seq.slice(0, 100).every((b) => b === 'C1')).toBe(true);
    expect(seq.slice(100, 250).every((b) => b === 'C2')).toBe(true);
    expect(seq.slice(250).every((b) => b === 'C3')).toBe(true);
    await ledgerMatchesBalances();
  }, 120_000);
});

describe('record keeping', () => {
  it('keeps dispense records (and so their prescriptions) at least two years (DRUG-05)', async () => {
    const { store, item } = await setUp();
    await receive(store.id, item.id, [{ batchNo: 'K1', expiry: clock.inDays(425), quantity: 5 }]);
    const d = await h.http.post('/api/v1/pharmacy/dispenses', { storeId: store.id, supplyKind: 'otc', lines: [{ itemId: item.id, quantity: 1 }] }, { token: admin });
    expect(d.status).toBe(201);
    await expect(h.db.admin('DELETE FROM pharmacy.dispenses WHERE id = $1', [d.body.id])).rejects.toThrow(/two years/);
  });
});
