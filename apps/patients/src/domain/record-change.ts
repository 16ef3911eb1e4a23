import { conflict, notFound, patientsError } from './errors';

/** What decides whether a record takes a change. */
export interface ChangeableRecord {
  status: 'active' | 'merged';
  mergedInto: string | null;
  version: number;
}

/**
 * A record takes a change when it exists, is not merged away and is at the version the caller
 * saw (optimistic concurrency: If-Match).
 */
export function assertChangeable<R extends ChangeableRecord>(current: R | null, expectedVersion: number): asserts current is R {
  if (!current) throw notFound('The patient', 'patient-not-found');
  if (current.status === 'merged') throw conflict('patient-merged', `This record was merged into ${current.mergedInto}; change the surviving record instead`);
  if (current.version !== expectedVersion) {
    throw patientsError('precondition-failed', 'version-mismatch', `The patient was changed by someone else (now version ${current.version}); reload and try again`, {
      currentVersion: current.version,
    });
  }
}
