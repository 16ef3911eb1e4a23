import { performance } from 'node:perf_hooks';
import { BenchHttp, runPool } from './http';
import { Random, randomAddress, randomDateOfBirth, randomName, uniqueAbha, uniquePhone } from './names';
import { rawInsertBaseline } from './raw-insert';
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
export function rawInsert(databaseUrl: string, caller: Caller, rng: Random, total: number, concurrency: number): Promise<RawInsertResult> {
  const series = { prefix: 'RAWB', phoneSeries: 6 as const, abhaSeries: 3 };
  return rawInsertBaseline({
    databaseUrl,
    label: 'raw INSERT',
    source: 'patients.patients',
    scratch: 'public.bench_raw',
    total,
    concurrency,
    statement: singleRowInsert('public.bench_raw'),
    params: (i) => singleRowParams(patientRow(rng, series, i), caller.branchId, caller.userId),
  });
}
