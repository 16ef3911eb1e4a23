import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { Pool } from 'pg';
import { WARD_GENDER_POLICIES, type WardGenderPolicy } from '@hms/contracts-wards';
import { Database, uuidv7 } from '@hms/platform-persistence';
import { BenchHttp, runPool } from './http';
import type { Random } from './names';
import { rawInsertBaseline } from './raw-insert';
import { Progress } from './progress';
import { authHeaders, type Caller, type RawInsertResult, type RunResult } from './registration';
import { summarize, type LatencySummary } from './stats';

/** One request of a run: the path under the base URL. */
export interface Call {
  method: 'GET' | 'POST' | 'PUT';
  path: string;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface CallRun extends RunResult {
  /** Responses by HTTP status ('error' for a request that got none). */
  byStatus: Record<string, number>;
  /** Latency of the responses of each status. */
  latencyByStatus: Record<string, LatencySummary>;
  /** Latency of every response, expected or not. */
  all: LatencySummary;
}

/**
 * `calls` at `concurrency`, each timed. Statuses in `expected` count as ok (their latency is the
 * run's); any other, or no response, is an error. `onOk` sees each expected response's body.
 */
export async function callMany(
  label: string,
  baseUrl: string,
  caller: Caller,
  calls: readonly Call[],
  concurrency: number,
  options: { expected?: readonly number[]; onOk?: (i: number, status: number, body: string) => void; progress?: boolean } = {},
): Promise<CallRun> {
  const expected = options.expected ?? [201];
  const http = new BenchHttp(concurrency);
  const ok: number[] = [];
  const all: number[] = [];
  const byStatusMs = new Map<string, number[]>();
  const errorSamples: string[] = [];
  let errors = 0;
  let done = 0;
  const progress = options.progress === false ? null : new Progress(label, calls.length);
  const started = performance.now();
  try {
    await runPool(calls.length, concurrency, async (i) => {
      const call = calls[i];
      try {
        const r = await http.request(call.method, `${baseUrl}${call.path}`, { ...authHeaders(caller), ...(call.headers ?? {}) }, call.body);
        all.push(r.ms);
        const key = String(r.status);
        let list = byStatusMs.get(key);
        if (!list) byStatusMs.set(key, (list = []));
        list.push(r.ms);
        if (expected.includes(r.status)) {
          ok.push(r.ms);
          options.onOk?.(i, r.status, r.body);
        } else {
          errors++;
          if (errorSamples.length < 3) errorSamples.push(`${call.method} ${call.path}: ${r.status} ${r.body.slice(0, 200)}`);
        }
      } catch (error) {
        errors++;
        const list = byStatusMs.get('error') ?? [];
        byStatusMs.set('error', list);
        list.push(NaN);
        if (errorSamples.length < 3) errorSamples.push(`${call.method} ${call.path}: ${(error as Error).message}`);
      }
      progress?.update(++done);
    });
  } finally {
    http.close();
  }
  const seconds = (performance.now() - started) / 1000;
  const byStatus: Record<string, number> = {};
  const latencyByStatus: Record<string, LatencySummary> = {};
  for (const [status, ms] of [...byStatusMs].sort(([a], [b]) => a.localeCompare(b))) {
    byStatus[status] = ms.length;
    if (status !== 'error') latencyByStatus[status] = summarize(ms);
  }
  return { latency: summarize(ok), throughputPerSec: ok.length / seconds, ok: ok.length, errors, errorSamples, seconds, byStatus, latencyByStatus, all: summarize(all) };
}

function parseJson<T>(body: string): T {
  return JSON.parse(body) as T;
}

/** In-place Fisher–Yates shuffle with the bench's seeded generator. */
export function shuffle<T>(rng: Random, items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}

/** Per-day tariffs (paise) for the default categories; others get the general rate. */
const DAILY_RATE_PAISE: Record<string, number> = {
  GENERAL: 150_000,
  SEMI_PRIVATE: 300_000,
  PRIVATE: 500_000,
  DELUXE: 800_000,
  ICU: 1_200_000,
  CCU: 1_200_000,
  ICCU: 1_200_000,
  NICU: 1_000_000,
  HDU: 700_000,
  DAY_CARE: 100_000,
};

/** What kind of ward the k-th is (mostly general wards, some private floors, some critical care) and how many beds share a room (0: open ward). */
const WARD_MIX: readonly { category: string; speciality: string; bedsPerRoom: number }[] = [
  { category: 'GENERAL', speciality: 'General medicine', bedsPerRoom: 0 },
  { category: 'GENERAL', speciality: 'General surgery', bedsPerRoom: 0 },
  { category: 'SEMI_PRIVATE', speciality: 'General medicine', bedsPerRoom: 2 },
  { category: 'PRIVATE', speciality: 'Orthopaedics', bedsPerRoom: 1 },
  { category: 'ICU', speciality: 'Critical care', bedsPerRoom: 0 },
  { category: 'GENERAL', speciality: 'Obstetrics and gynaecology', bedsPerRoom: 0 },
  { category: 'HDU', speciality: 'Cardiology', bedsPerRoom: 0 },
  { category: 'DELUXE', speciality: 'Oncology', bedsPerRoom: 1 },
  { category: 'GENERAL', speciality: 'Paediatrics', bedsPerRoom: 0 },
  { category: 'CCU', speciality: 'Cardiology', bedsPerRoom: 0 },
];

export interface WardsSetup {
  bedIds: string[];
  /** Each bed's ward's gender policy (who may be admitted to it without an override). */
  bedPolicy: Map<string, WardGenderPolicy>;
  categories: number;
  tariffs: number;
  wards: number;
  rooms: number;
  requests: number;
  errors: number;
  errorSamples: string[];
  seconds: number;
}

/**
 * The masters through the API as an administrator would set them up: the default bed
 * categories, a tariff for each (in force since a month ago), wards of `bedsPerWard` beds (open
 * wards, or rooms of one or two beds), then the beds; each step at `concurrency`.
 */
export async function setupWards(baseUrl: string, caller: Caller, beds: number, bedsPerWard: number, concurrency: number): Promise<WardsSetup> {
  const started = performance.now();
  let requests = 0;
  let errors = 0;
  const errorSamples: string[] = [];
  const step = async (label: string, calls: Call[], expected: readonly number[], onOk?: (i: number, status: number, body: string) => void) => {
    const run = await callMany(label, baseUrl, caller, calls, concurrency, { expected, onOk });
    requests += calls.length;
    errors += run.errors;
    for (const s of run.errorSamples) if (errorSamples.length < 3) errorSamples.push(s);
    return run;
  };

  const categoryIds = new Map<string, string>();
  await step('bed categories', [{ method: 'POST', path: '/api/v1/wards/bed-categories/defaults' }], [200], (_i, _s, body) => {
    for (const c of parseJson<{ items: { id: string; code: string }[] }>(body).items) categoryIds.set(c.code, c.id);
  });
  if (!categoryIds.size) throw new Error(`wards setup: no bed categories (${errorSamples.join('; ')})`);
  const effectiveFrom = new Date(Date.now() - 30 * 86_400_000).toISOString().slice(0, 10);
  await step(
    'tariffs',
    [...categoryIds].map(([code, id]) => ({
      method: 'POST' as const,
      path: `/api/v1/wards/bed-categories/${id}/tariffs`,
      body: { effectiveFrom, dailyRatePaise: DAILY_RATE_PAISE[code] ?? DAILY_RATE_PAISE.GENERAL },
    })),
    [201],
  );

  const wardCount = Math.ceil(beds / bedsPerWard);
  const plans = Array.from({ length: wardCount }, (_, k) => {
    const mix = WARD_MIX[k % WARD_MIX.length];
    const categoryId = categoryIds.get(mix.category) ?? categoryIds.get('GENERAL');
    if (!categoryId) throw new Error(`wards setup: no ${mix.category} category`);
    return {
      code: `W${String(k + 1).padStart(3, '0')}`,
      beds: Math.min(bedsPerWard, beds - k * bedsPerWard),
      categoryId,
      bedsPerRoom: mix.bedsPerRoom,
      speciality: mix.speciality,
      genderPolicy: WARD_GENDER_POLICIES[k % WARD_GENDER_POLICIES.length],
      id: '',
      roomIds: [] as string[],
    };
  });
  await step(
    'wards',
    plans.map((p, k) => ({
      method: 'POST' as const,
      path: '/api/v1/wards/wards',
      body: { code: p.code, name: `${p.speciality} ${p.code}`, floor: String(1 + Math.floor(k / 4)), genderPolicy: p.genderPolicy, speciality: p.speciality },
    })),
    [201],
    (i, _s, body) => (plans[i].id = parseJson<{ id: string }>(body).id),
  );
  const roomCalls: { plan: (typeof plans)[number]; call: Call }[] = [];
  for (const p of plans) {
    if (!p.id || !p.bedsPerRoom) continue;
    for (let r = 0; r < Math.ceil(p.beds / p.bedsPerRoom); r++) {
      roomCalls.push({ plan: p, call: { method: 'POST', path: `/api/v1/wards/wards/${p.id}/rooms`, body: { code: `R${String(r + 1).padStart(2, '0')}` } } });
    }
  }
  const roomIds: string[] = new Array<string>(roomCalls.length).fill('');
  await step(
    'rooms',
    roomCalls.map((r) => r.call),
    [201],
    (i, _s, body) => (roomIds[i] = parseJson<{ id: string }>(body).id),
  );
  roomCalls.forEach((r, i) => r.plan.roomIds.push(roomIds[i]));

  const bedCalls: Call[] = [];
  const bedCallPolicies: WardGenderPolicy[] = [];
  for (const p of plans) {
    if (!p.id) continue;
    for (let b = 0; b < p.beds; b++) {
      bedCallPolicies.push(p.genderPolicy);
      const roomId = p.bedsPerRoom ? p.roomIds[Math.floor(b / p.bedsPerRoom)] : undefined;
      bedCalls.push({
        method: 'POST',
        path: '/api/v1/wards/beds',
        body: { wardId: p.id, code: `B${String(b + 1).padStart(2, '0')}`, categoryId: p.categoryId, ...(roomId ? { roomId } : {}) },
      });
    }
  }
  const bedIds: string[] = [];
  const bedPolicy = new Map<string, WardGenderPolicy>();
  await step('beds', bedCalls, [201], (i, _s, body) => {
    const id = parseJson<{ id: string }>(body).id;
    bedIds.push(id);
    bedPolicy.set(id, bedCallPolicies[i]);
  });
  return {
    bedIds,
    bedPolicy,
    categories: categoryIds.size,
    tariffs: categoryIds.size,
    wards: plans.filter((p) => p.id).length,
    rooms: roomIds.filter(Boolean).length,
    requests,
    errors,
    errorSamples,
    seconds: (performance.now() - started) / 1000,
  };
}

/**
 * The patients the wards service knows, as its read model would hold them had the seeded
 * patients been registered through the API: a `wards.patients` row for every patient of the
 * patients table it lacks (patients registered through the API arrive by their events).
 */
export async function mirrorPatients(pool: Pool): Promise<{ inserted: number; known: number; seconds: number }> {
  const started = performance.now();
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query("SET LOCAL hms.all_branches = 'on'");
    const inserted = await client.query(
      `INSERT INTO wards.patients (patient_id, branch_id, uhid, name, sex, date_of_birth, status, merged_into, version, updated_at)
       SELECT id, branch_id, uhid, name, sex, date_of_birth, status, merged_into, version, now() FROM patients.patients
       ON CONFLICT (patient_id) DO NOTHING`,
    );
    const [{ n }] = (await client.query<{ n: string }>('SELECT count(*) AS n FROM wards.patients')).rows;
    await client.query('COMMIT');
    await client.query('ANALYZE wards.patients');
    return { inserted: inserted.rowCount ?? 0, known: Number(n), seconds: (performance.now() - started) / 1000 };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/** A patient the wards service knows, with the sex its read model records (M, F, O or U). */
export interface KnownPatient {
  patientId: string;
  sex: string;
}

/**
 * Up to `perSex` distinct active patients the wards service knows in the branch of each recorded
 * sex, in random order, each with its sex (so a bed can be given a patient its ward takes).
 */
export async function knownPatients(pool: Pool, branchId: string, perSex: number): Promise<KnownPatient[]> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query("SET LOCAL hms.all_branches = 'on'");
    const { rows } = await client.query<{ patient_id: string; sex: string }>(
      `SELECT patient_id, sex FROM (
         SELECT patient_id, sex, row_number() OVER (PARTITION BY sex ORDER BY random()) AS n
         FROM wards.patients WHERE branch_id = $1 AND status = 'active') p
       WHERE n <= $2 ORDER BY random()`,
      [branchId, perSex],
    );
    await client.query('COMMIT');
    return rows.map((r) => ({ patientId: r.patient_id, sex: r.sex }));
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/** The recorded sex a ward of this policy takes without an override (apps/wards/src/domain/gender-policy.ts), or null for any. */
const SEX_OF_POLICY: Record<WardGenderPolicy, string | null> = { male: 'M', female: 'F', mixed: null };

/**
 * Hands out known patients, each once, to beds by their ward's gender policy: a male ward gets a
 * patient recorded M, a female ward one recorded F, a mixed ward anyone (from whichever sex has
 * the most left). So no admission is refused for the gender policy and none needs an override.
 */
export class PatientsForBeds {
  private readonly bySex = new Map<string, string[]>();

  constructor(
    patients: readonly KnownPatient[],
    private readonly bedPolicy: ReadonlyMap<string, WardGenderPolicy>,
  ) {
    for (const p of patients) {
      let list = this.bySex.get(p.sex);
      if (!list) this.bySex.set(p.sex, (list = []));
      list.push(p.patientId);
    }
  }

  /** How many are left of each recorded sex. */
  left(): Record<string, number> {
    return Object.fromEntries([...this.bySex].map(([sex, ids]) => [sex, ids.length]));
  }

  /** A patient not handed out before whose recorded sex fits the bed's ward. */
  forBed(bedId: string): string {
    const policy = this.bedPolicy.get(bedId);
    if (!policy) throw new Error(`wards: bed ${bedId} was not made by the set-up (no ward policy known)`);
    const sex = SEX_OF_POLICY[policy] ?? [...this.bySex].sort((a, b) => b[1].length - a[1].length)[0]?.[0];
    const id = sex === undefined ? undefined : this.bySex.get(sex)?.pop();
    if (!id) {
      throw new Error(`wards: no patient recorded ${sex ?? 'of any sex'} is left for a bed of a ${policy} ward (left: ${JSON.stringify(this.left())}; seed more with --patients)`);
    }
    return id;
  }
}

const DOCTORS = ['Dr. Meera Rao', 'Dr. Arvind Menon', 'Dr. Farah Qureshi', 'Dr. Sunil Deshpande', 'Dr. Kavita Iyer', 'Dr. Harpreet Gill'];
const REASONS = ['Community-acquired pneumonia', 'Acute gastroenteritis with dehydration', 'Dengue fever with thrombocytopenia', 'Elective knee replacement', 'Chest pain for evaluation', 'Uncontrolled diabetes'];

/** POST /api/v1/wards/admissions for each patient onto its bed, with an Idempotency-Key as a desk's client sends. */
export function admissionCalls(rng: Random, pairs: readonly { patientId: string; bedId: string }[]): Call[] {
  return pairs.map((p, i) => ({
    method: 'POST',
    path: '/api/v1/wards/admissions',
    headers: { 'idempotency-key': `bench-admit-${randomUUID()}` },
    body: {
      patientId: p.patientId,
      bedId: p.bedId,
      admittingDoctor: { id: `DOC${1 + (i % DOCTORS.length)}`, name: rng.pick(DOCTORS) },
      department: 'General medicine',
      reason: rng.pick(REASONS),
      admissionType: rng.chance(0.3) ? 'elective' : 'emergency',
      expectedStayDays: rng.int(1, 7),
    },
  }));
}

export const admissionIdOf = (body: string): string => parseJson<{ id: string }>(body).id;

export function dischargeCalls(admissionIds: readonly string[]): Call[] {
  return admissionIds.map((id) => ({ method: 'POST', path: `/api/v1/wards/admissions/${id}/discharge`, body: { dischargeType: 'normal' } }));
}

export function cleanCalls(bedIds: readonly string[]): Call[] {
  return bedIds.map((id) => ({ method: 'POST', path: `/api/v1/wards/beds/${id}/clean` }));
}

/** Admissions still open on each of `bedIds` (more than one on a bed would be a double booking). */
export async function openAdmissionsOn(pool: Pool, bedIds: readonly string[]): Promise<{ admitted: number; beds: number; occupiedBeds: number }> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query("SET LOCAL hms.all_branches = 'on'");
    const [a] = (
      await client.query<{ admitted: number; beds: number }>(
        `SELECT count(*)::int AS admitted, count(DISTINCT bed_id)::int AS beds FROM wards.admissions WHERE status = 'admitted' AND bed_id = ANY($1::uuid[])`,
        [bedIds],
      )
    ).rows;
    const [b] = (await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM wards.beds WHERE state = 'occupied' AND id = ANY($1::uuid[])`, [bedIds])).rows;
    await client.query('COMMIT');
    return { admitted: a.admitted, beds: a.beds, occupiedBeds: b.n };
  } finally {
    client.release();
  }
}

/**
 * The database alone for admissions: `total` autocommitted single-row INSERTs of the service's
 * admission row, from `concurrency` connections, into `public.bench_raw_admissions`, a copy of
 * `wards.admissions` with its indexes, checks and rows (no foreign keys, no row-level security).
 */
export function rawAdmissionInsert(databaseUrl: string, caller: Caller, bedIds: readonly string[], total: number, concurrency: number): Promise<RawInsertResult> {
  return rawInsertBaseline({
    databaseUrl,
    label: 'raw admission INSERT',
    source: 'wards.admissions',
    scratch: 'public.bench_raw_admissions',
    total,
    concurrency,
    statement: `INSERT INTO public.bench_raw_admissions (id, branch_id, ip_number, patient_id, status, admission_type, admitted_at, admitting_doctor_id,
        admitting_doctor_name, department, reason, expected_discharge_at, deposit_reference, bed_id, created_by)
      VALUES ($1, $2, $3, $4, 'admitted', $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
    params: (i) => {
      const now = new Date();
      return [
        uuidv7(),
        caller.branchId,
        `RAW/${String(i).padStart(6, '0')}`,
        uuidv7(),
        i % 3 ? 'emergency' : 'elective',
        now,
        `DOC${1 + (i % 6)}`,
        DOCTORS[i % DOCTORS.length],
        'General medicine',
        REASONS[i % REASONS.length],
        new Date(now.getTime() + 4 * 86_400_000),
        null,
        bedIds[i % bedIds.length] ?? null,
        caller.userId,
      ];
    },
  });
}

export interface ReadRun {
  latency: LatencySummary;
  errors: number;
  errorSamples: string[];
  /** Size of the last good response body, bytes. */
  bytes: number;
  /** The last good response's body (for its figures). */
  lastBody: string;
}

/** `count` sequential GETs of `path` (latency, not load). */
export async function getSequentially(baseUrl: string, path: string, caller: Caller, count: number): Promise<ReadRun> {
  const http = new BenchHttp(1);
  const samples: number[] = [];
  const errorSamples: string[] = [];
  let errors = 0;
  let lastBody = '';
  try {
    for (let i = 0; i < count; i++) {
      try {
        const r = await http.request('GET', `${baseUrl}${path}`, authHeaders(caller));
        if (r.status === 200) {
          samples.push(r.ms);
          lastBody = r.body;
        } else {
          errors++;
          if (errorSamples.length < 3) errorSamples.push(`${r.status} ${r.body.slice(0, 200)}`);
        }
      } catch (error) {
        errors++;
        if (errorSamples.length < 3) errorSamples.push((error as Error).message);
      }
    }
  } finally {
    http.close();
  }
  return { latency: summarize(samples), errors, errorSamples, bytes: Buffer.byteLength(lastBody), lastBody };
}

/** The bed board's figures from its JSON: wards, beds, occupied beds, patients named. */
export function boardFigures(body: string): { wards: number; beds: number; occupied: number; withPatient: number } {
  if (!body) return { wards: 0, beds: 0, occupied: 0, withPatient: 0 };
  const board = parseJson<{ wards: { beds: { state: string; admission: { patientId: string | null } | null }[] }[] }>(body);
  let beds = 0;
  let occupied = 0;
  let withPatient = 0;
  for (const w of board.wards) {
    beds += w.beds.length;
    for (const b of w.beds) {
      if (b.state === 'occupied') occupied++;
      if (b.admission?.patientId) withPatient++;
    }
  }
  return { wards: board.wards.length, beds, occupied, withPatient };
}

/** The query BedBoardRepository.board runs (keep in step with apps/wards/src/data/bed-board.repository.ts). */
export const BOARD_SQL = `SELECT w.id AS ward_id, w.code AS ward_code, w.name AS ward_name, w.floor,
                  b.id AS bed_id, b.code AS bed_code, r.code AS room_code, c.code AS category_code, c.is_critical_care,
                  b.state, b.state_since AS since, b.reserved_for_patient_id,
                  a.id AS admission_id, a.ip_number, a.expected_discharge_at, a.patient_id, p.uhid, p.name AS patient_name
           FROM beds b
           JOIN wards w ON w.id = b.ward_id
           JOIN bed_categories c ON c.id = b.category_id
           LEFT JOIN rooms r ON r.id = b.room_id
           LEFT JOIN admissions a ON a.id = b.admission_id
           LEFT JOIN LATERAL (SELECT uhid, name FROM patients p WHERE p.patient_id = a.patient_id OFFSET 0) p ON true
           WHERE b.branch_id = $1 AND b.retired_at IS NULL AND ($2::uuid IS NULL OR b.ward_id = $2)
           ORDER BY w.code, r.code NULLS FIRST, b.code`;

/**
 * The bed board's SQL alone, `count` times one after another: the same statement in the same
 * kind of transaction as the service (read only, schema `wards`, `SET LOCAL ROLE hms_wards`,
 * the branch in `hms.branch_id` for row-level security), whole branch.
 */
export async function boardOverSql(pool: Pool, branchId: string, count: number): Promise<ReadRun & { rows: number }> {
  const db = new Database(pool, { schema: 'wards', role: 'hms_wards' });
  const samples: number[] = [];
  const errorSamples: string[] = [];
  let errors = 0;
  let rows = 0;
  for (let i = 0; i < count; i++) {
    const t0 = performance.now();
    try {
      const result = await db.transaction({ branchId }, (tx) => tx.query(BOARD_SQL, [branchId, null]), { readOnly: true });
      samples.push(performance.now() - t0);
      rows = result.length;
    } catch (error) {
      errors++;
      if (errorSamples.length < 3) errorSamples.push((error as Error).message);
    }
  }
  return { latency: summarize(samples), errors, errorSamples, bytes: 0, lastBody: '', rows };
}

/** EXPLAIN (ANALYZE, BUFFERS) of the bed board's query as the service runs it; the plan's lines. */
export async function explainBoard(pool: Pool, branchId: string): Promise<string[]> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN READ ONLY');
    await client.query(`SET LOCAL search_path TO wards, public; SET LOCAL ROLE hms_wards; SET LOCAL hms.branch_id = '${branchId}'`);
    const { rows } = await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS) ${BOARD_SQL}`, [branchId, null]);
    return rows.map((r) => r['QUERY PLAN']);
  } finally {
    await client.query('ROLLBACK').catch(() => undefined);
    client.release();
  }
}

export interface WaitSample {
  samples: number;
  /** Mean backends of the application in a transaction or running a statement. */
  busyMean: number;
  /** Mean of them waiting for a lock, and the most at once. */
  lockWaitMean: number;
  lockWaitMax: number;
  /** Mean backends per wait event (`Lock:transactionid`, `IO:WalSync`, `Client:ClientRead`, …). */
  byWaitEvent: Record<string, number>;
  /** Mean backends waiting for a lock, by the start of the statement they wait in. */
  lockWaitsByStatement: Record<string, number>;
}

/**
 * Samples pg_stat_activity every `everyMs` for the backends of one application (a service's
 * pool): how many are busy and what they wait for. Where the time of a write goes under load.
 */
export function sampleWaits(pool: Pool, applicationName: string, everyMs = 50): { stop: () => Promise<WaitSample> } {
  let samples = 0;
  let busy = 0;
  let lockWaits = 0;
  let lockWaitMax = 0;
  const events = new Map<string, number>();
  const statements = new Map<string, number>();
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      try {
        const { rows } = await pool.query<{ state: string; wait: string | null; statement: string | null; n: number }>(
          `SELECT state, wait_event_type || ':' || wait_event AS wait,
                  CASE WHEN wait_event_type = 'Lock' THEN left(regexp_replace(query, '\\s+', ' ', 'g'), 60) END AS statement, count(*)::int AS n
           FROM pg_stat_activity
           WHERE datname = current_database() AND application_name = $1 AND state IN ('active', 'idle in transaction') GROUP BY 1, 2, 3`,
          [applicationName],
        );
        samples++;
        let locks = 0;
        for (const r of rows) {
          busy += r.n;
          const key = r.wait ?? 'CPU';
          events.set(key, (events.get(key) ?? 0) + r.n);
          if (r.wait?.startsWith('Lock:')) locks += r.n;
          if (r.statement) statements.set(r.statement, (statements.get(r.statement) ?? 0) + r.n);
        }
        lockWaits += locks;
        lockWaitMax = Math.max(lockWaitMax, locks);
      } catch {
        /* a missed sample */
      }
      await new Promise((r) => setTimeout(r, everyMs));
    }
  })();
  return {
    async stop() {
      stopped = true;
      await loop;
      const mean = (n: number) => (samples ? Math.round((n / samples) * 100) / 100 : 0);
      const byWaitEvent: Record<string, number> = {};
      for (const [k, n] of [...events].sort((a, b) => b[1] - a[1])) if (mean(n) >= 0.05) byWaitEvent[k] = mean(n);
      const lockWaitsByStatement: Record<string, number> = {};
      for (const [k, n] of [...statements].sort((a, b) => b[1] - a[1]).slice(0, 4)) if (mean(n) >= 0.05) lockWaitsByStatement[k] = mean(n);
      return { samples, busyMean: mean(busy), lockWaitMean: mean(lockWaits), lockWaitMax, byWaitEvent, lockWaitsByStatement };
    },
  };
}

/** ANALYZE the wards tables (as autovacuum would have long since on a hospital's database). */
export async function analyzeWards(pool: Pool): Promise<void> {
  for (const t of ['beds', 'wards', 'rooms', 'bed_categories', 'admissions', 'bed_stays', 'bed_state_history', 'patients']) await pool.query(`ANALYZE wards.${t}`);
}
