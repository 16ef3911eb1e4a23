/**
 * Requests and checks for the pharmacy section of `npm run bench`: dispense bodies, the contended
 * item and its verification (FEFO order, nothing negative, ledger equal to balances), the raw
 * ledger INSERT baseline, and the stock reads over HTTP and as SQL alone.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { Pool } from 'pg';
import { Database } from '@hms/platform-persistence';
import { BenchHttp } from './http';
import type { Random } from './names';
import { addDays, inAllBranches } from './pharmacy-seed';
import { rawInsertBaseline } from './raw-insert';
import { authHeaders, type Caller, type RawInsertResult } from './registration';
import { summarize } from './stats';
import { callMany, type Call, type ReadRun } from './wards-api';

const DISPENSE_PATH = '/api/v1/pharmacy/dispenses';
const PRESCRIBERS = [
  { prescriberName: 'Dr. Meera Rao', prescriberRegistrationNumber: 'MMC-2011-12345', prescriberAddress: '12 MG Road, Pune' },
  { prescriberName: 'Dr. Arvind Menon', prescriberRegistrationNumber: 'KMC-2008-04417', prescriberAddress: 'Ward 4, City Hospital, Pune' },
  { prescriberName: 'Dr. Farah Qureshi', prescriberRegistrationNumber: 'MMC-2015-20931', prescriberAddress: '3 FC Road, Pune' },
];
const PATIENTS = ['Anita Devi', 'Ramesh Kumar', 'Fatima Shaikh', 'Suresh Iyer', 'Kavita Joshi', 'Mohammed Iqbal', 'Lakshmi Nair', 'Gurpreet Singh'];

/** An out-patient dispense against a prescription (every schedule the seed has may go out on it; H1 lines write the register). */
export function dispenseCall(rng: Random, storeId: string, lines: readonly { itemId: string; quantity: number }[], today: string): Call {
  return {
    method: 'POST',
    path: DISPENSE_PATH,
    headers: { 'idempotency-key': `bench-dispense-${randomUUID()}` },
    body: {
      storeId,
      supplyKind: 'outpatient',
      patientName: rng.pick(PATIENTS),
      prescription: { id: `RX-${randomUUID().slice(0, 8)}`, ...rng.pick(PRESCRIBERS), prescribedOn: today },
      lines,
    },
  };
}

/**
 * `count` dispenses of 1–3 distinct items each (1–10 units a line), the items drawn at random from
 * `itemIds`: with thousands of items, two dispenses at once rarely share one (low contention).
 */
export function spreadDispenses(rng: Random, storeId: string, itemIds: readonly string[], count: number, today: string): { calls: Call[]; lines: number; units: number } {
  const calls: Call[] = [];
  let lines = 0;
  let units = 0;
  for (let i = 0; i < count; i++) {
    const n = Math.min(itemIds.length, rng.pick([1, 1, 2, 2, 3]));
    const chosen = new Set<string>();
    while (chosen.size < n) chosen.add(rng.pick(itemIds));
    const body = [...chosen].map((itemId) => ({ itemId, quantity: rng.int(1, 10) }));
    lines += body.length;
    units += body.reduce((s, l) => s + l.quantity, 0);
    calls.push(dispenseCall(rng, storeId, body, today));
  }
  return { calls, lines, units };
}

/** Seeded items with at least `minUnits` usable units in the store (what a dispense run draws from). */
export async function itemsInStock(pool: Pool, storeId: string, today: string, minUnits: number): Promise<string[]> {
  return inAllBranches(pool, async (c) => {
    const { rows } = await c.query<{ item_id: string }>(
      `SELECT item_id FROM pharmacy.stock_balances WHERE store_id = $1 AND expiry >= $2 GROUP BY item_id HAVING sum(on_hand) >= $3 ORDER BY item_id`,
      [storeId, today, minUnits],
    );
    return rows.map((r) => r.item_id);
  });
}

export interface ContendedItem {
  itemId: string;
  /** Usable units: what the contention run may dispense, exactly. */
  stock: number;
  /** The usable batches, soonest expiry first, with what was received of each. */
  batches: { batchId: string; batchNo: string; expiry: string; quantity: number }[];
  expiredBatchId: string;
  expiredUnits: number;
  reorderLevel: number;
  requests: number;
  errors: number;
  errorSamples: string[];
}

/**
 * The contended item through the API: the item (Schedule H, 5% GST), a reorder level in the main
 * store, and a goods receipt of `stock` units over three batches (named latest expiry first, so
 * neither the receipt's order nor the batch ids' order is the expiry order). Then, by SQL (the API
 * refuses to receive an expired batch), an expired batch of a few units with its ledger row and
 * balance: FEFO must never touch it.
 */
export async function setupContendedItem(
  pool: Pool,
  baseUrl: string,
  caller: Caller,
  where: { mainStoreId: string; supplierId: string; today: string },
  stock: number,
): Promise<ContendedItem> {
  const errorSamples: string[] = [];
  let requests = 0;
  let errors = 0;
  const call = async (c: Call, expected: number): Promise<string> => {
    requests++;
    let body = '';
    const run = await callMany(`contended item: ${c.path}`, baseUrl, caller, [c], 1, { expected: [expected], progress: false, onOk: (_i, _s, b) => (body = b) });
    errors += run.errors;
    errorSamples.push(...run.errorSamples);
    if (!body) throw new Error(`pharmacy: setting up the contended item failed at ${c.method} ${c.path}: ${run.errorSamples.join('; ')}`);
    return body;
  };
  const item = JSON.parse(
    await call(
      {
        method: 'POST',
        path: '/api/v1/pharmacy/items',
        body: {
          code: 'BENCH-CONTENDED',
          kind: 'drug',
          genericName: 'Amoxicillin',
          brandName: 'Benchmox',
          form: 'capsule',
          strength: '500 mg',
          unit: 'capsule',
          packSize: 10,
          hsn: '30041010',
          schedule: 'H',
          gstRateBp: 500,
          gstEffectiveFrom: '2025-09-22',
        },
      },
      201,
    ),
  ) as { id: string };
  const reorderLevel = Math.max(1, Math.floor(stock / 4));
  await call(
    { method: 'PUT', path: `/api/v1/pharmacy/stores/${where.mainStoreId}/reorder-levels/${item.id}`, body: { reorderLevel, reorderQuantity: stock } },
    200,
  );
  const first = Math.max(1, Math.floor(stock / 5));
  const second = Math.max(1, Math.floor((stock * 2) / 5));
  const plan = [
    { batchNo: 'CT-LATE', expiry: addDays(where.today, 540), quantity: stock - first - second },
    { batchNo: 'CT-SOON', expiry: addDays(where.today, 45), quantity: first },
    { batchNo: 'CT-MID', expiry: addDays(where.today, 200), quantity: second },
  ].filter((b) => b.quantity > 0);
  const receipt = JSON.parse(
    await call(
      {
        method: 'POST',
        path: '/api/v1/pharmacy/goods-receipts',
        headers: { 'idempotency-key': `bench-receipt-${randomUUID()}` },
        body: {
          storeId: where.mainStoreId,
          supplierId: where.supplierId,
          invoiceNumber: `PPD/BENCH/${randomUUID().slice(0, 8)}`,
          invoiceDate: addDays(where.today, -1),
          lines: plan.map((b) => ({ itemId: item.id, batchNo: b.batchNo, expiry: b.expiry, quantity: b.quantity, purchaseRatePaise: 620, mrpPaise: 890 })),
        },
      },
      201,
    ),
  ) as { lines: { batchId: string; batchNo: string; expiry: string; quantity: number }[] };
  const batches = receipt.lines.map((l) => ({ batchId: l.batchId, batchNo: l.batchNo, expiry: l.expiry, quantity: l.quantity })).sort((a, b) => a.expiry.localeCompare(b.expiry));

  const expiredUnits = 5;
  const expiredBatchId = await inAllBranches(pool, async (c) => {
    const { rows } = await c.query<{ id: string }>(
      `INSERT INTO pharmacy.batches (id, branch_id, item_id, batch_no, expiry, mrp_paise, purchase_rate_paise)
       VALUES (gen_random_uuid(), $1, $2, 'CT-EXPIRED', $3, 890, 620) RETURNING id`,
      [caller.branchId, item.id, addDays(where.today, -10)],
    );
    const batchId = rows[0].id;
    await c.query(
      `INSERT INTO pharmacy.stock_ledger (branch_id, store_id, item_id, batch_id, movement, quantity, reference_type, reference_id, at, actor_id)
       VALUES ($1, $2, $3, $4, 'receipt', $5, 'goods-receipt', gen_random_uuid(), now() - interval '400 days', $6)`,
      [caller.branchId, where.mainStoreId, item.id, batchId, expiredUnits, caller.userId],
    );
    await c.query(
      `INSERT INTO pharmacy.stock_balances (store_id, batch_id, branch_id, item_id, expiry, on_hand) VALUES ($1, $2, $3, $4, $5, $6)`,
      [where.mainStoreId, batchId, caller.branchId, item.id, addDays(where.today, -10), expiredUnits],
    );
    return batchId;
  });
  return { itemId: item.id, stock, batches, expiredBatchId, expiredUnits, reorderLevel, requests, errors, errorSamples: errorSamples.slice(0, 3) };
}

export interface ContentionCheck {
  /** Units dispensed per the ledger, and dispense lines and their units. */
  ledgerDispensedUnits: number;
  dispenseLines: number;
  dispenseLineUnits: number;
  /** Every dispense row in ledger order took from a batch expiring no earlier than the one before. */
  fefoOrder: boolean;
  /** The ledger order's first violation, if any. */
  fefoViolation: string | null;
  /** Usable batches left with stock (must be 0: the stock ran out). */
  usableBatchesWithStock: number;
  expiredBatchOnHand: number;
  expiredBatchDispensed: number;
  negativeBalances: number;
  /** (store, batch) pairs of the item whose balance is not its ledger sum. */
  ledgerBalanceMismatches: number;
  /** ReorderNeeded events raised for the item (the stock crossed the level once). */
  reorderAlerts: number;
  /** Dispensed units per batch, soonest expiry first. */
  dispensedByBatch: { batchNo: string; expiry: string; received: number; dispensed: number }[];
}

/** What the contention run left behind, read back from the tables. */
export async function checkContention(pool: Pool, item: ContendedItem): Promise<ContentionCheck> {
  return inAllBranches(pool, async (c) => {
    const rows = (
      await c.query<{ batch_id: string; expiry: string; quantity: number }>(
        `SELECT l.batch_id, to_char(b.expiry, 'YYYY-MM-DD') AS expiry, l.quantity FROM pharmacy.stock_ledger l JOIN pharmacy.batches b ON b.id = l.batch_id
         WHERE l.item_id = $1 AND l.movement = 'dispense' ORDER BY l.id`,
        [item.itemId],
      )
    ).rows;
    let fefoViolation: string | null = null;
    let previous = '';
    const dispensed = new Map<string, number>();
    rows.forEach((r, i) => {
      if (!fefoViolation && r.expiry < previous) fefoViolation = `ledger dispense ${i + 1} took batch expiring ${r.expiry} after one expiring ${previous}`;
      previous = r.expiry;
      dispensed.set(r.batch_id, (dispensed.get(r.batch_id) ?? 0) - r.quantity);
    });
    const [balances] = (
      await c.query<{ usable_with_stock: number; expired_on_hand: number; negative: number }>(
        `SELECT count(*) FILTER (WHERE batch_id <> $2 AND on_hand > 0)::int AS usable_with_stock,
                coalesce(sum(on_hand) FILTER (WHERE batch_id = $2), 0)::int AS expired_on_hand,
                count(*) FILTER (WHERE on_hand < 0)::int AS negative
         FROM pharmacy.stock_balances WHERE item_id = $1`,
        [item.itemId, item.expiredBatchId],
      )
    ).rows;
    const [lines] = (
      await c.query<{ n: number; units: number }>('SELECT count(*)::int AS n, coalesce(sum(quantity), 0)::int AS units FROM pharmacy.dispense_lines WHERE item_id = $1', [item.itemId])
    ).rows;
    const [mismatch] = (
      await c.query<{ n: number }>(
        `SELECT count(*)::int AS n
         FROM (SELECT store_id, batch_id, sum(quantity) AS total FROM pharmacy.stock_ledger WHERE item_id = $1 GROUP BY 1, 2) l
         FULL JOIN (SELECT store_id, batch_id, on_hand FROM pharmacy.stock_balances WHERE item_id = $1) b USING (store_id, batch_id)
         WHERE l.total IS DISTINCT FROM b.on_hand`,
        [item.itemId],
      )
    ).rows;
    const [alerts] = (
      await c.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pharmacy.outbox WHERE envelope->>'type' = 'pharmacy.stock.reorder-needed' AND envelope->'data'->>'itemId' = $1`,
        [item.itemId],
      )
    ).rows;
    return {
      ledgerDispensedUnits: [...dispensed.values()].reduce((a, b) => a + b, 0),
      dispenseLines: lines.n,
      dispenseLineUnits: lines.units,
      fefoOrder: fefoViolation === null,
      fefoViolation,
      usableBatchesWithStock: balances.usable_with_stock,
      expiredBatchOnHand: balances.expired_on_hand,
      expiredBatchDispensed: dispensed.get(item.expiredBatchId) ?? 0,
      negativeBalances: balances.negative,
      ledgerBalanceMismatches: mismatch.n,
      reorderAlerts: alerts.n,
      dispensedByBatch: item.batches.map((b) => ({ batchNo: b.batchNo, expiry: b.expiry, received: b.quantity, dispensed: dispensed.get(b.batchId) ?? 0 })),
    };
  });
}

/**
 * The database alone for a stock movement: `total` autocommitted single-row INSERTs of a dispense's
 * ledger row, from `concurrency` connections, into `public.bench_raw_ledger`, a copy of
 * `pharmacy.stock_ledger` with its indexes, checks and rows (its own id sequence; no foreign keys,
 * triggers or row-level security). Dropped afterwards.
 */
export function rawLedgerInsert(
  databaseUrl: string,
  caller: Caller,
  where: { storeId: string; pairs: readonly { itemId: string; batchId: string }[] },
  total: number,
  concurrency: number,
): Promise<RawInsertResult> {
  return rawInsertBaseline({
    databaseUrl,
    label: 'raw ledger INSERT',
    source: 'pharmacy.stock_ledger',
    scratch: 'public.bench_raw_ledger',
    serialColumn: 'id',
    total,
    concurrency,
    statement: `INSERT INTO public.bench_raw_ledger (branch_id, store_id, item_id, batch_id, movement, quantity, reference_type, reference_id, actor_id)
      VALUES ($1, $2, $3, $4, 'dispense', $5, 'dispense', $6, $7)`,
    params: (i) => {
      const pair = where.pairs[(i - 1) % where.pairs.length];
      return [caller.branchId, where.storeId, pair.itemId, pair.batchId, -(1 + (i % 10)), randomUUID(), caller.userId];
    },
  });
}

/** (item, batch) pairs of the main store for the raw INSERTs: real ids, as the service would write. */
export async function storeBatches(pool: Pool, storeId: string, limit: number): Promise<{ itemId: string; batchId: string }[]> {
  return inAllBranches(pool, async (c) => {
    const { rows } = await c.query<{ item_id: string; batch_id: string }>('SELECT item_id, batch_id FROM pharmacy.stock_balances WHERE store_id = $1 ORDER BY batch_id LIMIT $2', [storeId, limit]);
    return rows.map((r) => ({ itemId: r.item_id, batchId: r.batch_id }));
  });
}

export interface PagedReadRun extends ReadRun {
  /** Mean rows (page items, or stores for the valuation) per response. */
  meanRows: number;
}

/** GET each of `paths` one after another (latency, not load); 200 is the only good answer. */
export async function getEach(baseUrl: string, paths: readonly string[], caller: Caller): Promise<PagedReadRun> {
  const http = new BenchHttp(1);
  const samples: number[] = [];
  const errorSamples: string[] = [];
  let errors = 0;
  let lastBody = '';
  let rows = 0;
  try {
    for (const path of paths) {
      try {
        const r = await http.request('GET', `${baseUrl}${path}`, authHeaders(caller));
        if (r.status === 200) {
          samples.push(r.ms);
          lastBody = r.body;
          const parsed = JSON.parse(r.body) as { items?: unknown[]; stores?: unknown[] };
          rows += (parsed.items ?? parsed.stores ?? []).length;
        } else {
          errors++;
          if (errorSamples.length < 3) errorSamples.push(`GET ${path}: ${r.status} ${r.body.slice(0, 200)}`);
        }
      } catch (error) {
        errors++;
        if (errorSamples.length < 3) errorSamples.push(`GET ${path}: ${(error as Error).message}`);
      }
    }
  } finally {
    http.close();
  }
  return { latency: summarize(samples), errors, errorSamples, bytes: Buffer.byteLength(lastBody), lastBody, meanRows: samples.length ? Math.round((rows / samples.length) * 100) / 100 : 0 };
}

/** The query StockRepository.onHand runs (keep in step with apps/pharmacy/src/data/stock.repository.ts). */
export const STOCK_SQL = `SELECT s.store_id, st.code AS store_code, s.item_id, i.code AS item_code, i.generic_name, s.batch_id, b.batch_no,
                  to_char(s.expiry, 'YYYY-MM-DD') AS expiry, s.on_hand, b.mrp_paise, b.purchase_rate_paise
           FROM stock_balances s JOIN stores st ON st.id = s.store_id JOIN items i ON i.id = s.item_id JOIN batches b ON b.id = s.batch_id
           WHERE s.branch_id = $1 AND s.on_hand > 0 AND ($2::uuid IS NULL OR s.store_id = $2) AND ($3::uuid IS NULL OR s.item_id = $3)
           ORDER BY i.generic_name, i.id, s.expiry, b.batch_no LIMIT $4 OFFSET $5`; // the service orders so when a store is named, as the bench always does

/** The query StockReportsRepository.movements runs (keep in step with apps/pharmacy/src/data/stock-reports.repository.ts). */
export const MOVEMENTS_SQL = `SELECT l.id, l.at, l.store_id, st.code AS store_code, l.item_id, l.batch_id, b.batch_no, l.movement, l.quantity,
                l.reference_type, l.reference_id, l.reason, l.actor_id
         FROM stock_ledger l JOIN stores st ON st.id = l.store_id JOIN batches b ON b.id = l.batch_id
         WHERE l.branch_id = $1
           AND ($2::uuid IS NULL OR l.item_id = $2) AND ($3::uuid IS NULL OR l.batch_id = $3) AND ($4::uuid IS NULL OR l.store_id = $4)
           AND ($5::timestamptz IS NULL OR l.at >= $5) AND ($6::timestamptz IS NULL OR l.at < $6)
         ORDER BY l.id
         LIMIT $7 OFFSET $8`;

/** The query StockReportsService.valuation runs (same file). */
export const VALUATION_SQL = `SELECT st.id AS store_id, st.code AS store_code,
                coalesce(sum(s.on_hand), 0) AS units,
                coalesce(sum(s.on_hand::bigint * b.purchase_rate_paise), 0) AS purchase,
                coalesce(sum(s.on_hand::bigint * b.mrp_paise), 0) AS mrp,
                coalesce(sum(s.on_hand) FILTER (WHERE s.expiry < $3), 0) AS expired_units,
                coalesce(sum(s.on_hand::bigint * b.purchase_rate_paise) FILTER (WHERE s.expiry < $3), 0) AS expired_purchase,
                coalesce(sum(s.on_hand::bigint * b.mrp_paise) FILTER (WHERE s.expiry < $3), 0) AS expired_mrp
         FROM stores st
         LEFT JOIN stock_balances s ON s.store_id = st.id AND s.branch_id = $1 AND s.on_hand > 0
         LEFT JOIN batches b ON b.id = s.batch_id
         WHERE st.branch_id = $1 AND st.retired_at IS NULL AND ($2::uuid IS NULL OR st.id = $2)
         GROUP BY st.id, st.code
         ORDER BY st.code`;

/** The service's default page: 20 rows, fetched as 21 to know whether more follow. */
const PAGE_FETCH = 21;

export const stockParams = (branchId: string, storeId: string | null, itemId: string | null): unknown[] => [branchId, storeId, itemId, PAGE_FETCH, 0];
export const movementParams = (branchId: string, itemId: string): unknown[] => [branchId, itemId, null, null, null, null, PAGE_FETCH, 0];
export const valuationParams = (branchId: string, storeId: string, today: string): unknown[] => [branchId, storeId, today];

/**
 * A query alone, once per parameter list, one after another: the same statement in the same kind
 * of transaction as the service (read only, schema `pharmacy`, `SET LOCAL ROLE hms_pharmacy`, the
 * branch in `hms.branch_id` for row-level security).
 */
export async function queryEach(pool: Pool, branchId: string, sql: string, params: readonly (readonly unknown[])[]): Promise<PagedReadRun> {
  const db = new Database(pool, { schema: 'pharmacy', role: 'hms_pharmacy' });
  const samples: number[] = [];
  const errorSamples: string[] = [];
  let errors = 0;
  let rows = 0;
  for (const p of params) {
    const t0 = performance.now();
    try {
      const result = await db.transaction({ branchId }, (tx) => tx.query(sql, p), { readOnly: true });
      samples.push(performance.now() - t0);
      rows += result.length;
    } catch (error) {
      errors++;
      if (errorSamples.length < 3) errorSamples.push((error as Error).message);
    }
  }
  return { latency: summarize(samples), errors, errorSamples, bytes: 0, lastBody: '', meanRows: samples.length ? Math.round((rows / samples.length) * 100) / 100 : 0 };
}

/** EXPLAIN (ANALYZE, BUFFERS) of a query as the service runs it; the plan's lines. */
export async function explain(pool: Pool, branchId: string, sql: string, params: readonly unknown[]): Promise<string[]> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN READ ONLY');
    await client.query(`SET LOCAL search_path TO pharmacy, public; SET LOCAL ROLE hms_pharmacy; SET LOCAL hms.branch_id = '${branchId}'`);
    const { rows } = await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`, [...params]);
    return rows.map((r) => r['QUERY PLAN']);
  } finally {
    await client.query('ROLLBACK').catch(() => undefined);
    client.release();
  }
}

/** "Execution Time: 12.345 ms" from an EXPLAIN ANALYZE. */
export function executionMs(plan: readonly string[]): number | null {
  for (const line of plan) {
    const m = /Execution Time: ([\d.]+) ms/.exec(line);
    if (m) return Math.round(Number(m[1]) * 100) / 100;
  }
  return null;
}
