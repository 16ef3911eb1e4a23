import { startServiceForTest, type ServiceHarness } from '@hms/platform-service-testing';
import { expectStatus, type TestBranch } from '@hms/platform-testing';
import type { Clock } from '@hms/platform-time';
import { patientsDefinition } from '../src/patients.definition';

/** The patients service on its own fresh database; with a clock, ages and "today" are the test's. */
export function startPatients(label: string, options: { clock?: Clock } = {}): Promise<ServiceHarness> {
  return startServiceForTest(patientsDefinition, label, {}, { clock: options.clock });
}

/** A token acting in `branch` with one of the built-in roles (admin unless another is named). */
export function tokenFor(h: ServiceHarness, branch: TestBranch, role = 'admin', user: { userId?: string; name?: string } = {}): Promise<string> {
  return h.identity.token({ ...user, branches: [{ branch, role }] });
}

/** Registers a patient and returns the record (the registration must succeed: 201). */
export async function registerPatient(h: ServiceHarness, body: object, token: string): Promise<{ id: string; uhid: string; version: number; [k: string]: unknown }> {
  return expectStatus(await h.http.post('/api/v1/patients', body, { token }), 201).body;
}

/** Runs `count` calls of `run`, `size` at a time (seeding many patients without flooding the service). */
export async function inBatches<T>(count: number, size: number, run: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = [];
  for (let start = 0; start < count; start += size) {
    out.push(...(await Promise.all(Array.from({ length: Math.min(size, count - start) }, (_, k) => run(start + k)))));
  }
  return out;
}

/** How many patients the service holds, across branches (read as the database owner). */
export async function countPatients(h: ServiceHarness): Promise<number> {
  return Number((await h.db.admin<{ n: string }>('SELECT count(*) AS n FROM patients.patients'))[0].n);
}

/** Everything a request could have written: a digest of the patients table and the outbox's size. */
export interface Snapshot {
  patients: string;
  outbox: string;
}
export async function snapshot(h: ServiceHarness): Promise<Snapshot> {
  const [p] = await h.db.admin<{ s: string }>(`SELECT coalesce(md5(string_agg(t::text, ',' ORDER BY id)), '') AS s FROM patients.patients t`);
  const [o] = await h.db.admin<{ n: string }>('SELECT count(*)::text AS n FROM patients.outbox');
  return { patients: p.s, outbox: o.n };
}

/** Copies one service's register (UHID series and patients, as rows) into another's database. */
export async function copyRegister(from: ServiceHarness, to: ServiceHarness): Promise<void> {
  for (const table of ['uhid_series', 'patients']) {
    const [{ rows }] = await from.db.admin<{ rows: unknown }>(`SELECT json_agg(t) AS rows FROM patients.${table} t`);
    await to.db.admin(`INSERT INTO patients.${table} SELECT * FROM json_populate_recordset(NULL::patients.${table}, $1)`, [JSON.stringify(rows)]);
  }
}
