import type { Caller } from '@hms/platform-auth';
import type { AppendMeta } from '@hms/platform-messaging';
import type { BranchScope } from '@hms/platform-persistence';

/** Who acts: as much of the caller as branch scoping and event metadata need. */
export type Acting = Pick<Caller, 'branchId' | 'userId' | 'name' | 'correlationId'>;

/** The branch a caller's unit of work acts in: row-level security admits that branch's rows only. */
export const scopeOf = (caller: Pick<Caller, 'branchId'>): { branchId: string } & BranchScope => ({ branchId: caller.branchId });

/**
 * The metadata every event of one request shares: the caller's branch, the caller as actor (id
 * and name), and the request's correlation. A request that writes several events keys each one.
 */
export function callerMeta(caller: Acting): Omit<AppendMeta, 'key'> {
  return { branchId: caller.branchId, actor: { type: 'user', id: caller.userId, name: caller.name }, correlationId: caller.correlationId };
}

/** An event's metadata as the caller's action gives it, keyed by the aggregate it is about. */
export function eventMeta(caller: Acting, key: string): AppendMeta {
  return { ...callerMeta(caller), key };
}
