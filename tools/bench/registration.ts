import { Client } from 'pg';
import { performance } from 'node:perf_hooks';
import { BenchHttp, runPool } from './http';
import { Random, randomAddress, randomDateOfBirth, randomName, uniqueAbha, uniquePhone } from './names';
import { Progress } from './progress';
import { patientRow, singleRowInsert, singleRowParams } from './rows';
import { summarize, type LatencySummary } from './stats';

export interface Caller {
  token: string;
  branchId: string;
  userId: string;
}

export interface RunResult {
  latency: LatencySummary;
  throughputPerSec: number;
  ok: number;
  errors: number;
  errorSamples: string[];
  seconds: number;
}

/** Registration bodies that are all different: own phone series index, own ABHA numbers. */
export class RegistrationBodies {
  private next: number;

  constructor(
    private readonly rng: Random,
    private readonly phoneSeries: 6 | 7 | 8,
    private readonly abhaSeries: number,
    start = 1,
  ) {
    this.next = start;
  }

  body(): Record<string, unknown> {
    const i = this.next++;
    const person = randomName(this.rng);
    const body: Record<string, unknown> = {
      name: person.name,
      sex: person.sex,
      dateOfBirth: randomDateOfBirth(this.rng),
      phone: uniquePhone(this.phoneSeries, i),
      address: randomAddress(this.rng),
      // The cost is the same either way (the duplicate check runs); this only keeps a chance
      // look-alike among the seeded patients (same birth date and a very similar name) from
      // turning a registration into a 409.
      confirmedNotDuplicate: true,
    };
    if (this.rng.chance(0.3)) body.abhaNumber = uniqueAbha(this.abhaSeries, i);
    return body;
  }
}

export function authHeaders(caller: Caller): Record<string, string> {
  return { authorization: `Bearer ${caller.token}`, 'x-branch-id': caller.branchId };
}

/** `total` POST /api/v1/patients at `concurrency`; any status but 201 is an error. */
export async function registerMany(
  label: string,
  baseUrl: string,
  caller: Caller,
  bodies: RegistrationBodies,
  total: number,
  concurrency: number,
  onCreated?: (id: string) => void,
): Promise<RunResult> {
  const http = new BenchHttp(concurrency);
  const samples: number[] = [];
  const errorSamples: string[] = [];
  let errors = 0;
  let done = 0;
  const progress = new Progress(label, total);
  const started = performance.now();
  try {
    await runPool(total, concurrency, async () => {
      const body = bodies.body();
      try {
        const r = await http.request('POST', `${baseUrl}/api/v1/patients`, authHeaders(caller), body);
        if (r.status === 201) {
          samples.push(r.ms);
          if (onCreated) onCreated((JSON.parse(r.body) as { id: string }).id);
        } else {
          errors++;
          if (errorSamples.length < 3) errorSamples.push(`${r.status} ${r.body.slice(0, 200)}`);
        }
      } catch (error) {
        errors++;
        if (errorSamples.length < 3) errorSamples.push((error as Error).message);
      }
      progress.update(++done);
    });
  } finally {
    http.close();
  }
  const seconds = (performance.now() - started) / 1000;
  return { latency: summarize(samples), throughputPerSec: samples.length / seconds, ok: samples.length, errors, errorSamples, seconds };
}

export interface RawInsertResult extends RunResult {
  clients: number;
  copiedRows: number;
  copySeconds: number;
}

/**
 * The database alone: the same row shape as registrations, one autocommitted single-row INSERT
 * per patient from `concurrency` connections, into `public.bench_raw`, a copy of
 * `patients.patients` with its indexes, checks and rows (LIKE … INCLUDING ALL brings no
 * foreign keys and no row-level security).
 */
export async function rawInsert(databaseUrl: string, caller: Caller, rng: Random, total: number, concurrency: number): Promise<RawInsertResult> {
  const setup = new Client({ connectionString: databaseUrl, application_name: 'hms-bench-raw' });
  await setup.connect();
  let copiedRows = 0;
  let copySeconds = 0;
  try {
    await setup.query('DROP TABLE IF EXISTS public.bench_raw');
    await setup.query('CREATE TABLE public.bench_raw (LIKE patients.patients INCLUDING ALL)');
    const copyStarted = performance.now();
    await setup.query('BEGIN');
    await setup.query("SET LOCAL hms.all_branches = 'on'");
    const copied = await setup.query('INSERT INTO public.bench_raw SELECT * FROM patients.patients');
    await setup.query('COMMIT');
    await setup.query('ANALYZE public.bench_raw');
    copiedRows = copied.rowCount ?? 0;
    copySeconds = (performance.now() - copyStarted) / 1000;
  } finally {
    await setup.end();
  }

  const clients: Client[] = [];
  try {
    for (let i = 0; i < concurrency; i++) {
      const c = new Client({ connectionString: databaseUrl, application_name: 'hms-bench-raw' });
      try {
        await c.connect();
      } catch (error) {
        // A shared server may not have `concurrency` connections to spare; measure with fewer.
        process.stderr.write(`raw insert: connection ${i + 1} refused (${(error as Error).message}); continuing with ${clients.length}\n`);
        break;
      }
      clients.push(c);
    }
    if (!clients.length) throw new Error('raw insert: no connection to the database');
    const sql = singleRowInsert('public.bench_raw');
    const series = { prefix: 'RAWB', phoneSeries: 6 as const, abhaSeries: 3 };
    const samples: number[] = [];
    const errorSamples: string[] = [];
    let errors = 0;
    let next = 0;
    let done = 0;
    const progress = new Progress('raw INSERT', total);
    const started = performance.now();
    await Promise.all(
      clients.map(async (c) => {
        while (next < total) {
          const i = ++next;
          const row = patientRow(rng, series, i);
          const t0 = performance.now();
          try {
            await c.query(sql, singleRowParams(row, caller.branchId, caller.userId));
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
