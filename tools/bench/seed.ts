import type { Pool } from 'pg';
import { Random } from './names';
import { Progress } from './progress';
import { batchInsert, batchParams, patientRow, type PatientRowValues } from './rows';

export interface SeededPatient {
  uhid: string;
  phone: string | null;
  name: string;
}

export interface SeedResult {
  seconds: number;
  ratePerSec: number;
  /** A random sample of the seeded patients, for searches of values that exist. */
  sample: SeededPatient[];
}

export interface SeedTarget {
  pool: Pool;
  branchId: string;
  prefix: string;
  userId: string;
}

const BATCH = 5000;
const SAMPLE = 5000;
/** Batches in flight at once: one builds rows while PostgreSQL writes the other. */
const PARALLEL = 2;

/**
 * Writes `count` patients straight into `patients.patients` in batches of 5000 (one unnest
 * INSERT each), UHIDs 1..count of the branch's prefix, then moves the branch's UHID series past
 * them so registrations continue the sequence, and runs ANALYZE.
 */
export async function seedPatients(target: SeedTarget, count: number, rng: Random): Promise<SeedResult> {
  const started = Date.now();
  const progress = new Progress('seeding', count);
  const sample: SeededPatient[] = [];
  let seen = 0;
  let done = 0;
  let nextStart = 1;
  const sql = batchInsert('patients.patients');
  const series = { prefix: target.prefix, phoneSeries: 9 as const, abhaSeries: 1 };

  const keep = (row: PatientRowValues) => {
    // Reservoir sampling: every seeded patient equally likely to be searched for.
    seen++;
    const entry = { uhid: row.uhid, phone: row.phone, name: row.name };
    if (sample.length < SAMPLE) sample.push(entry);
    else {
      const j = Math.floor(rng.next() * seen);
      if (j < SAMPLE) sample[j] = entry;
    }
  };

  progress.update(0);
  const worker = async () => {
    for (;;) {
      const first = nextStart;
      if (first > count) return;
      const last = Math.min(count, first + BATCH - 1);
      nextStart = last + 1;
      const rows: PatientRowValues[] = [];
      for (let i = first; i <= last; i++) {
        const row = patientRow(rng, series, i);
        rows.push(row);
        keep(row);
      }
      const client = await target.pool.connect();
      try {
        await client.query('BEGIN');
        // Row-level security would hide the branch's rows from a non-superuser server account.
        await client.query("SET LOCAL hms.all_branches = 'on'");
        await client.query(sql, batchParams(rows, target.branchId, target.userId));
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
      done += rows.length;
      progress.update(done);
    }
  };
  await Promise.all(Array.from({ length: PARALLEL }, worker));

  const client = await target.pool.connect();
  try {
    await client.query('BEGIN');
    await client.query("SET LOCAL hms.all_branches = 'on'");
    await client.query(
      `INSERT INTO patients.uhid_series (branch_id, prefix, next_value) VALUES ($1, $2, $3)
       ON CONFLICT (branch_id) DO UPDATE SET next_value = GREATEST(patients.uhid_series.next_value, EXCLUDED.next_value), updated_at = now()`,
      [target.branchId, target.prefix, count + 1],
    );
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
  const seconds = (Date.now() - started) / 1000;
  process.stderr.write('ANALYZE patients.patients…\n');
  await target.pool.query('ANALYZE patients.patients');
  return { seconds, ratePerSec: count / seconds, sample };
}
