/**
 * The pharmacy section of `npm run bench`: two stores and a supplier through the API, the item
 * master and a stock ledger of `--ledger-rows` rows seeded by SQL; dispensing at concurrency over
 * many items (through the gateway, straight to the service, plain ledger INSERTs), dispensing
 * under contention (one item running out), and the stock reads one at a time.
 */
import { Pool } from 'pg';
import type { CpuMeter } from './cpu';
import { settle } from './db';
import type { Random } from './names';
import type { BenchOptions } from './options';
import {
  checkContention,
  dispenseCall,
  executionMs,
  explain,
  getEach,
  itemsInStock,
  MOVEMENTS_SQL,
  movementParams,
  queryEach,
  rawLedgerInsert,
  setupContendedItem,
  spreadDispenses,
  STOCK_SQL,
  stockParams,
  storeBatches,
  VALUATION_SQL,
  valuationParams,
  type PagedReadRun,
} from './pharmacy-api';
import { inAllBranches, ledgerBalanceMismatches, seedPharmacy, setupStores, SUPPLIER_GSTIN } from './pharmacy-seed';
import type { Caller } from './registration';
import { errorShare, runFigures } from './figures';
import { nullable, ratio, round } from './stats';
import { callMany, sampleWaits } from './wards-api';

/** Stock reads, each way, at most. */
const MAX_STOCK_READS = 200;
/** The pharmacy service's pool (`hms-<service>` in pg_stat_activity). */
const PHARMACY_APPLICATION = 'hms-pharmacy';
const POOL_NOTE = process.env.DB_POOL_SIZE ? `DB_POOL_SIZE=${process.env.DB_POOL_SIZE}` : 'DB_POOL_SIZE, default 10';
/** Items a spread dispense draws from hold at least this many usable units in the main store. */
const MIN_UNITS_FOR_SPREAD = 60;
const STOCK_PATH = '/api/v1/pharmacy/stock';

export interface PharmacyContext {
  admin: Pool;
  databaseUrl: string;
  gatewayUrl: string;
  pharmacyUrl: string;
  caller: Caller;
  options: BenchOptions;
  rng: Random;
  cpu: CpuMeter;
  maxErrorShare: number;
  note: (line: string) => void;
}

type ReadKind = 'byItem' | 'wholeStore' | 'movements' | 'valuation';
interface ReadSet {
  gateway: PagedReadRun;
  direct: PagedReadRun;
  /** The SQL alone (the stock queries only). */
  sql: PagedReadRun | null;
  plan: string[];
}

export interface PharmacyResult {
  report: object;
  failed: string[];
  phases: Record<string, number>;
}

/** Today in India, as the service judges expiry. */
const indianToday = () => new Date(Date.now() + 5.5 * 3600_000).toISOString().slice(0, 10);

export async function benchPharmacy(ctx: PharmacyContext): Promise<PharmacyResult> {
  const { admin, caller, gatewayUrl, pharmacyUrl, options, rng, cpu, note } = ctx;
  const C = options.concurrency;
  const D = options.dispenses;
  const failed: string[] = [];
  const phases: Record<string, number> = {};
  let phaseStarted = Date.now();
  const phase = (name: string) => {
    const now = Date.now();
    phases[name] = round((now - phaseStarted) / 1000, 1);
    phaseStarted = now;
  };
  const today = indianToday();

  // Set-up: stores and supplier through the API; items, batches and the ledger by SQL.
  await settle(admin);
  const setup = await setupStores(gatewayUrl, caller);
  if (setup.errors) failed.push(`pharmacy set-up: ${setup.errors} errors (${setup.errorSamples.join('; ')})`);
  note(`pharmacy: seeding ${options.items} items and ${options.ledgerRows} ledger rows…`);
  const seed = await seedPharmacy({ pool: admin, databaseUrl: ctx.databaseUrl, branchId: caller.branchId, userId: caller.userId, today, ...setup }, options.items, options.ledgerRows, rng);
  note(
    `pharmacy: seeded in ${seed.seconds.total.toFixed(1)} s (ledger ${seed.seconds.ledger.toFixed(1)} s, ${Math.round(seed.ledgerRowsPerSec)} rows/s; ` +
      `balances ${seed.seconds.balances.toFixed(1)} s; check ${seed.seconds.check.toFixed(1)} s; VACUUM ANALYZE ${seed.seconds.vacuumAnalyze.toFixed(1)} s); ` +
      `foreign-key checks ${seed.foreignKeyChecksSkipped ? 'skipped' : 'on'}; ${seed.orphanLedgerRows} orphan rows, ${seed.balanceMismatches} balance mismatches`,
  );
  if (seed.orphanLedgerRows || seed.balanceMismatches) failed.push(`pharmacy seed: ${seed.orphanLedgerRows} orphan ledger rows, ${seed.balanceMismatches} balances not equal to the ledger`);
  phase('pharmacySeed');

  // (a) Dispensing over many items: warm-up, gateway, service, raw ledger INSERTs.
  const main = setup.mainStoreId;
  const spreadItems = await itemsInStock(admin, main, today, MIN_UNITS_FOR_SPREAD);
  if (spreadItems.length < 3) throw new Error(`pharmacy: only ${spreadItems.length} items hold ${MIN_UNITS_FOR_SPREAD} usable units in the main store (seed more with --ledger-rows)`);
  const warmCount = Math.min(D, Math.max(2 * C, 50));
  const warm = spreadDispenses(rng, main, spreadItems, warmCount, today);
  const gwCalls = spreadDispenses(rng, main, spreadItems, D, today);
  const directCalls = spreadDispenses(rng, main, spreadItems, D, today);
  await settle(admin);
  const warmRun = await callMany('warm-up dispenses (gateway)', gatewayUrl, caller, warm.calls, C);
  if (warmRun.errors) note(`pharmacy: warm-up: ${warmRun.errors} errors (${warmRun.errorSamples.join('; ')})`);
  await settle(admin);
  let cpuStart = cpu.snapshot();
  let waits = sampleWaits(admin, PHARMACY_APPLICATION);
  const viaGateway = await callMany('dispense via gateway', gatewayUrl, caller, gwCalls.calls, C);
  const gatewayCpu = cpu.perUnit(cpuStart, D);
  const gatewayWaits = await waits.stop();
  await settle(admin);
  cpuStart = cpu.snapshot();
  waits = sampleWaits(admin, PHARMACY_APPLICATION);
  const direct = await callMany('dispense direct', pharmacyUrl, caller, directCalls.calls, C);
  const directCpu = cpu.perUnit(cpuStart, D);
  const directWaits = await waits.stop();
  await settle(admin);
  const raw = await rawLedgerInsert(ctx.databaseUrl, caller, { storeId: main, pairs: await storeBatches(admin, main, 5000) }, D, C);
  note(`bench_raw_ledger: copied ${raw.copiedRows} rows in ${raw.copySeconds.toFixed(1)} s; ${raw.clients} clients`);
  for (const [name, r] of [
    ['dispense via gateway', viaGateway],
    ['dispense direct', direct],
    ['raw ledger insert', raw],
  ] as const) {
    if (errorShare(r) > ctx.maxErrorShare) failed.push(`${name}: ${r.errors} errors (${r.errorSamples.join('; ')})`);
  }
  phase('pharmacyDispense');

  // (b) Contention: D one-unit dispenses of one item holding D/2 usable units over three batches.
  const stock = Math.floor(D / 2);
  const contended = await setupContendedItem(admin, gatewayUrl, caller, { mainStoreId: main, supplierId: setup.supplierId, today }, stock);
  if (contended.errors) failed.push(`contended item set-up: ${contended.errors} errors (${contended.errorSamples.join('; ')})`);
  await settle(admin);
  const contentionCalls = Array.from({ length: D }, () => dispenseCall(rng, main, [{ itemId: contended.itemId, quantity: 1 }], today));
  const conflictCodes: Record<string, number> = {};
  cpuStart = cpu.snapshot();
  waits = sampleWaits(admin, PHARMACY_APPLICATION);
  const contention = await callMany('dispense contention', gatewayUrl, caller, contentionCalls, C, {
    expected: [201, 409],
    onOk: (_i, status, body) => {
      if (status !== 409) return;
      const code = (JSON.parse(body) as { code?: string }).code ?? 'unknown';
      conflictCodes[code] = (conflictCodes[code] ?? 0) + 1;
    },
  });
  const contentionCpu = cpu.perUnit(cpuStart, D);
  const contentionWaits = await waits.stop();
  const check = await checkContention(admin, contended);
  const dispensed = contention.byStatus['201'] ?? 0;
  const conflicts = contention.byStatus['409'] ?? 0;
  const exact = dispensed === stock && conflicts === D - stock && contention.errors === 0;
  const consistent =
    check.fefoOrder &&
    check.usableBatchesWithStock === 0 &&
    check.expiredBatchOnHand === contended.expiredUnits &&
    check.expiredBatchDispensed === 0 &&
    check.negativeBalances === 0 &&
    check.ledgerBalanceMismatches === 0 &&
    check.ledgerDispensedUnits === dispensed &&
    check.dispenseLineUnits === dispensed;
  if (!exact || !consistent) {
    failed.push(
      `dispense contention: ${dispensed} dispensed, ${conflicts} conflicts, ${contention.errors} errors (expected ${stock} and ${D - stock}); ` +
        `FEFO ${check.fefoOrder ? 'kept' : `broken (${check.fefoViolation})`}, ${check.usableBatchesWithStock} batches left with stock, expired batch ${check.expiredBatchOnHand}/${contended.expiredUnits}, ` +
        `${check.negativeBalances} negative balances, ${check.ledgerBalanceMismatches} ledger/balance mismatches, ledger ${check.ledgerDispensedUnits} and lines ${check.dispenseLineUnits} units`,
    );
  }
  if (check.reorderAlerts !== 1) note(`pharmacy: ${check.reorderAlerts} reorder alerts for the contended item (one expected: the stock crossed its level once)`);
  await settle(admin);
  phase('pharmacyContention');

  // Stock reads: sequential, gateway vs service vs SQL, each with its own draw of items.
  const S = Math.min(options.searches, MAX_STOCK_READS);
  const items = seed.itemIds;
  const randomItems = (n: number) => Array.from({ length: n }, () => rng.pick(items));
  const byItemPaths = (n: number) => randomItems(n).map((id) => `${STOCK_PATH}?storeId=${main}&itemId=${id}`);
  const storePath = `${STOCK_PATH}?storeId=${main}`;
  const movementPaths = (n: number) => randomItems(n).map((id) => `/api/v1/pharmacy/reports/movements?itemId=${id}`);
  const valuationPath = `/api/v1/pharmacy/reports/valuation?storeId=${main}`;
  const repeat = (path: string, n: number) => Array.from({ length: n }, () => path);
  const sqlPool = new Pool({ connectionString: ctx.databaseUrl, max: 1, application_name: 'hms-bench-sql' });
  sqlPool.on('error', () => undefined);
  const reads = {} as Record<ReadKind, ReadSet>;
  try {
    for (const base of [gatewayUrl, pharmacyUrl]) {
      await getEach(base, [...byItemPaths(5), ...repeat(storePath, 5), ...movementPaths(5), ...repeat(valuationPath, 5)], caller);
    }
    await queryEach(sqlPool, caller.branchId, STOCK_SQL, [stockParams(caller.branchId, main, rng.pick(items)), stockParams(caller.branchId, main, null)]);
    await settle(admin);
    const kinds: { name: ReadKind; paths: (n: number) => string[]; sql: string; sqlParams: ((n: number) => unknown[][]) | null; explainParams: unknown[] }[] = [
      {
        name: 'byItem',
        paths: byItemPaths,
        sql: STOCK_SQL,
        sqlParams: (n: number) => randomItems(n).map((id) => stockParams(caller.branchId, main, id)),
        explainParams: stockParams(caller.branchId, main, rng.pick(items)),
      },
      {
        name: 'wholeStore',
        paths: (n: number) => repeat(storePath, n),
        sql: STOCK_SQL,
        sqlParams: (n: number) => Array.from({ length: n }, () => stockParams(caller.branchId, main, null)),
        explainParams: stockParams(caller.branchId, main, null),
      },
      { name: 'movements', paths: movementPaths, sql: MOVEMENTS_SQL, sqlParams: null, explainParams: movementParams(caller.branchId, rng.pick(items)) },
      { name: 'valuation', paths: (n: number) => repeat(valuationPath, n), sql: VALUATION_SQL, sqlParams: null, explainParams: valuationParams(caller.branchId, main, today) },
    ];
    for (const k of kinds) {
      note(`pharmacy reads: ${k.name}…`);
      const gateway = await getEach(gatewayUrl, k.paths(S), caller);
      const directRead = await getEach(pharmacyUrl, k.paths(S), caller);
      const sql = k.sqlParams ? await queryEach(sqlPool, caller.branchId, k.sql, k.sqlParams(S)) : null;
      const plan = await explain(admin, caller.branchId, k.sql, k.explainParams);
      note(`EXPLAIN ANALYZE of the ${k.name} query:`);
      for (const line of plan) note(`  ${line}`);
      reads[k.name] = { gateway, direct: directRead, sql, plan };
      const errors = gateway.errors + directRead.errors + (sql?.errors ?? 0);
      if (errors > S * 3 * ctx.maxErrorShare) failed.push(`pharmacy ${k.name} reads: ${errors} errors (${[...gateway.errorSamples, ...directRead.errorSamples, ...(sql?.errorSamples ?? [])].join('; ')})`);
    }
  } finally {
    await sqlPool.end().catch(() => undefined);
  }
  phase('pharmacyStockQuery');

  const endMismatches = await ledgerBalanceMismatches(admin);
  if (endMismatches) failed.push(`pharmacy: ${endMismatches} balances not equal to their ledger sums at the end`);
  const [counts] = await inAllBranches(admin, async (c) =>
    (
      await c.query<{ ledger: number; balances: number; dispenses: number; h1: number }>(
        `SELECT (SELECT count(*) FROM pharmacy.stock_ledger)::int AS ledger, (SELECT count(*) FROM pharmacy.stock_balances)::int AS balances,
                (SELECT count(*) FROM pharmacy.dispenses)::int AS dispenses, (SELECT count(*) FROM pharmacy.h1_register)::int AS h1`,
      )
    ).rows,
  );
  phase('pharmacyCheck');

  const readFigures = (r: ReadSet) => ({
    p50Ms: nullable(r.gateway.latency.p50Ms),
    p95Ms: nullable(r.gateway.latency.p95Ms),
    p99Ms: nullable(r.gateway.latency.p99Ms),
    count: r.gateway.latency.count,
    errors: r.gateway.errors,
    ...(r.gateway.errorSamples.length ? { errorSamples: r.gateway.errorSamples } : {}),
    meanRows: r.gateway.meanRows,
    responseKB: round(r.gateway.bytes / 1024, 1),
    baselineDirectServiceP50Ms: nullable(r.direct.latency.p50Ms),
    baselineDirectServiceP95Ms: nullable(r.direct.latency.p95Ms),
    ...(r.sql ? { baselineSqlP50Ms: nullable(r.sql.latency.p50Ms), baselineSqlP95Ms: nullable(r.sql.latency.p95Ms), baselineSqlMeanRows: r.sql.meanRows } : {}),
    sqlExecutionMs: executionMs(r.plan),
    planRoot: r.plan[0]?.trim() ?? null,
    baselineErrors: r.direct.errors + (r.sql?.errors ?? 0),
    ratio: {
      p95VsDirectService: ratio(r.gateway.latency.p95Ms, r.direct.latency.p95Ms),
      ...(r.sql ? { p95VsSql: ratio(r.gateway.latency.p95Ms, r.sql.latency.p95Ms) } : {}),
      gatewayHopP50OverheadMs: nullable(round(r.gateway.latency.p50Ms - r.direct.latency.p50Ms)),
    },
  });

  const report = {
    items: seed.items,
    batches: seed.batches,
    expiredBatches: seed.expiredBatches,
    stores: 2,
    storeBatches: seed.balances,
    ledgerRowsSeeded: seed.ledgerRows,
    ledgerRowsAtEnd: counts.ledger,
    balanceRowsAtEnd: counts.balances,
    dispensesAtEnd: counts.dispenses,
    h1RegisterEntriesAtEnd: counts.h1,
    ledgerEqualsBalancesAtEnd: endMismatches === 0,
    seed: {
      seconds: round(seed.seconds.total, 1),
      ledgerSeconds: round(seed.seconds.ledger, 1),
      ledgerRowsPerSec: round(seed.ledgerRowsPerSec),
      mastersSeconds: round(seed.seconds.masters, 1),
      balancesSeconds: round(seed.seconds.balances, 1),
      checkSeconds: round(seed.seconds.check, 1),
      vacuumAnalyzeSeconds: round(seed.seconds.vacuumAnalyze, 1),
      gstRates: seed.gstRates,
      reorderLevels: seed.reorderLevels,
      foreignKeyChecksSkipped: seed.foreignKeyChecksSkipped,
      orphanLedgerRows: seed.orphanLedgerRows,
      balanceMismatches: seed.balanceMismatches,
      setupRequests: setup.requests,
      setupErrors: setup.errors,
      note:
        `stores and supplier (GSTIN ${SUPPLIER_GSTIN}) through the API; items, GST rates, batches, reorder levels and ledger by SQL: ` +
        'ledger rows as receipt/dispense pairs per (store, batch), INSERT … SELECT over generate_series in chunks of 100,000, two at once' +
        (seed.foreignKeyChecksSkipped ? ', foreign-key triggers off (session_replication_role = replica) and checked afterwards' : '') +
        '; balances as the ledger sums in one INSERT … SELECT … GROUP BY; every pharmacy table VACUUM ANALYZEd',
    },
    dispense: {
      ...runFigures(viaGateway),
      concurrency: C,
      requests: D,
      viaGateway: true,
      idempotencyKey: true,
      warmUp: warmCount,
      meanLinesPerDispense: round(gwCalls.lines / D),
      meanUnitsPerDispense: round(gwCalls.units / D),
      itemsDrawnFrom: spreadItems.length,
      cpuMsPerDispense: { viaGateway: gatewayCpu, directService: directCpu },
      pharmacyDbConnections: {
        note: `the pharmacy service's database connections (pool of ${POOL_NOTE}) sampled every 50 ms: busy, and waiting for a lock`,
        viaGateway: gatewayWaits,
        directService: directWaits,
      },
      baseline: {
        rawLedgerInsertPerSec: round(raw.throughputPerSec),
        rawLedgerInsertP50Ms: nullable(raw.latency.p50Ms),
        rawLedgerInsertP99Ms: nullable(raw.latency.p99Ms),
        rawLedgerInsertClients: raw.clients,
        rawLedgerInsertErrors: raw.errors,
        rawLedgerTableRows: raw.copiedRows,
        directServiceThroughputPerSec: round(direct.throughputPerSec),
        directServiceP50Ms: nullable(direct.latency.p50Ms),
        directServiceP95Ms: nullable(direct.latency.p95Ms),
        directServiceP99Ms: nullable(direct.latency.p99Ms),
        directServiceErrors: direct.errors,
        ...(direct.errorSamples.length ? { directServiceErrorSamples: direct.errorSamples } : {}),
      },
      ratio: {
        throughputVsRawLedgerInsert: ratio(viaGateway.throughputPerSec, raw.throughputPerSec),
        throughputVsDirectService: ratio(viaGateway.throughputPerSec, direct.throughputPerSec),
        gatewayHopP99Overhead: ratio(viaGateway.latency.p99Ms, direct.latency.p99Ms),
        gatewayHopP99OverheadMs: nullable(round(viaGateway.latency.p99Ms - direct.latency.p99Ms)),
        gatewayHopP50OverheadMs: nullable(round(viaGateway.latency.p50Ms - direct.latency.p50Ms)),
      },
      contention: {
        note: 'one-unit dispenses of one item, all at --concurrency through the gateway, until its usable stock (three batches) runs out; an expired batch of the item holds stock FEFO must not touch',
        attempts: D,
        concurrency: C,
        viaGateway: true,
        usableStock: stock,
        batches: contended.batches.length,
        dispensed,
        conflicts,
        conflictCodes,
        errors: contention.errors,
        ...(contention.errorSamples.length ? { errorSamples: contention.errorSamples } : {}),
        expected: { dispensed: stock, conflicts: D - stock },
        exact,
        fefoOrder: check.fefoOrder,
        ...(check.fefoViolation ? { fefoViolation: check.fefoViolation } : {}),
        dispensedByBatch: check.dispensedByBatch,
        usableBatchesLeftWithStock: check.usableBatchesWithStock,
        expiredBatchOnHand: check.expiredBatchOnHand,
        expiredBatchDispensed: check.expiredBatchDispensed,
        negativeBalances: check.negativeBalances,
        ledgerEqualsBalances: check.ledgerBalanceMismatches === 0,
        ledgerDispensedUnits: check.ledgerDispensedUnits,
        dispenseLineUnits: check.dispenseLineUnits,
        reorderLevel: contended.reorderLevel,
        reorderAlerts: check.reorderAlerts,
        dispensedPerSec: round(dispensed / contention.seconds),
        requestsPerSec: round((dispensed + conflicts) / contention.seconds),
        p50Ms: nullable(contention.all.p50Ms),
        p95Ms: nullable(contention.all.p95Ms),
        p99Ms: nullable(contention.all.p99Ms),
        dispensedP50Ms: nullable(contention.latencyByStatus['201']?.p50Ms ?? NaN),
        dispensedP99Ms: nullable(contention.latencyByStatus['201']?.p99Ms ?? NaN),
        conflictP50Ms: nullable(contention.latencyByStatus['409']?.p50Ms ?? NaN),
        conflictP99Ms: nullable(contention.latencyByStatus['409']?.p99Ms ?? NaN),
        seconds: round(contention.seconds, 2),
        cpuMsPerRequest: contentionCpu,
        pharmacyDbConnections: contentionWaits,
      },
    },
    stockQuery: {
      note: 'GET /api/v1/pharmacy/stock reads stock_balances (one row per store and batch), not the ledger; the movements report reads the ledger. Default page (20 rows). SQL: the service’s statement in its kind of transaction (role hms_pharmacy, branch scope)',
      sequential: true,
      viaGateway: true,
      byItem: { path: 'GET /api/v1/pharmacy/stock?storeId=&itemId= (random items, main store)', ...readFigures(reads.byItem) },
      wholeStore: { path: 'GET /api/v1/pharmacy/stock?storeId= (the main store’s first page)', ...readFigures(reads.wholeStore) },
      movements: { path: 'GET /api/v1/pharmacy/reports/movements?itemId= (random items, first page, oldest first)', ...readFigures(reads.movements) },
      valuation: { path: 'GET /api/v1/pharmacy/reports/valuation?storeId= (the main store)', ...readFigures(reads.valuation) },
    },
  };
  return { report, failed, phases };
}
