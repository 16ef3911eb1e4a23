import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { Progress } from './progress';
import type { RawInsertResult } from './registration';
import { summarize } from './stats';

export interface RawInsertSpec {
  databaseUrl: string;
  /** Progress label and the start of messages, e.g. `raw ledger INSERT`. */
  label: string;
  /** The service's table whose shape, indexes, checks and rows the scratch copy takes. */
  source: string;
  scratch: string;
  /** A bigserial column of the source: LIKE copies its default but not its sequence. */
  serialColumn?: string;
  total: number;
  concurrency: number;
  statement: string;
  /** Parameters of the `i`-th insert, from 1. */
  params: (i: number) => unknown[];
}

/**
 * The database alone, as a baseline: `total` autocommitted single-row INSERTs from `concurrency`
 * connections into a copy of a service's table (LIKE … INCLUDING ALL with its rows: the same
 * indexes and checks, no foreign keys, no row-level security).
 */
export async function rawInsertBaseline(spec: RawInsertSpec): Promise<RawInsertResult> {
  const setup = new Client({ connectionString: spec.databaseUrl, application_name: 'hms-bench-raw' });
  await setup.connect();
  let copiedRows = 0;
  let copySeconds = 0;
  try {
    await setup.query(`DROP TABLE IF EXISTS ${spec.scratch}`);
    await setup.query(`CREATE TABLE ${spec.scratch} (LIKE ${spec.source} INCLUDING ALL)`);
    const sequence = `${spec.scratch}_${spec.serialColumn ?? 'id'}_seq`;
    if (spec.serialColumn) {
      await setup.query(`CREATE SEQUENCE ${sequence} OWNED BY ${spec.scratch}.${spec.serialColumn}`);
      await setup.query(`ALTER TABLE ${spec.scratch} ALTER COLUMN ${spec.serialColumn} SET DEFAULT nextval('${sequence}')`);
    }
    const copyStarted = performance.now();
    await setup.query('BEGIN');
    await setup.query("SET LOCAL hms.all_branches = 'on'");
    const copied = await setup.query(`INSERT INTO ${spec.scratch} SELECT * FROM ${spec.source}`);
    if (spec.serialColumn) {
      await setup.query(`SELECT setval('${sequence}', (SELECT coalesce(max(${spec.serialColumn}), 0) + 1 FROM ${spec.scratch}))`);
    }
    await setup.query('COMMIT');
    await setup.query(`VACUUM (ANALYZE) ${spec.scratch}`);
    copiedRows = copied.rowCount ?? 0;
    copySeconds = (performance.now() - copyStarted) / 1000;
  } finally {
    await setup.end();
  }

  const clients: Client[] = [];
  try {
    for (let i = 0; i < spec.concurrency; i++) {
      const c = new Client({ connectionString: spec.databaseUrl, application_name: 'hms-bench-raw' });
      try {
        await c.connect();
      } catch (error) {
        // A shared server may not have `concurrency` connections to spare; measure with fewer.
        process.stderr.write(`${spec.label}: connection ${i + 1} refused (${(error as Error).message}); continuing with ${clients.length}\n`);
        break;
      }
      clients.push(c);
    }
    if (!clients.length) throw new Error(`${spec.label}: no connection to the database`);
    const samples: number[] = [];
    const errorSamples: string[] = [];
    let errors = 0;
    let next = 0;
    let done = 0;
    const progress = new Progress(spec.label, spec.total);
    const started = performance.now();
    await Promise.all(
      clients.map(async (c) => {
        while (next < spec.total) {
          const params = spec.params(++next);
          const t0 = performance.now();
          try {
            await c.query(spec.statement, params);
            samples.push(performance.now() - t0);
          } catch (error) {
            errors++;
            if (errorSamples.length < 3) errorSamples.push((error as Error).message);
          }
          progress.update(++done);
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    return {
      latency: summarize(samples),
      throughputPerSec: samples.length / seconds,
      ok: samples.length,
      errors,
      errorSamples,
      seconds,
      clients: clients.length,
      copiedRows,
      copySeconds,
    };
  } finally {
    await Promise.all(clients.map((c) => c.end().catch(() => undefined)));
  }
}
