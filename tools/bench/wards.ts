/**
 * The wards section of `npm run bench`: masters set up through the API, admissions at
 * concurrency (through the gateway, straight to the service, plain INSERTs), a contention run
 * (many desks, few beds), and the bed board and census read one at a time.
 */
import { Pool } from 'pg';
import type { CpuMeter } from './cpu';
import { settle } from './db';
import type { Random } from './names';
import { CONTENTION_BEDS, type BenchOptions } from './options';
import type { Caller } from './registration';
import { errorShare, runFigures } from './figures';
import { nullable, ratio, round } from './stats';
import {
  admissionCalls,
  admissionIdOf,
  analyzeWards,
  boardFigures,
  boardOverSql,
  callMany,
  cleanCalls,
  dischargeCalls,
  explainBoard,
  getSequentially,
  knownPatients,
  mirrorPatients,
  openAdmissionsOn,
  PatientsForBeds,
  rawAdmissionInsert,
  sampleWaits,
  setupWards,
  shuffle,
  type CallRun,
  type ReadRun,
} from './wards-api';

export const BEDS_PER_WARD = 40;
/** Concurrency of the set-up requests (wards, rooms, beds): an administrator's script, not a load. */
const SETUP_CONCURRENCY = 8;
/** Contention: this many admissions onto this many beds at once, four desks after each bed. */
export const CONTENTION = { beds: CONTENTION_BEDS, attempts: 4 * CONTENTION_BEDS, concurrency: 50 } as const;
/** Bed board and census reads, each way, at most. */
const MAX_BOARD_READS = 200;
const BOARD_PATH = '/api/v1/wards/bed-board';
/** The wards service's pool (`hms-<service>` in pg_stat_activity). */
const WARDS_APPLICATION = 'hms-wards';
const WARDS_POOL_NOTE = process.env.DB_POOL_SIZE ? `DB_POOL_SIZE=${process.env.DB_POOL_SIZE}` : 'DB_POOL_SIZE, default 10';
const CENSUS_PATH = '/api/v1/wards/census';

export interface WardsContext {
  admin: Pool;
  databaseUrl: string;
  gatewayUrl: string;
  wardsUrl: string;
  caller: Caller;
  options: BenchOptions;
  rng: Random;
  cpu: CpuMeter;
  maxErrorShare: number;
  note: (line: string) => void;
}

function readFigures(r: ReadRun) {
  return { p50Ms: nullable(r.latency.p50Ms), p95Ms: nullable(r.latency.p95Ms), p99Ms: nullable(r.latency.p99Ms), count: r.latency.count, errors: r.errors };
}

export interface WardsResult {
  report: object;
  failed: string[];
  phases: Record<string, number>;
  /** For the targets. */
  bedBoardP95Ms: number | null;
  censusP95Ms: number | null;
}

export async function benchWards(ctx: WardsContext): Promise<WardsResult> {
  const { admin, caller, gatewayUrl, wardsUrl, options, rng, cpu, note } = ctx;
  const C = options.concurrency;
  const A = options.admissions;
  const failed: string[] = [];
  const phases: Record<string, number> = {};
  let phaseStarted = Date.now();
  const phase = (name: string) => {
    const now = Date.now();
    phases[name] = round((now - phaseStarted) / 1000, 1);
    phaseStarted = now;
  };

  // Set-up: the read model's patients, then the masters through the API.
  await settle(admin);
  const mirrored = await mirrorPatients(admin);
  note(`wards: ${mirrored.inserted} seeded patients mirrored into wards.patients in ${mirrored.seconds.toFixed(1)} s (${mirrored.known} known)`);
  note(`wards: setting up ${options.beds} beds through the API…`);
  const setup = await setupWards(gatewayUrl, caller, options.beds, BEDS_PER_WARD, SETUP_CONCURRENCY);
  note(`wards: ${setup.wards} wards, ${setup.rooms} rooms, ${setup.bedIds.length} beds in ${setup.seconds.toFixed(1)} s (${setup.requests} requests, ${setup.errors} errors)`);
  if (setup.errors) failed.push(`wards set-up: ${setup.errors} errors (${setup.errorSamples.join('; ')})`);
  if (setup.bedIds.length < A + CONTENTION.beds) throw new Error(`wards set-up made ${setup.bedIds.length} beds; ${A + CONTENTION.beds} are needed`);
  await settle(admin);
  phase('wardsSetup');

  // Beds are taken from a shuffled pool (admissions spread over the wards) and given back once discharged and cleaned.
  const free = shuffle(rng, [...setup.bedIds]);
  const take = (n: number) => free.splice(0, n);
  const warmCount = Math.min(C, free.length - A);
  const directCount = Math.min(A, free.length - A);
  const needed = warmCount + A + directCount + CONTENTION.attempts;
  // Each admission gets a patient of its own whose recorded sex fits the bed's ward (the wards
  // service refuses the others with 422 ward-gender-policy unless overridden, which the bench does not).
  // Up to `needed` of each sex: enough whichever wards the beds come from.
  const known = await knownPatients(admin, caller.branchId, needed);
  if (known.length < needed) throw new Error(`wards: ${needed} patients known to the wards service are needed, there are ${known.length} (seed more with --patients)`);
  const patients = new PatientsForBeds(known, setup.bedPolicy);
  note(`wards: patients to admit by recorded sex: ${JSON.stringify(patients.left())}`);

  const admitOnto = async (label: string, baseUrl: string, beds: string[], concurrency = C) => {
    const pairs = beds.map((bedId) => ({ bedId, patientId: patients.forBed(bedId) }));
    const ids: string[] = new Array<string>(pairs.length).fill('');
    const run = await callMany(label, baseUrl, caller, admissionCalls(rng, pairs), concurrency, { onOk: (i, _s, body) => (ids[i] = admissionIdOf(body)) });
    return { run, admissionIds: ids.filter(Boolean) };
  };
  /** Discharges the admissions, cleans their beds, and gives back the beds that came out available. */
  const release = async (label: string, admissionIds: string[], beds: string[]) => {
    const discharge = await callMany(`${label}: discharge`, gatewayUrl, caller, dischargeCalls(admissionIds), C, { expected: [200] });
    const cleaned: string[] = [];
    const clean = await callMany(`${label}: clean`, gatewayUrl, caller, cleanCalls(beds), C, { expected: [200], onOk: (i) => cleaned.push(beds[i]) });
    free.push(...cleaned);
    if (discharge.errors || clean.errors) note(`wards: ${label}: ${discharge.errors} discharge and ${clean.errors} clean errors (${[...discharge.errorSamples, ...clean.errorSamples].join('; ')})`);
    return { discharge, clean };
  };

  // Admissions: warm-up through the gateway (then released), the gateway run (kept: the board's occupants), the direct run (released).
  if (warmCount > 0) {
    const warmBeds = take(warmCount);
    const warm = await admitOnto('warm-up admissions (gateway)', gatewayUrl, warmBeds);
    await release('warm-up', warm.admissionIds, warmBeds);
  }
  await settle(admin);
  let cpuStart = cpu.snapshot();
  let waits = sampleWaits(admin, WARDS_APPLICATION);
  const viaGateway = await admitOnto('admit via gateway', gatewayUrl, take(A));
  const gatewayCpu = cpu.perUnit(cpuStart, A);
  const gatewayWaits = await waits.stop();
  await settle(admin);
  const directBeds = take(directCount);
  cpuStart = cpu.snapshot();
  waits = sampleWaits(admin, WARDS_APPLICATION);
  const direct = await admitOnto('admit direct', wardsUrl, directBeds);
  const directCpu = cpu.perUnit(cpuStart, directCount);
  const directWaits = await waits.stop();
  await settle(admin);
  const reset = await release('direct', direct.admissionIds, directBeds);
  await settle(admin);
  const raw = await rawAdmissionInsert(ctx.databaseUrl, caller, setup.bedIds, A, C);
  note(`bench_raw_admissions: copied ${raw.copiedRows} rows; ${raw.clients} clients`);
  await settle(admin);

  // Contention: 200 desks after 50 beds, four after each, all at once; each desk with a patient of
  // its own who fits the bed's ward, so the only thing that stops a desk is another one's admission.
  const contentionBeds = take(CONTENTION.beds);
  const contentionPairs = Array.from({ length: CONTENTION.attempts }, (_, i) => {
    const bedId = contentionBeds[Math.floor((i * CONTENTION.beds) / CONTENTION.attempts)];
    return { bedId, patientId: patients.forBed(bedId) };
  });
  const winners: string[] = [];
  const conflictCodes: Record<string, number> = {};
  const contention = await callMany('contention', gatewayUrl, caller, admissionCalls(rng, contentionPairs), CONTENTION.concurrency, {
    expected: [201, 409],
    onOk: (_i, status, body) => {
      if (status === 201) winners.push(admissionIdOf(body));
      else {
        const code = (JSON.parse(body) as { code?: string }).code ?? 'unknown';
        conflictCodes[code] = (conflictCodes[code] ?? 0) + 1;
      }
    },
  });
  const held = await openAdmissionsOn(admin, contentionBeds);
  const admitted = contention.byStatus['201'] ?? 0;
  const conflicts = contention.byStatus['409'] ?? 0;
  const exact = admitted === CONTENTION.beds && conflicts === CONTENTION.attempts - CONTENTION.beds && contention.errors === 0;
  const doubleBooked = held.admitted - held.beds;
  if (!exact || doubleBooked !== 0 || held.occupiedBeds !== CONTENTION.beds) {
    failed.push(`admission contention: ${admitted} admitted, ${conflicts} conflicts, ${contention.errors} errors, ${doubleBooked} beds double-booked (expected ${CONTENTION.beds} and ${CONTENTION.attempts - CONTENTION.beds})`);
  }
  await settle(admin);
  await release('contention', winners, contentionBeds);
  await settle(admin);
  await analyzeWards(admin);
  phase('wardsAdmission');

  // Bed board and census: sequential, gateway vs service vs SQL.
  const S = Math.min(options.searches, MAX_BOARD_READS);
  const sqlPool = new Pool({ connectionString: ctx.databaseUrl, max: 1, application_name: 'hms-bench-sql' });
  sqlPool.on('error', () => undefined);
  let board;
  let census;
  try {
    await getSequentially(gatewayUrl, BOARD_PATH, caller, 5);
    await getSequentially(wardsUrl, BOARD_PATH, caller, 5);
    await boardOverSql(sqlPool, caller.branchId, 5);
    await settle(admin);
    note('bed board: gateway…');
    cpuStart = cpu.snapshot();
    const gwBoard = await getSequentially(gatewayUrl, BOARD_PATH, caller, S);
    const gwBoardCpu = cpu.perUnit(cpuStart, S);
    await settle(admin);
    note('bed board: service…');
    cpuStart = cpu.snapshot();
    const svcBoard = await getSequentially(wardsUrl, BOARD_PATH, caller, S);
    const svcBoardCpu = cpu.perUnit(cpuStart, S);
    note('bed board: SQL…');
    const sqlBoard = await boardOverSql(sqlPool, caller.branchId, S);
    const plan = await explainBoard(admin, caller.branchId);
    note('EXPLAIN ANALYZE of the bed board query (whole branch):');
    for (const line of plan) note(`  ${line}`);
    const figures = boardFigures(gwBoard.lastBody || svcBoard.lastBody);
    board = {
      ...readFigures(gwBoard),
      ...(gwBoard.errorSamples.length ? { errorSamples: gwBoard.errorSamples } : {}),
      wardsInBoard: figures.wards,
      bedsInBoard: figures.beds,
      occupiedInBoard: figures.occupied,
      responseKB: round(Math.max(gwBoard.bytes, svcBoard.bytes) / 1024, 1),
      cpuMsPerRequest: { viaGateway: gwBoardCpu, directService: svcBoardCpu },
      baselineDirectServiceP50Ms: nullable(svcBoard.latency.p50Ms),
      baselineDirectServiceP95Ms: nullable(svcBoard.latency.p95Ms),
      baselineSqlP50Ms: nullable(sqlBoard.latency.p50Ms),
      baselineSqlP95Ms: nullable(sqlBoard.latency.p95Ms),
      baselineSqlRows: sqlBoard.rows,
      baselineSqlExecutionMs: executionMs(plan),
      baselineErrors: svcBoard.errors + sqlBoard.errors,
      ...(svcBoard.errorSamples.length || sqlBoard.errorSamples.length ? { baselineErrorSamples: [...svcBoard.errorSamples, ...sqlBoard.errorSamples] } : {}),
      ratio: {
        p95VsDirectService: ratio(gwBoard.latency.p95Ms, svcBoard.latency.p95Ms),
        p95VsSql: ratio(gwBoard.latency.p95Ms, sqlBoard.latency.p95Ms),
        gatewayHopP50OverheadMs: nullable(round(gwBoard.latency.p50Ms - svcBoard.latency.p50Ms)),
      },
    };
    if (gwBoard.errors + svcBoard.errors + sqlBoard.errors > S * 3 * ctx.maxErrorShare) {
      failed.push(`bed board: ${gwBoard.errors + svcBoard.errors + sqlBoard.errors} errors (${[...gwBoard.errorSamples, ...svcBoard.errorSamples, ...sqlBoard.errorSamples].join('; ')})`);
    }
    if (figures.beds !== setup.bedIds.length) failed.push(`bed board: ${figures.beds} beds in the board, ${setup.bedIds.length} set up`);

    await settle(admin);
    note('census…');
    await getSequentially(gatewayUrl, CENSUS_PATH, caller, 5);
    const gwCensus = await getSequentially(gatewayUrl, CENSUS_PATH, caller, S);
    const svcCensus = await getSequentially(wardsUrl, CENSUS_PATH, caller, S);
    const totals = gwCensus.lastBody ? (JSON.parse(gwCensus.lastBody) as { beds: number; occupied: number; occupancy: number }) : null;
    census = {
      ...readFigures(gwCensus),
      ...(gwCensus.errorSamples.length ? { errorSamples: gwCensus.errorSamples } : {}),
      beds: totals?.beds ?? null,
      occupied: totals?.occupied ?? null,
      occupancy: totals?.occupancy ?? null,
      responseKB: round(gwCensus.bytes / 1024, 1),
      baselineDirectServiceP50Ms: nullable(svcCensus.latency.p50Ms),
      baselineDirectServiceP95Ms: nullable(svcCensus.latency.p95Ms),
      baselineErrors: svcCensus.errors,
    };
    if (gwCensus.errors + svcCensus.errors > S * 2 * ctx.maxErrorShare) failed.push(`census: ${gwCensus.errors + svcCensus.errors} errors`);
  } finally {
    await sqlPool.end().catch(() => undefined);
  }
  phase('wardsBoard');

  for (const [name, r] of [
    ['admission via gateway', viaGateway.run],
    ['admission direct', direct.run],
    ['raw admission insert', raw],
  ] as const) {
    if (errorShare(r) > ctx.maxErrorShare) failed.push(`${name}: ${r.errors} errors`);
  }

  const gw = viaGateway.run;
  const svc = direct.run;
  const report = {
    beds: setup.bedIds.length,
    wards: setup.wards,
    rooms: setup.rooms,
    bedCategories: setup.categories,
    patientsKnownToWards: mirrored.known,
    setup: {
      viaGateway: true,
      seconds: round(setup.seconds, 1),
      requests: setup.requests,
      concurrency: SETUP_CONCURRENCY,
      errors: setup.errors,
      bedsPerSec: round(setup.bedIds.length / setup.seconds),
      note: `default categories, a tariff each, wards of ${BEDS_PER_WARD} beds (open or rooms of 1–2; male, female and mixed in turn), then the beds, one request each; every admission's patient fits the ward's gender policy (no overrides); seeded patients mirrored into wards.patients by SQL (${round(mirrored.seconds, 2)} s); wards tables ANALYZEd before the reads`,
    },
    admission: {
      ...runFigures(gw),
      concurrency: C,
      requests: A,
      viaGateway: true,
      idempotencyKey: true,
      warmUp: warmCount,
      cpuMsPerAdmission: { viaGateway: gatewayCpu, directService: directCpu },
      wardsDbConnections: {
        note: `the wards service's database connections (pool of ${WARDS_POOL_NOTE}) sampled every 50 ms: busy, and waiting for a lock`,
        viaGateway: gatewayWaits,
        directService: directWaits,
      },
      baseline: {
        rawInsertPerSec: round(raw.throughputPerSec),
        rawInsertP50Ms: nullable(raw.latency.p50Ms),
        rawInsertP99Ms: nullable(raw.latency.p99Ms),
        rawInsertClients: raw.clients,
        rawInsertErrors: raw.errors,
        directServiceRequests: directCount,
        directServiceThroughputPerSec: round(svc.throughputPerSec),
        directServiceP50Ms: nullable(svc.latency.p50Ms),
        directServiceP95Ms: nullable(svc.latency.p95Ms),
        directServiceP99Ms: nullable(svc.latency.p99Ms),
        directServiceErrors: svc.errors,
        ...(svc.errorSamples.length ? { directServiceErrorSamples: svc.errorSamples } : {}),
      },
      ratio: {
        throughputVsRawInsert: ratio(gw.throughputPerSec, raw.throughputPerSec),
        throughputVsDirectService: ratio(gw.throughputPerSec, svc.throughputPerSec),
        gatewayHopP99Overhead: ratio(gw.latency.p99Ms, svc.latency.p99Ms),
        gatewayHopP99OverheadMs: nullable(round(gw.latency.p99Ms - svc.latency.p99Ms)),
        gatewayHopP50OverheadMs: nullable(round(gw.latency.p50Ms - svc.latency.p50Ms)),
      },
      contention: {
        beds: CONTENTION.beds,
        attempts: CONTENTION.attempts,
        concurrency: CONTENTION.concurrency,
        viaGateway: true,
        admitted,
        conflicts,
        conflictCodes,
        errors: contention.errors,
        ...(contention.errorSamples.length ? { errorSamples: contention.errorSamples } : {}),
        expected: { admitted: CONTENTION.beds, conflicts: CONTENTION.attempts - CONTENTION.beds },
        exact,
        openAdmissionsOnTheBeds: held.admitted,
        doubleBookedBeds: doubleBooked,
        p50Ms: nullable(contention.all.p50Ms),
        p99Ms: nullable(contention.all.p99Ms),
        admittedP99Ms: nullable(contention.latencyByStatus['201']?.p99Ms ?? NaN),
        conflictP50Ms: nullable(contention.latencyByStatus['409']?.p50Ms ?? NaN),
        conflictP99Ms: nullable(contention.latencyByStatus['409']?.p99Ms ?? NaN),
        seconds: round(contention.seconds, 2),
      },
    },
    discharge: {
      note: 'the direct run’s admissions discharged through the gateway, then their beds cleaned (housekeeping), at the same concurrency',
      ...callFigures(reset.discharge),
      clean: callFigures(reset.clean),
    },
    bedBoard: { ...board, sequential: true, viaGateway: true, wholeBranch: true },
    census: { ...census, sequential: true, viaGateway: true },
  };
  return { report, failed, phases, bedBoardP95Ms: board.p95Ms, censusP95Ms: census.p95Ms };
}

function callFigures(r: CallRun) {
  return { requests: r.ok + r.errors, ...runFigures(r) };
}

/** "Execution Time: 12.345 ms" from an EXPLAIN ANALYZE. */
function executionMs(plan: readonly string[]): number | null {
  for (const line of plan) {
    const m = /Execution Time: ([\d.]+) ms/.exec(line);
    if (m) return round(Number(m[1]));
  }
  return null;
}
