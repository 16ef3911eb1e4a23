import { DomainError } from '@hms/contracts-common';
import type { Tx } from '@hms/platform-persistence';
import { displayName } from '../dispensing/dispensing.service';

export interface ItemName {
  id: string;
  name: string;
}

/**
 * The items a request names by `lines[i].itemId`, in use and of the caller's branch, or a
 * validation error naming the first unknown one. Ids come back in the database's spelling.
 */
export async function loadItems(tx: Tx, branchId: string, named: readonly { itemId: string; field: string }[]): Promise<Map<string, ItemName>> {
  const ids = [...new Set(named.map((n) => n.itemId.toLowerCase()))];
  const rows = await tx.query<{ id: string; generic_name: string; brand_name: string | null; strength: string | null }>(
    'SELECT id, generic_name, brand_name, strength FROM items WHERE branch_id = $1 AND id = ANY($2::uuid[]) AND retired_at IS NULL',
    [branchId, ids],
  );
  const items = new Map(rows.map((r) => [r.id, { id: r.id, name: displayName(r) }]));
  const unknown = named.find((n) => !items.has(n.itemId.toLowerCase()));
  if (unknown) throw new DomainError('validation', 'validation-failed', `${unknown.field} names no item`, {}, [{ field: unknown.field, message: 'names no item' }]);
  return items;
}

/** Refuses a request that names one batch (or item) on two lines. */
export function assertNamedOnce(keys: readonly string[], what: string): void {
  const lower = keys.map((k) => k.toLowerCase());
  const twice = lower.findIndex((k, i) => lower.indexOf(k) !== i);
  if (twice >= 0) throw new DomainError('validation', 'validation-failed', `Name each ${what} once`, {}, [{ field: `lines[${twice}]`, message: `names a ${what} named on an earlier line` }]);
}
