import type { RunResult } from './registration';
import { nullable, round } from './stats';

/** The share of a run's requests that failed (1 when nothing ran). */
export function errorShare(r: { ok: number; errors: number }): number {
  return r.ok + r.errors ? r.errors / (r.ok + r.errors) : 1;
}

/** A run's figures as the JSON report shows them. */
export function runFigures(r: RunResult) {
  return {
    throughputPerSec: round(r.throughputPerSec),
    p50Ms: nullable(r.latency.p50Ms),
    p95Ms: nullable(r.latency.p95Ms),
    p99Ms: nullable(r.latency.p99Ms),
    ok: r.ok,
    errors: r.errors,
    ...(r.errorSamples.length ? { errorSamples: r.errorSamples } : {}),
  };
}
