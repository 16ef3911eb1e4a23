import type { ServiceHarness } from '@hms/platform-service-testing';
import { TestIdentity, expectProblem, type TestBranch, type TestResponse } from '@hms/platform-testing';
import { addDays, serviceClock, startPharmacy } from './support';

// Issue 7, item 13: a batch is usable through its expiry date, inclusive, everywhere (receipts,
// FEFO, transfers, reports, write-offs); receipts take the expiry as printed on Indian strips
// (MM/YYYY or YYYY-MM: the last day of that month); a store sets the shelf life a batch must have
// left when it arrives. Dates are relative to the service's clock, which the tests move.
jest.setTimeout(60_000);

const P = '/api/v1/pharmacy';
let h: ServiceHarness;
let clock: ReturnType<typeof serviceClock>;
let branch: TestBranch;
let admin: string;
let supplierId: string;
let n = 0;

beforeAll(async () => {
  h = await startPharmacy(__filename);
  clock = serviceClock(h);
  branch = TestIdentity.branch('EXP');
  admin = await h.identity.token({ branches: [{ branch, role: 'admin' }] });
  supplierId = ok(await h.http.post(`${P}/suppliers`, { name: 'Pune Pharma Distributors', gstin: '27AAPFU0939F1ZV' }, { token: admin }), 201).body.id;
});
afterAll(() => h?.stop());
afterEach(() => clock.reset());

function ok(r: TestResponse, status: number): TestResponse {
  if (r.status !== status) throw new Error(`expected ${status}, got ${r.status}: ${r.text.slice(0, 400)}`);
  return r;
}

async function store(extra: Record<string, unknown> = {}): Promise<string> {
  n++;
  return ok(await h.http.post(`${P}/stores`, { code: `EX${n}`, name: `Store ${n}`, kind: 'pharmacy', ...extra }, { token: admin }), 201).body.id;
}

async function item(): Promise<string> {
  n++;
  const body = { code: `EXP${n}`, kind: 'drug', genericName: `Drug ${n}`, form: 'tablet', unit: 'tablet', packSize: 10, hsn: '3004', schedule: 'NONE', gstRateBp: 500, gstEffectiveFrom: '2025-09-22' };
  return ok(await h.http.post(`${P}/items`, body, { token: admin }), 201).body.id;
}

const receive = (storeId: string, lines: { itemId: string; batchNo: string; expiry: string; quantity: number }[]) => {
  n++;
  return h.http.post(
    `${P}/goods-receipts`,
    { storeId, supplierId, invoiceNumber: `EXP/${n}`, invoiceDate: clock.today(), lines: lines.map((l) => ({ purchaseRatePaise: 100, mrpPaise: 150, ...l })) },
    { token: admin },
  );
};

async function snapshot(): Promise<Record<string, number>> {
  const rows = await h.db.admin<{ t: string; n: string }>(
    ['goods_receipts', 'batches', 'stock_ledger', 'outbox'].map((t) => `SELECT '${t}' AS t, count(*) AS n FROM pharmacy.${t}`).join(' UNION ALL '),
  );
  return Object.fromEntries(rows.map((r) => [r.t, Number(r.n)]));
}

/** The service's time, noon in India, `days` from today. */
const noonInDays = (days: number) => new Date(`${clock.inDays(days)}T12:00:00+05:30`);

describe('a batch is usable through its expiry date (issue 7, item 13)', () => {
  it('receives a batch expiring today and refuses one that expired yesterday', async () => {
    const [s, drug] = [await store(), await item()];
    const today = ok(await receive(s, [{ itemId: drug, batchNo: 'LAST-DAY', expiry: clock.today(), quantity: 5 }]), 201);
    expect(today.body.lines).toEqual([expect.objectContaining({ batchNo: 'LAST-DAY', expiry: clock.today() })]);
    const before = await snapshot();
    const yesterday = await receive(s, [{ itemId: drug, batchNo: 'GONE', expiry: clock.inDays(-1), quantity: 5 }]);
    expectProblem(yesterday, 400);
    expect(yesterday.body.errors).toEqual([expect.objectContaining({ field: 'lines[0].expiry', message: expect.stringMatching(/has expired/) })]);
    expect(await snapshot()).toEqual(before);
  });

  it('dispenses a batch on its expiry date (first, FEFO), and not the day after; stock, reports and the write-off agree', async () => {
    const [s, drug] = [await store(), await item()];
    ok(
      await receive(s, [
        { itemId: drug, batchNo: 'ENDS-TODAY', expiry: clock.today(), quantity: 4 },
        { itemId: drug, batchNo: 'LATER', expiry: clock.inDays(200), quantity: 10 },
      ]),
      201,
    );
    const sale = ok(await h.http.post(`${P}/dispenses`, { storeId: s, supplyKind: 'otc', lines: [{ itemId: drug, quantity: 2 }] }, { token: admin }), 201);
    expect(sale.body.lines.map((l: { batchNo: string; quantity: number }) => [l.batchNo, l.quantity])).toEqual([['ENDS-TODAY', 2]]);

    const stock = async () => (ok(await h.http.get(`${P}/stock?storeId=${s}`, { token: admin }), 200).body.items as { batchNo: string; expired: boolean }[]).map((b) => [b.batchNo, b.expired]);
    const batches = async (report: string, query = '') => (ok(await h.http.get(`${P}/reports/${report}?storeId=${s}${query}`, { token: admin }), 200).body.items as { batchNo: string; daysToExpiry: number }[]).map((b) => [b.batchNo, b.daysToExpiry]);
    expect(await stock()).toEqual([
      ['ENDS-TODAY', false],
      ['LATER', false],
    ]);
    expect(await batches('near-expiry', '&days=30')).toEqual([['ENDS-TODAY', 0]]);
    expect(await batches('expired')).toEqual([]);
    const valuation = ok(await h.http.get(`${P}/reports/valuation?storeId=${s}`, { token: admin }), 200).body.stores[0];
    expect(valuation.expired.units).toBe(0);
    const none = ok(await h.http.post(`${P}/expiry-write-offs`, { storeId: s }, { token: admin }), 201);
    expect(none.body).toMatchObject({ id: null, lines: [] });

    // The day after its expiry date the batch is expired: never issued, reported, written off.
    clock.at(noonInDays(1));
    const short = await h.http.post(`${P}/dispenses`, { storeId: s, supplyKind: 'otc', lines: [{ itemId: drug, quantity: 11 }] }, { token: admin });
    expectProblem(short, 409);
    expect(short.body.available).toBe(10);
    expect(await stock()).toEqual([
      ['ENDS-TODAY', true],
      ['LATER', false],
    ]);
    expect(await batches('near-expiry', '&days=30')).toEqual([]);
    expect(await batches('expired')).toEqual([['ENDS-TODAY', -1]]);
    const writeOff = ok(await h.http.post(`${P}/expiry-write-offs`, { storeId: s }, { token: admin }), 201);
    expect(writeOff.body.lines).toEqual([expect.objectContaining({ batchNo: 'ENDS-TODAY', quantity: -2 })]);
  });

  it('transfers a named batch on its expiry date and refuses it the day after', async () => {
    const [from, to, drug] = [await store(), await store(), await item()];
    const received = ok(await receive(from, [{ itemId: drug, batchNo: 'T-LAST', expiry: clock.today(), quantity: 6 }]), 201);
    const batchId = received.body.lines[0].batchId as string;
    ok(await h.http.post(`${P}/transfers`, { fromStoreId: from, toStoreId: to, receive: true, lines: [{ itemId: drug, batchId, quantity: 3 }] }, { token: admin }), 201);
    clock.at(noonInDays(1));
    const late = await h.http.post(`${P}/transfers`, { fromStoreId: from, toStoreId: to, lines: [{ itemId: drug, batchId, quantity: 1 }] }, { token: admin });
    expectProblem(late, 422);
    expect(late.body.code).toBe('batch-expired');
  });

  it('counts a batch expiring today as usable stock for the reorder report', async () => {
    const [s, drug] = [await store(), await item()];
    ok(await h.http.put(`${P}/stores/${s}/reorder-levels/${drug}`, { reorderLevel: 5, reorderQuantity: 20 }, { token: admin }), 200);
    ok(await receive(s, [{ itemId: drug, batchNo: 'R-LAST', expiry: clock.today(), quantity: 6 }]), 201);
    expect(ok(await h.http.get(`${P}/reports/below-reorder?storeId=${s}`, { token: admin }), 200).body.items).toEqual([]);
    clock.at(noonInDays(1));
    expect(ok(await h.http.get(`${P}/reports/below-reorder?storeId=${s}`, { token: admin }), 200).body.items).toEqual([expect.objectContaining({ itemId: drug, usableOnHand: 0 })]);
  });
});

describe('expiry as printed on the strip: MM/YYYY or YYYY-MM (issue 7, item 13)', () => {
  it('takes a month and year as the last day of that month, and matches it with the full date', async () => {
    const [s, drug, other] = [await store(), await item(), await item()];
    const year = Number(clock.today().slice(0, 4)) + 2;
    const r = ok(
      await receive(s, [
        { itemId: drug, batchNo: 'STRIP-1', expiry: `02/${year}`, quantity: 5 },
        { itemId: other, batchNo: 'STRIP-2', expiry: `${year}-06`, quantity: 5 },
      ]),
      201,
    );
    const february = `${year}-02-${year % 4 === 0 ? '29' : '28'}`;
    expect(r.body.lines.map((l: { batchNo: string; expiry: string }) => [l.batchNo, l.expiry])).toEqual([
      ['STRIP-1', february],
      ['STRIP-2', `${year}-06-30`],
    ]);
    // The same batch later invoiced with the full date, or the month again, is the same batch.
    ok(await receive(s, [{ itemId: drug, batchNo: 'STRIP-1', expiry: february, quantity: 1 }]), 201);
    ok(await receive(s, [{ itemId: other, batchNo: 'STRIP-2', expiry: `06/${year}`, quantity: 1 }]), 201);
    expect((await h.db.admin<{ expiry: string }>(`SELECT to_char(expiry, 'YYYY-MM-DD') AS expiry FROM pharmacy.batches WHERE batch_no = 'STRIP-2'`))[0].expiry).toBe(`${year}-06-30`);
    const mismatch = await receive(s, [{ itemId: other, batchNo: 'STRIP-2', expiry: `07/${year}`, quantity: 1 }]);
    expectProblem(mismatch, 409);
    expect(mismatch.body.code).toBe('batch-expiry-mismatch');
  });

  it('receives this month’s strip (usable to the month’s end) and refuses last month’s', async () => {
    const [s, drug] = [await store(), await item()];
    const [year, month] = clock.today().split('-');
    ok(await receive(s, [{ itemId: drug, batchNo: 'THIS-MONTH', expiry: `${month}/${year}`, quantity: 1 }]), 201);
    const lastMonth = addDays(`${year}-${month}-01`, -1).slice(0, 7);
    expectProblem(await receive(s, [{ itemId: drug, batchNo: 'LAST-MONTH', expiry: lastMonth, quantity: 1 }]), 400);
  });

  it('refuses what is neither a date nor a month', async () => {
    const [s, drug] = [await store(), await item()];
    const year = Number(clock.today().slice(0, 4)) + 1;
    for (const expiry of [`13/${year}`, `6/${year}`, `${year}/06`, `06-${year}`, `${year}-6`, `06/0000`, 'June']) {
      const r = await receive(s, [{ itemId: drug, batchNo: 'BAD', expiry, quantity: 1 }]);
      expectProblem(r, 400);
      expect(r.body.errors).toEqual([expect.objectContaining({ field: 'lines.0.expiry' })]);
    }
  });
});

describe('a store’s minimum shelf life at receipt (issue 7, item 13)', () => {
  it('refuses a line short of it with a 422 naming the line, writing nothing; 0 takes anything not expired', async () => {
    const s = await store({ minShelfLifeDays: 90 });
    const drug = await item();
    const before = await snapshot();
    const r = await receive(s, [
      { itemId: drug, batchNo: 'LONG', expiry: clock.inDays(365), quantity: 5 },
      { itemId: drug, batchNo: 'SHORT', expiry: clock.inDays(89), quantity: 5 },
    ]);
    expectProblem(r, 422);
    expect(r.body).toMatchObject({ code: 'shelf-life-too-short', minShelfLifeDays: 90, errors: [{ field: 'lines[1].expiry', message: expect.stringMatching(/89 day\(s\).*at least 90/) }] });
    expect(await snapshot()).toEqual(before);
    ok(await receive(s, [{ itemId: drug, batchNo: 'EXACT', expiry: clock.inDays(90), quantity: 5 }]), 201);

    // Lowered to 0 on the store: a batch in its last day is taken.
    const current = ok(await h.http.get(`${P}/stores/${s}`, { token: admin }), 200);
    ok(await h.http.patch(`${P}/stores/${s}`, { minShelfLifeDays: 0 }, { token: admin, headers: { 'if-match': current.headers.get('etag') as string } }), 200);
    ok(await receive(s, [{ itemId: drug, batchNo: 'SHORT', expiry: clock.inDays(0), quantity: 5 }]), 201);
  });
});
