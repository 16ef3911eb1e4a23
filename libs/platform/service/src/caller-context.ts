import type { Caller } from '@hms/platform-auth';
import type { AppendMeta } from '@hms/platform-messaging';
import type { BranchScope } from '@hms/platform-persistence';

/** The branch a caller's unit of work acts in: row-level security admits that branch's rows only. */
export const scopeOf = (caller: Pick<Caller, 'branchId'>): { branchId: string } & BranchScope => ({ branchId: caller.branchId });

/**
 * An event's metadata as the caller's action gives it: keyed by the aggregate it is about, in the
 * caller's branch, by the caller (id and name), in the request's correlation.
 */
export function eventMeta(caller: Pick<Caller, 'branchId' | 'userId' | 'name' | 'correlationId'>, key: string): AppendMeta {
  return { key, branchId: caller.branchId, actor: { type: 'user', id: caller.userId, name: caller.name }, correlationId: caller.correlationId };
}
