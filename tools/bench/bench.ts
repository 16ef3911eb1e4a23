/**
 * `npm run bench`: benchmark figures for the platform as JSON on stdout, each beside a baseline
 * measured in the same run. Starts the gateway and services as processes on a fresh database
 * (`hms_bench_*` on DATABASE_URL's server, else the local one), seeds patients straight into
 * the patients table, then measures registration, search and event latency, and the wards
 * service: admissions (and their contention for beds), the bed board and the census, and the
 * pharmacy: a stock ledger seeded by SQL, dispensing (spread over many items, and contending for
 * one), and the stock reads. Progress and notes go to stderr. The database is dropped at the end
 * unless --keep.
 */
import '../runtime/register-paths';
import os from 'node:os';
import path from 'node:path';
import { Pool } from 'pg';
import { testServerUrl } from '@hms/platform-testing';
import { APP_NAMES, SERVICE_NAMES, provisionLogins, startPlatform, type RunningPlatform } from '../launcher/platform';
import { ensureSecretsKeyFile, readSecretsKey } from '../launcher/secrets';
import { CpuMeter } from './cpu';
import { allBranches, createBenchDatabase, dropDatabase, freePorts, settle } from './db';
import { busRoundTrip, commitToAudit } from './events';
import { BenchHttp } from './http';
import { Random } from './names';
import { parseOptions, UsageError, type BenchOptions } from './options';
import { rawInsert, registerMany, RegistrationBodies, type Caller } from './registration';
import { exactQueries, explainFuzzySearch, fuzzyQueries, rareQueries, searchOverHttp, searchOverSql, sqlSearcher, type SearchRun } from './search';
import { seedPatients } from './seed';
import { errorShare, runFigures } from './figures';
import { nullable, ratio, round } from './stats';
import { benchPharmacy } from './pharmacy';
import { benchWards } from './wards';

const root = path.resolve(__dirname, '..', '..', '..');
const ADMIN = { email: 'bench-admin@hms.test', password: 'Bench-Admin-Pass-2026!' };
const EVENT_PAUSE_MS = 50;
/** Searches for names nobody has, each way (they can be slow: kept few). */
const RARE_SEARCHES = 20;
const TARGETS = {
  fuzzySearchP95UnderMs: 50,
  registrationP99UnderMs: 50,
  eventP95UnderMs: 200,
  /** A 1,000-bed hospital's whole bed board refreshed every few seconds on many screens. */
  bedBoardP95UnderMs: 250,
  /** The census beside it: a handful of counts. */
  censusP95UnderMs: 100,
};
/** Runs with more errors than this share fail the bench (exit code 2), after printing the figures. */
const MAX_ERROR_SHARE = 0.01;

function note(line: string): void {
  process.stderr.write(`${line}\n`);
}

/** Platform output shown on the terminal: errors only (everything is in the log files). */
function showErrors(app: string, line: string): void {
  try {
    const parsed = JSON.parse(line) as { level?: string | number; msg?: string; err?: { message?: string } };
    const level = parsed.level;
    if (level === 'error' || level === 'fatal' || (typeof level === 'number' && level >= 50)) {
      note(`[${app}] ${parsed.msg ?? ''}${parsed.err?.message ? `: ${parsed.err.message}` : ''}`);
    }
  } catch {
    if (/error/i.test(line)) note(`[${app}] ${line}`);
  }
}

async function signIn(gatewayUrl: string): Promise<Caller & { branchCode: string }> {
  const http = new BenchHttp(1);
  try {
    const login = await http.request('POST', `${gatewayUrl}/api/v1/auth/login`, {}, ADMIN);
    if (login.status !== 200) throw new Error(`sign-in failed: ${login.status} ${login.body.slice(0, 300)}`);
    const token = (JSON.parse(login.body) as { accessToken: string }).accessToken;
    const me = await http.request('GET', `${gatewayUrl}/api/v1/auth/me`, { authorization: `Bearer ${token}` });
    if (me.status !== 200) throw new Error(`GET /api/v1/auth/me failed: ${me.status} ${me.body.slice(0, 300)}`);
    const who = JSON.parse(me.body) as { id: string; branches: { id: string; code: string }[] };
    const branch = who.branches[0];
    if (!branch) throw new Error('the administrator has no branch');
    return { token, userId: who.id, branchId: branch.id, branchCode: branch.code };
  } finally {
    http.close();
  }
}

function searchFigures(gateway: SearchRun, direct: SearchRun, sql: SearchRun) {
  return {
    p50Ms: nullable(gateway.latency.p50Ms),
    p95Ms: nullable(gateway.latency.p95Ms),
    p99Ms: nullable(gateway.latency.p99Ms),
    count: gateway.latency.count,
    errors: gateway.errors,
    ...(gateway.errorSamples.length ? { errorSamples: gateway.errorSamples } : {}),
    foundExpectedShare: gateway.foundShare,
    meanResults: gateway.meanResults,
    byKind: gateway.byKind,
    baselineDirectServiceP50Ms: nullable(direct.latency.p50Ms),
    baselineDirectServiceP95Ms: nullable(direct.latency.p95Ms),
    baselineSqlP50Ms: nullable(sql.latency.p50Ms),
    baselineSqlP95Ms: nullable(sql.latency.p95Ms),
    baselineErrors: direct.errors + sql.errors,
    ratio: {
      p95VsDirectService: ratio(gateway.latency.p95Ms, direct.latency.p95Ms),
      p95VsSql: ratio(gateway.latency.p95Ms, sql.latency.p95Ms),
    },
  };
}

/** EXPLAIN ANALYZE of each statement the service's fuzzy search runs for `q` (first page), to stderr. */
async function explainFuzzy(admin: Pool, branchId: string, q: string): Promise<void> {
  const plans = await explainFuzzySearch(admin, branchId, q);
  note(`EXPLAIN ANALYZE of the fuzzy search for ${JSON.stringify(q)} (${plans.length} statements${plans.length ? `: ${plans.map((p) => p.step).join(', ')}` : ''}):`);
  for (const { step, plan } of plans) {
    note(`  -- ${step}`);
    for (const line of plan) note(`  ${line}`);
  }
}

async function bench(options: BenchOptions, registerCleanup: (fn: () => Promise<void>) => void): Promise<{ report: object; failed: string[] }> {
  const phases: Record<string, number> = {};
  let phaseStarted = Date.now();
  const phase = (name: string) => {
    const now = Date.now();
    phases[name] = round((now - phaseStarted) / 1000, 1);
    phaseStarted = now;
  };

  const serverUrl = process.env.DATABASE_URL ?? (await testServerUrl());
  const database = await createBenchDatabase(serverUrl);
  note(`Database ${database.name}`);
  let platform: RunningPlatform | null = null;
  const admin = new Pool({ connectionString: database.url, max: 4, application_name: 'hms-bench' });
  admin.on('error', () => undefined);
  let cleaned: Promise<void> | null = null;
  const cleanup = () =>
    (cleaned ??= (async () => {
      note('Stopping the platform…');
      await platform?.stop().catch((e: Error) => note(`stopping the platform: ${e.message}`));
      await admin.end().catch(() => undefined);
      if (options.keep) note(`Kept database ${database.name} (${database.url.replace(/\/\/[^@/]*@/, '//')})`);
      else await dropDatabase(serverUrl, database.name).catch((e: Error) => note(`dropping ${database.name}: ${e.message}`));
    })());
  registerCleanup(cleanup);

  try {
    const [port, ...servicePorts] = await freePorts(APP_NAMES.length);
    const logDir = path.join(root, 'tmp', 'bench-logs', database.name);
    note(`Starting the platform (logs in ${path.relative(root, logDir)})…`);
    // As `npm start` runs it: each app logs in as its own role.
    const secretsKeyFile = ensureSecretsKeyFile(logDir);
    platform = await startPlatform({
      databaseUrl: database.url,
      serviceDatabaseUrls: await provisionLogins(database.url, readSecretsKey({ file: secretsKeyFile })),
      secretsKeyFile,
      port,
      ports: Object.fromEntries(SERVICE_NAMES.map((name, i) => [name, servicePorts[i]])),
      root,
      logDir,
      env: {
        HMS_ADMIN_EMAIL: ADMIN.email,
        HMS_ADMIN_PASSWORD: ADMIN.password,
        LOG_LEVEL: 'warn',
        LOGIN_RATE_LIMIT: '10000',
        ACCESS_TOKEN_TTL_SECONDS: '7200',
      },
      onOutput: showErrors,
    });
    const gatewayUrl = platform.gatewayUrl;
    const patientsUrl = platform.apps.get('patients')?.url;
    if (!patientsUrl) throw new Error('the platform has no patients service');
    const wardsUrl = platform.apps.get('wards')?.url;
    if (!wardsUrl) throw new Error('the platform has no wards service');
    const pharmacyUrl = platform.apps.get('pharmacy')?.url;
    if (!pharmacyUrl) throw new Error('the platform has no pharmacy service');
    const caller = await signIn(gatewayUrl);
    const running = platform;
    const cpu = new CpuMeter(() => new Map([...running.apps].map(([name, app]) => [name, app.child?.pid])), database.name);
    phase('platformStart');

    const [{ server_version: postgres }] = (await admin.query<{ server_version: string }>('SHOW server_version')).rows;
    const machine = { cpus: os.cpus().length, node: process.version, postgres, loadAvg1mAtStart: round(os.loadavg()[0]) };

    // Seed.
    const rng = new Random(20260101);
    note(`Seeding ${options.patients} patients into branch ${caller.branchCode}…`);
    const seeded = await seedPatients({ pool: admin, branchId: caller.branchId, prefix: caller.branchCode, userId: caller.userId }, options.patients, rng);
    note(`Seeded ${options.patients} in ${seeded.seconds.toFixed(1)} s (${Math.round(seeded.ratePerSec)}/s)`);
    phase('seed');

    // Registration: through the gateway, straight to the service, plain INSERTs.
    const C = options.concurrency;
    const R = options.registrations;
    const warmup = Math.min(R, Math.max(2 * C, 50));
    const gatewayBodies = new RegistrationBodies(rng, 8, 2, 1);
    const directBodies = new RegistrationBodies(rng, 8, 2, 2_000_000);
    await settle(admin);
    await registerMany('warm-up (gateway)', gatewayUrl, caller, gatewayBodies, warmup, C);
    await settle(admin);
    let cpuStart = cpu.snapshot();
    const viaGateway = await registerMany('register via gateway', gatewayUrl, caller, gatewayBodies, R, C);
    const gatewayCpu = cpu.perUnit(cpuStart, viaGateway.ok + viaGateway.errors);
    await settle(admin);
    await registerMany('warm-up (service)', patientsUrl, caller, directBodies, warmup, C);
    await settle(admin);
    cpuStart = cpu.snapshot();
    const direct = await registerMany('register direct', patientsUrl, caller, directBodies, R, C);
    const directCpu = cpu.perUnit(cpuStart, direct.ok + direct.errors);
    await settle(admin);
    const raw = await rawInsert(database.url, caller, rng, R, C);
    note(`bench_raw: copied ${raw.copiedRows} rows in ${raw.copySeconds.toFixed(1)} s; ${raw.clients} clients`);
    phase('registration');

    // Search: sequential, gateway vs service vs SQL, each with its own draw of queries.
    await settle(admin);
    const sqlPool = new Pool({ connectionString: database.url, max: 1, application_name: 'hms-bench-sql' });
    sqlPool.on('error', () => undefined);
    const S = options.searches;
    let search;
    try {
      const sql = sqlSearcher(sqlPool, caller.branchId);
      const warm = [...exactQueries(rng, seeded.sample, 20), ...fuzzyQueries(rng, seeded.sample, 20)];
      await searchOverHttp(gatewayUrl, caller, warm);
      await searchOverHttp(patientsUrl, caller, warm);
      await searchOverSql(sql, warm);
      await settle(admin);
      note('search: gateway…');
      let searchCpu = cpu.snapshot();
      const gwExact = await searchOverHttp(gatewayUrl, caller, exactQueries(rng, seeded.sample, S));
      const gwExactCpu = cpu.perUnit(searchCpu, S);
      searchCpu = cpu.snapshot();
      const gwFuzzy = await searchOverHttp(gatewayUrl, caller, fuzzyQueries(rng, seeded.sample, S));
      const gwFuzzyCpu = cpu.perUnit(searchCpu, S);
      await settle(admin);
      note('search: service…');
      searchCpu = cpu.snapshot();
      const svcExact = await searchOverHttp(patientsUrl, caller, exactQueries(rng, seeded.sample, S));
      const svcExactCpu = cpu.perUnit(searchCpu, S);
      searchCpu = cpu.snapshot();
      const svcFuzzy = await searchOverHttp(patientsUrl, caller, fuzzyQueries(rng, seeded.sample, S));
      const svcFuzzyCpu = cpu.perUnit(searchCpu, S);
      note('search: SQL…');
      const sqlExact = await searchOverSql(sql, exactQueries(rng, seeded.sample, S));
      const sqlFuzzy = await searchOverSql(sql, fuzzyQueries(rng, seeded.sample, S));
      // Names nobody in the register has: the fuzzy search's worst case, a few of them each way.
      note('search: rare names…');
      const rare = rareQueries(Math.max(5, Math.min(S, RARE_SEARCHES)));
      const gwRare = await searchOverHttp(gatewayUrl, caller, rare);
      await settle(admin);
      const svcRare = await searchOverHttp(patientsUrl, caller, rare);
      const sqlRare = await searchOverSql(sql, rare);
      search = {
        exact: { ...searchFigures(gwExact, svcExact, sqlExact), cpuMsPerQuery: { viaGateway: gwExactCpu, directService: svcExactCpu } },
        fuzzy: { ...searchFigures(gwFuzzy, svcFuzzy, sqlFuzzy), cpuMsPerQuery: { viaGateway: gwFuzzyCpu, directService: svcFuzzyCpu } },
        fuzzyRareNames: {
          note: 'names no seeded patient has (Thomas Jefferson, Hiroshi Tanaka, …): not part of the fuzzy figures or targets',
          ...searchFigures(gwRare, svcRare, sqlRare),
        },
        sequential: true,
        viaGateway: true,
      };
      const sample = seeded.sample[0];
      await explainFuzzy(admin, caller.branchId, 'Hina Patel');
      if (sample) await explainFuzzy(admin, caller.branchId, sample.name);
      await explainFuzzy(admin, caller.branchId, 'Thomas Jefferson');
    } finally {
      await sqlPool.end().catch(() => undefined);
    }
    phase('search');

    // Events: commit to audit entry, and the bus alone.
    await settle(admin);
    const events = await commitToAudit(gatewayUrl, caller, new RegistrationBodies(rng, 7, 4, 1), admin, options.events, EVENT_PAUSE_MS);
    await settle(admin);
    const bus = await busRoundTrip(database.url, options.events, EVENT_PAUSE_MS);
    phase('events');

    // Wards: set-up, admissions, contention, bed board and census.
    const wards = await benchWards({ admin, databaseUrl: database.url, gatewayUrl, wardsUrl, caller, options, rng, cpu, maxErrorShare: MAX_ERROR_SHARE, note });
    Object.assign(phases, wards.phases);

    // Pharmacy: the ledger seeded, dispensing (spread and contended), the stock reads.
    const pharmacy = await benchPharmacy({ admin, databaseUrl: database.url, gatewayUrl, pharmacyUrl, caller, options, rng, cpu, maxErrorShare: MAX_ERROR_SHARE, note });
    Object.assign(phases, pharmacy.phases);
    phaseStarted = Date.now();

    const [{ n: patientsInTable }] = await allBranches<{ n: string }>(admin, 'SELECT count(*) AS n FROM patients.patients');

    const registration = {
      ...runFigures(viaGateway),
      concurrency: C,
      requests: R,
      viaGateway: true,
      sequential: {
        note: 'the events phase: one registration at a time through the gateway, no queueing',
        count: events.registrationLatency.count,
        p50Ms: nullable(events.registrationLatency.p50Ms),
        p95Ms: nullable(events.registrationLatency.p95Ms),
        p99Ms: nullable(events.registrationLatency.p99Ms),
      },
      cpuMsPerRequest: { viaGateway: gatewayCpu, directService: directCpu },
      baseline: {
        rawInsertPerSec: round(raw.throughputPerSec),
        rawInsertP50Ms: nullable(raw.latency.p50Ms),
        rawInsertP99Ms: nullable(raw.latency.p99Ms),
        rawInsertClients: raw.clients,
        rawInsertErrors: raw.errors,
        directServiceThroughputPerSec: round(direct.throughputPerSec),
        directServiceP50Ms: nullable(direct.latency.p50Ms),
        directServiceP95Ms: nullable(direct.latency.p95Ms),
        directServiceP99Ms: nullable(direct.latency.p99Ms),
        directServiceErrors: direct.errors,
        ...(direct.errorSamples.length ? { directServiceErrorSamples: direct.errorSamples } : {}),
      },
      ratio: {
        throughputVsRawInsert: ratio(viaGateway.throughputPerSec, raw.throughputPerSec),
        throughputVsDirectService: ratio(viaGateway.throughputPerSec, direct.throughputPerSec),
        gatewayHopP99Overhead: ratio(viaGateway.latency.p99Ms, direct.latency.p99Ms),
        gatewayHopP99OverheadMs: nullable(round(viaGateway.latency.p99Ms - direct.latency.p99Ms)),
        gatewayHopP50OverheadMs: nullable(round(viaGateway.latency.p50Ms - direct.latency.p50Ms)),
      },
    };
    const eventFigures = {
      commitToAuditP50Ms: nullable(events.latency.p50Ms),
      commitToAuditP95Ms: nullable(events.latency.p95Ms),
      commitToAuditP99Ms: nullable(events.latency.p99Ms),
      registrations: events.registered,
      errors: events.errors,
      missingFromAudit: events.missing,
      ...(events.errorSamples.length ? { errorSamples: events.errorSamples } : {}),
      pauseBetweenMs: EVENT_PAUSE_MS,
      baseline: { busRoundTripP50Ms: nullable(bus.latency.p50Ms), busRoundTripP95Ms: nullable(bus.latency.p95Ms), busRoundTripP99Ms: nullable(bus.latency.p99Ms), lost: bus.lost },
      ratio: { p95VsBusRoundTrip: ratio(events.latency.p95Ms, bus.latency.p95Ms), p50VsBusRoundTrip: ratio(events.latency.p50Ms, bus.latency.p50Ms) },
    };
    const met = {
      fuzzySearchP95: search.fuzzy.p95Ms !== null && search.fuzzy.p95Ms < TARGETS.fuzzySearchP95UnderMs,
      registrationP99: registration.p99Ms !== null && registration.p99Ms < TARGETS.registrationP99UnderMs,
      registrationP99Sequential: registration.sequential.p99Ms !== null && registration.sequential.p99Ms < TARGETS.registrationP99UnderMs,
      eventP95: eventFigures.commitToAuditP95Ms !== null && eventFigures.commitToAuditP95Ms < TARGETS.eventP95UnderMs,
      bedBoardP95: wards.bedBoardP95Ms !== null && wards.bedBoardP95Ms < TARGETS.bedBoardP95UnderMs,
      censusP95: wards.censusP95Ms !== null && wards.censusP95Ms < TARGETS.censusP95UnderMs,
    };

    const failed: string[] = [];
    if (errorShare(viaGateway) > MAX_ERROR_SHARE) failed.push(`registration via gateway: ${viaGateway.errors} errors`);
    if (errorShare(direct) > MAX_ERROR_SHARE) failed.push(`registration direct: ${direct.errors} errors`);
    if (errorShare(raw) > MAX_ERROR_SHARE) failed.push(`raw insert: ${raw.errors} errors`);
    for (const [name, s] of Object.entries({ exact: search.exact, fuzzy: search.fuzzy })) {
      if (s.errors + s.baselineErrors > S * 3 * MAX_ERROR_SHARE) failed.push(`${name} search: ${s.errors + s.baselineErrors} errors`);
    }
    if (events.errors + events.missing > options.events * MAX_ERROR_SHARE) failed.push(`events: ${events.errors} errors, ${events.missing} missing from the audit trail`);
    if (bus.lost > 0) failed.push(`bus round trip: ${bus.lost} lost`);
    failed.push(...wards.failed);
    failed.push(...pharmacy.failed);

    phase('report');
    const report = {
      machine,
      patients: options.patients,
      patientsInTableAtEnd: Number(patientsInTable),
      seedRatePerSec: round(seeded.ratePerSec),
      seedSeconds: round(seeded.seconds, 1),
      registration,
      search,
      events: eventFigures,
      wards: wards.report,
      pharmacy: pharmacy.report,
      targets: { ...TARGETS, met },
      phasesSec: phases,
    };
    return { report, failed };
  } finally {
    await cleanup();
  }
}

async function main(): Promise<number> {
  let options: BenchOptions;
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (error) {
    if (error instanceof UsageError) {
      note(error.message);
      return 64;
    }
    throw error;
  }
  const started = Date.now();
  let cleanup: (() => Promise<void>) | null = null;
  const interrupted = (signal: NodeJS.Signals) => {
    note(`\n${signal}: cleaning up…`);
    void (cleanup ? cleanup() : Promise.resolve()).finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  const { report, failed } = await bench(options, (fn) => (cleanup = fn));
  const totalSeconds = round((Date.now() - started) / 1000, 1);
  process.stdout.write(`${JSON.stringify({ ...report, totalSeconds }, null, 2)}\n`);
  note(`Done in ${totalSeconds} s.`);
  if (failed.length) {
    note(`The bench failed: ${failed.join('; ')}`);
    return 2;
  }
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    note(`The bench failed: ${error.stack ?? error.message}`);
    process.exit(1);
  },
);
