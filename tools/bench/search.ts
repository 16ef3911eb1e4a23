import { performance } from 'node:perf_hooks';
import type { Pool, QueryResultRow } from 'pg';
import { looksLikeUhid, normalizeAbhaNumber, normalizeIndianMobile, phoneticKey, searchName } from '@hms/patients-domain';
import { Database, type Tx } from '@hms/platform-persistence';
import { BenchHttp } from './http';
import { MISSPELT_QUERIES, RARE_NAMES, Random, withTypo } from './names';
import { authHeaders, type Caller } from './registration';
import type { SeededPatient } from './seed';
import { summarize, type LatencySummary } from './stats';

export interface SearchQuery {
  q: string;
  /** What kind of look-up (uhid, phone, misspelt, typo, rare), for a breakdown of the figures. */
  kind: string;
  /** Exact look-ups: the UHID the first page must contain. */
  expectUhid?: string;
  /**
   * Typos of a seeded name: a patient of exactly that name must be on the first page. (Not the
   * seeded patient itself: common names recur dozens of times among 100,000 patients, and equally
   * close matches are ordered by registration date.)
   */
  expectName?: string;
}

export interface SearchRun {
  latency: LatencySummary;
  errors: number;
  errorSamples: string[];
  /** Share of queries with an expectation (UHID or name) that met it on the first page. */
  foundShare: number | null;
  /** p50/p95 per kind of query. */
  byKind: Record<string, { count: number; p50Ms: number; p95Ms: number; meanResults: number }>;
  /** Mean number of results on the first page. */
  meanResults: number;
}

/** Exact look-ups of values that exist: UHID and phone, alternating. */
export function exactQueries(rng: Random, sample: readonly SeededPatient[], count: number): SearchQuery[] {
  const withPhone = sample.filter((p) => p.phone !== null);
  return Array.from({ length: count }, (_, i) => {
    if (i % 2 === 0 || !withPhone.length) {
      const p = rng.pick(sample);
      return { q: p.uhid, kind: 'uhid', expectUhid: p.uhid };
    }
    const p = rng.pick(withPhone);
    return { q: p.phone ?? '', kind: 'phone', expectUhid: p.uhid };
  });
}

/** Fuzzy look-ups: misspelt and transliterated names, alternating with seeded names with one letter changed. */
export function fuzzyQueries(rng: Random, sample: readonly SeededPatient[], count: number): SearchQuery[] {
  return Array.from({ length: count }, (_, i) => {
    if (i % 2 === 0) return { q: MISSPELT_QUERIES[(i / 2) % MISSPELT_QUERIES.length], kind: 'misspelt' };
    const p = rng.pick(sample);
    return { q: withTypo(rng, p.name), kind: 'typo', expectName: p.name };
  });
}

/** Names no seeded patient has (few or no trigram matches): the worst case of the fuzzy search. */
export function rareQueries(count: number): SearchQuery[] {
  return Array.from({ length: count }, (_, i) => ({ q: RARE_NAMES[i % RARE_NAMES.length], kind: 'rare' }));
}

/** Sequential GET /api/v1/patients?q=… (latency, not load). */
export async function searchOverHttp(baseUrl: string, caller: Caller, queries: readonly SearchQuery[]): Promise<SearchRun> {
  const http = new BenchHttp(1);
  try {
    return await timeEach(queries, async (query) => {
      const r = await http.request('GET', `${baseUrl}/api/v1/patients?q=${encodeURIComponent(query.q)}`, authHeaders(caller));
      if (r.status !== 200) return { error: `${r.status} ${r.body.slice(0, 200)}` };
      const items = (JSON.parse(r.body) as { items: { uhid: string; name: string }[] }).items;
      return { uhids: items.map((p) => p.uhid), names: items.map((p) => p.name) };
    });
  } finally {
    http.close();
  }
}

/**
 * Columns the patients service reads for a patient (the columns of PatientEntity in
 * apps/patients/src/data/patient.entity.ts; keep in step).
 */
const PATIENT_COLUMNS = `id, branch_id, uhid, name, given_name, family_name, sex, to_char(date_of_birth, 'YYYY-MM-DD') AS date_of_birth,
  date_of_birth_estimated, phone, abha_number, abha_address, address, emergency_contact, guardian,
  to_char(date_of_death, 'YYYY-MM-DD') AS date_of_death, death_recorded_at, death_recorded_by, death_recorded_by_name,
  medico_legal, mlc_number, police_station, warnings, status, merged_into, version, created_at, updated_at`;

/** The service's NAME_SIMILARITY: pg_trgm's default threshold, set in every name search. */
export const NAME_SIMILARITY = 0.3;

type TrigramColumn = 'phonetic_name' | 'search_name';

/**
 * The statements of the service's fuzzy name search (PatientsRepository.searchByName and nearest in
 * apps/patients/src/data/patients.repository.ts; keep in step), each a function of its
 * parameters. The walks take rows off the GiST index nearest first; the page statement orders
 * the union of the walks' ids.
 */
export const FUZZY_SQL = {
  /** `%` means NAME_SIMILARITY whatever the server's default. */
  threshold: `SELECT set_config('pg_trgm.similarity_threshold', $1, true)`,
  /** Whether `%` may filter inside the index under row-level security (the service asks once per process). */
  leakproof: `SELECT coalesce(bool_and(proleakproof), false) AS leakproof FROM pg_proc WHERE proname = 'similarity_op'`,
  /** A leakproof `%`: the matches nearest the value, with every row tied with the last. */
  filteredWalk: (column: TrigramColumn) => `SELECT id FROM patients WHERE branch_id = $3 AND status = 'active' AND ${column} % $1
         ORDER BY ${column} <-> $1 FETCH FIRST ($2::int) ROWS WITH TIES`,
  /** Otherwise an unfiltered walk of count + 1 rows… */
  boundedWalk: (column: TrigramColumn) => `SELECT id, ${column} <-> $1 AS distance, similarity(${column}, $1) >= $4::real AS match
       FROM patients WHERE branch_id = $3 AND status = 'active'
       ORDER BY ${column} <-> $1 LIMIT $2::int + 1`,
  /** …taken again with ties when its last two tie at a matching distance. */
  tiedWalk: (column: TrigramColumn) => `SELECT id, similarity(${column}, $1) >= $4::real AS match
         FROM patients WHERE branch_id = $3 AND status = 'active'
         ORDER BY ${column} <-> $1 FETCH FIRST ($2::int) ROWS WITH TIES`,
  /** The page, from the walks' ids: phonetic matches first, then spelling-only ones; ties by spelling, registration time, id. */
  page: `SELECT ${PATIENT_COLUMNS} FROM patients
       WHERE id = ANY($1::uuid[]) AND branch_id = $2 AND status = 'active'
         AND (similarity(phonetic_name, $3) >= $5::real OR similarity(search_name, $4) >= $5::real)
       ORDER BY similarity(phonetic_name, $3) >= $5::real DESC,
         CASE WHEN similarity(phonetic_name, $3) >= $5::real THEN similarity(phonetic_name, $3) ELSE similarity(search_name, $4) END DESC,
         similarity(search_name, $4) DESC, created_at, id
       LIMIT $6 OFFSET $7`,
} as const;

/** What each statement of a fuzzy search is, for EXPLAIN output. */
export type FuzzyStep = 'threshold' | 'phonetic walk' | 'phonetic walk with ties' | 'spelling walk' | 'spelling walk with ties' | 'page';

/** Runs one statement of a search in its transaction (a plain `tx.query`, or one that also EXPLAINs it). */
export type StepRunner = <T extends QueryResultRow>(step: FuzzyStep, sql: string, params: unknown[]) => Promise<T[]>;

export interface Row {
  uhid: string;
  name: string;
  status: string;
  merged_into: string | null;
}

/**
 * The service's fuzzy name search, statement for statement with the same parameters: the
 * similarity threshold set, the phonetic walk of offset + fetch rows with ties, the spelling walk
 * only when the phonetic matches do not fill that, then the page. `filtered` is whether `%` is
 * leakproof (see `leakproofTrigram`).
 */
export async function fuzzySearch(run: StepRunner, branchId: string, key: string, plain: string, offset: number, fetch: number, filtered: boolean): Promise<Row[]> {
  const wanted = offset + fetch;
  await run('threshold', FUZZY_SQL.threshold, [String(NAME_SIMILARITY)]);
  const phonetic = await nearest(run, branchId, 'phonetic_name', key, wanted, filtered);
  const ids = new Set(phonetic.ids);
  if (phonetic.matches < wanted) for (const id of (await nearest(run, branchId, 'search_name', plain, wanted, filtered)).ids) ids.add(id);
  if (!ids.size) return [];
  return run<Row>('page', FUZZY_SQL.page, [[...ids], branchId, key, plain, NAME_SIMILARITY, fetch, offset]);
}

async function nearest(run: StepRunner, branchId: string, column: TrigramColumn, value: string, count: number, filtered: boolean): Promise<{ ids: string[]; matches: number }> {
  const step = column === 'phonetic_name' ? 'phonetic walk' : 'spelling walk';
  if (filtered) {
    const rows = await run<{ id: string }>(step, FUZZY_SQL.filteredWalk(column), [value, count, branchId]);
    return { ids: rows.map((r) => r.id), matches: rows.length };
  }
  const rows = await run<{ id: string; distance: number; match: boolean }>(step, FUZZY_SQL.boundedWalk(column), [value, count, branchId, NAME_SIMILARITY]);
  if (rows.length > count && rows[count].distance === rows[count - 1].distance && rows[count - 1].match) {
    const tied = await run<{ id: string; match: boolean }>(`${step} with ties`, FUZZY_SQL.tiedWalk(column), [value, count, branchId, NAME_SIMILARITY]);
    return { ids: tied.map((r) => r.id), matches: tied.filter((r) => r.match).length };
  }
  return { ids: rows.map((r) => r.id), matches: rows.filter((r) => r.match).length };
}

/** Whether pg_trgm's `%` is leakproof in this database, asked once and kept, as the service does. */
function leakproofTrigram(): (tx: Tx) => Promise<boolean> {
  let known: Promise<boolean> | null = null;
  return (tx) =>
    (known ??= tx
      .one<{ leakproof: boolean }>(FUZZY_SQL.leakproof)
      .then((r) => r.leakproof)
      .catch((error: unknown) => {
        known = null;
        throw error;
      }));
}

/** The patients service's handle on its schema, as it runs every search (role and branch scope). */
const patientsDb = (pool: Pool) => new Database(pool, { schema: 'patients', role: 'hms_patients' });

/**
 * The SQL the patients service runs for a search (PatientsService.search), alone: the same
 * statements with the same parameters in the same kind of transaction (read only, `SET LOCAL
 * ROLE hms_patients`, the branch in `hms.branch_id` for row-level security), first page.
 */
export function sqlSearcher(pool: Pool, branchId: string, limit = 20) {
  const db = patientsDb(pool);
  const fetch = limit + 1;
  const offset = 0;
  const leakproof = leakproofTrigram();
  return (q: string) =>
    db.transaction(
      { branchId },
      async (tx): Promise<Row[]> => {
        const query = q.normalize('NFC').trim();
        if (looksLikeUhid(query)) {
          const row = await resolveUhid(tx, query.toUpperCase());
          if (row) return offset === 0 ? [row] : [];
        }
        const compact = query.replace(/[\s()-]/g, '');
        if (/^\+?\d{10,12}$/.test(compact)) {
          const phone = normalizeIndianMobile(query);
          if (phone.ok) {
            return tx.query<Row>(`SELECT ${PATIENT_COLUMNS} FROM patients WHERE branch_id = $4 AND phone = $1 AND status = 'active' ORDER BY created_at, id LIMIT $2 OFFSET $3`, [
              phone.e164,
              fetch,
              offset,
              branchId,
            ]);
          }
        }
        const abha = normalizeAbhaNumber(query);
        if (abha.ok) {
          return tx.query<Row>(
            `SELECT ${PATIENT_COLUMNS} FROM patients WHERE branch_id = $4 AND abha_number = $1 AND status = 'active' ORDER BY created_at, id LIMIT $2 OFFSET $3`,
            [abha.digits, fetch, offset, branchId],
          );
        }
        if (query.includes('@')) {
          return tx.query<Row>(
            `SELECT ${PATIENT_COLUMNS} FROM patients WHERE branch_id = $4 AND abha_address = $1 AND status = 'active' ORDER BY created_at, id LIMIT $2 OFFSET $3`,
            [query.toLowerCase(), fetch, offset, branchId],
          );
        }
        const key = phoneticKey(query);
        const plain = searchName(query);
        if (!key.trim()) return [];
        const run: StepRunner = (_step, sql, params) => tx.query(sql, params);
        return fuzzySearch(run, branchId, key, plain, offset, fetch, await leakproof(tx));
      },
      { readOnly: true },
    );
}

/** The patient a UHID names; a merged record's UHID resolves to the survivor (the service's resolveUhid). */
async function resolveUhid(tx: Tx, uhid: string): Promise<Row | null> {
  const row = await tx.maybeOne<Row>(`SELECT ${PATIENT_COLUMNS} FROM patients WHERE uhid = $1`, [uhid.toUpperCase()]);
  if (!row || row.status === 'active' || !row.merged_into) return row;
  return tx.maybeOne<Row>(`SELECT ${PATIENT_COLUMNS} FROM patients WHERE id = $1`, [row.merged_into]);
}

/**
 * EXPLAIN (ANALYZE, BUFFERS) of each statement of the service's fuzzy search for `q` (first page
 * of `limit`), in the service's kind of transaction: each statement but the threshold's is
 * explained, then run for the rows the next step needs. Returns the plans in order.
 */
export async function explainFuzzySearch(pool: Pool, branchId: string, q: string, limit = 20): Promise<{ step: FuzzyStep; plan: string[] }[]> {
  const query = q.normalize('NFC').trim();
  const key = phoneticKey(query);
  if (!key.trim()) return [];
  const plans: { step: FuzzyStep; plan: string[] }[] = [];
  await patientsDb(pool).transaction(
    { branchId },
    async (tx) => {
      const run: StepRunner = async (step, sql, params) => {
        if (step !== 'threshold') {
          const rows = await tx.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`, params);
          plans.push({ step, plan: rows.map((r) => r['QUERY PLAN']) });
        }
        return tx.query(sql, params);
      };
      const filtered = await tx.one<{ leakproof: boolean }>(FUZZY_SQL.leakproof).then((r) => r.leakproof);
      await fuzzySearch(run, branchId, key, searchName(query), 0, limit + 1, filtered);
    },
    { readOnly: true },
  );
  return plans;
}

export async function searchOverSql(search: (q: string) => Promise<Row[]>, queries: readonly SearchQuery[]): Promise<SearchRun> {
  return timeEach(queries, async (query) => {
    const rows = (await search(query.q)).slice(0, 20);
    return { uhids: rows.map((r) => r.uhid), names: rows.map((r) => r.name) };
  });
}

type Outcome = { uhids?: string[]; names?: string[]; error?: string };

async function timeEach(queries: readonly SearchQuery[], run: (q: SearchQuery) => Promise<Outcome>): Promise<SearchRun> {
  const samples: number[] = [];
  const kinds = new Map<string, { ms: number[]; results: number }>();
  const errorSamples: string[] = [];
  let errors = 0;
  let expected = 0;
  let found = 0;
  let results = 0;
  for (const query of queries) {
    const t0 = performance.now();
    let outcome: Outcome;
    try {
      outcome = await run(query);
    } catch (error) {
      outcome = { error: (error as Error).message };
    }
    const ms = performance.now() - t0;
    if (outcome.error !== undefined || !outcome.uhids) {
      errors++;
      if (errorSamples.length < 3) errorSamples.push(outcome.error ?? 'no result');
      continue;
    }
    samples.push(ms);
    results += outcome.uhids.length;
    let kind = kinds.get(query.kind);
    if (!kind) kinds.set(query.kind, (kind = { ms: [], results: 0 }));
    kind.ms.push(ms);
    kind.results += outcome.uhids.length;
    if (query.expectUhid !== undefined) {
      expected++;
      if (outcome.uhids.includes(query.expectUhid)) found++;
    } else if (query.expectName !== undefined) {
      expected++;
      if (outcome.names?.includes(query.expectName)) found++;
    }
  }
  const byKind: SearchRun['byKind'] = {};
  for (const [name, k] of kinds) {
    const summary = summarize(k.ms);
    byKind[name] = { count: summary.count, p50Ms: summary.p50Ms, p95Ms: summary.p95Ms, meanResults: Math.round((k.results / k.ms.length) * 10) / 10 };
  }
  return {
    latency: summarize(samples),
    errors,
    errorSamples,
    foundShare: expected ? Math.round((found / expected) * 1000) / 1000 : null,
    byKind,
    meanResults: samples.length ? Math.round((results / samples.length) * 10) / 10 : 0,
  };
}
