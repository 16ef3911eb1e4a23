import { performance } from 'node:perf_hooks';
import type { Pool } from 'pg';
import { looksLikeUhid, normalizeAbhaNumber, normalizeIndianMobile, phoneticKey, searchName } from '@hms/patients-domain';
import { Database } from '@hms/platform-persistence';
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

/** Columns the patients service selects wherever it reads a patient (its PATIENT_COLUMNS). */
const PATIENT_COLUMNS = `id, branch_id, uhid, name, given_name, family_name, sex, to_char(date_of_birth, 'YYYY-MM-DD') AS date_of_birth,
  date_of_birth_estimated, phone, abha_number, abha_address, address, emergency_contact, warnings, status, merged_into, version, created_at, updated_at`;

export const FUZZY_SQL = `SELECT ${PATIENT_COLUMNS} FROM (
             SELECT * FROM patients
             WHERE branch_id = $5 AND status = 'active' AND (phonetic_name % $1 OR search_name % $2)
             ORDER BY phonetic_name <-> $1
             LIMIT $3::int + $4::int
           ) p
           ORDER BY similarity(phonetic_name, $1) DESC, similarity(search_name, $2) DESC, created_at, id
           LIMIT $3 OFFSET $4`;

interface Row {
  uhid: string;
  name: string;
  status: string;
  merged_into: string | null;
}

/**
 * The SQL the patients service runs for a search, alone: the same statements in the same kind
 * of transaction (read only, `SET LOCAL ROLE hms_patients`, the branch in `hms.branch_id` for
 * row-level security), pg_trgm's similarity threshold left at its default.
 */
export function sqlSearcher(pool: Pool, branchId: string, limit = 20) {
  const db = new Database(pool, { schema: 'patients', role: 'hms_patients' });
  const fetch = limit + 1;
  return (q: string) =>
    db.transaction(
      { branchId },
      async (tx): Promise<Row[]> => {
        const query = q.normalize('NFC').trim();
        if (looksLikeUhid(query)) {
          const row = await tx.maybeOne<Row>(`SELECT ${PATIENT_COLUMNS} FROM patients WHERE uhid = $1`, [query.toUpperCase()]);
          if (row && (row.status === 'active' || !row.merged_into)) return [row];
          if (row?.merged_into) return tx.query<Row>(`SELECT ${PATIENT_COLUMNS} FROM patients WHERE id = $1`, [row.merged_into]);
        }
        const compact = query.replace(/[\s()-]/g, '');
        if (/^\+?\d{10,12}$/.test(compact)) {
          const phone = normalizeIndianMobile(query);
          if (phone.ok) {
            return tx.query<Row>(`SELECT ${PATIENT_COLUMNS} FROM patients WHERE branch_id = $4 AND phone = $1 AND status = 'active' ORDER BY created_at, id LIMIT $2 OFFSET $3`, [
              phone.e164,
              fetch,
              0,
              branchId,
            ]);
          }
        }
        const abha = normalizeAbhaNumber(query);
        if (abha.ok) {
          return tx.query<Row>(`SELECT ${PATIENT_COLUMNS} FROM patients WHERE branch_id = $4 AND abha_number = $1 AND status = 'active' LIMIT $2 OFFSET $3`, [
            abha.digits,
            fetch,
            0,
            branchId,
          ]);
        }
        const key = phoneticKey(query);
        if (!key.trim()) return [];
        return tx.query<Row>(FUZZY_SQL, [key, searchName(query), fetch, 0, branchId]);
      },
      { readOnly: true },
    );
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
