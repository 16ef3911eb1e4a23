import { createHash } from 'node:crypto';

export const GENESIS_HASH = '0'.repeat(64);

/** The fields of an entry that its hash covers. */
export interface ChainedFields {
  seq: number;
  id: string;
  eventId: string;
  type: string;
  source: string;
  occurredAt: string;
  branchId: string | null;
  actorType: 'user' | 'system';
  actorId: string;
  patientIds: string[];
  correlationId: string | null;
  data: unknown;
}

/** JSON with object keys sorted at every depth, so equal values always hash alike. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/** Each entry's hash covers its own fields and the previous entry's hash. */
export function entryHash(prevHash: string, fields: ChainedFields): string {
  return createHash('sha256').update(prevHash).update('\n').update(canonicalJson(fields)).digest('hex');
}

/** The end of a run of the chain: the last entry's sequence number and hash. */
export interface ChainHead {
  seq: number;
  hash: string;
}

/** Before the first entry: sequence 0 and the genesis hash. */
export const GENESIS: Readonly<ChainHead> = Object.freeze({ seq: 0, hash: GENESIS_HASH });

/** An entry as the chain holds it: its fields, the hash before it and its own. */
export type ChainLink = ChainedFields & { prevHash: string; hash: string };

/** Links `fields` to the chain after `head`. */
export function linkAfter(head: ChainHead, fields: ChainedFields): ChainLink {
  return { ...fields, prevHash: head.hash, hash: entryHash(head.hash, fields) };
}

export interface ChainProblem {
  seq: number;
  id: string;
  reason: string;
}

/**
 * Checks a run of entries in sequence order against the hash before them. Returns the first
 * problem: a changed entry (hash mismatch), a removed one (gap or broken link), reordering.
 */
export function checkRun(previous: ChainHead, entries: readonly ChainLink[]): { last: ChainHead; problem: ChainProblem | null } {
  let last = previous;
  for (const e of entries) {
    if (e.seq !== last.seq + 1) return { last, problem: { seq: e.seq, id: e.id, reason: `entry ${last.seq + 1} is missing` } };
    if (e.prevHash !== last.hash) return { last, problem: { seq: e.seq, id: e.id, reason: 'the link to the previous entry is broken' } };
    const { prevHash: _p, hash, ...fields } = e;
    if (entryHash(last.hash, fields) !== hash) return { last, problem: { seq: e.seq, id: e.id, reason: 'the entry was altered' } };
    last = { seq: e.seq, hash };
  }
  return { last, problem: null };
}
