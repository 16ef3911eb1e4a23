import { ReorderNeeded } from '@hms/contracts-pharmacy';
import type { Caller } from '@hms/platform-auth';
import type { AppendMeta, Outbox } from '@hms/platform-messaging';
import type { Tx } from '@hms/platform-persistence';
import { crossesReorderLevel } from '../domain';

/** Envelope fields every stock event of a request carries, keyed per event. */
export function eventMeta(caller: Caller): Omit<AppendMeta, 'key'> {
  return { branchId: caller.branchId, actor: { type: 'user', id: caller.userId, name: caller.name }, correlationId: caller.correlationId };
}

/**
 * ReorderNeeded for each item whose usable stock in the store this movement takes from at or above
 * its reorder level to below it (once per crossing, not on every issue below the level). Shared by
 * every operation that takes stock away: dispensing, transfers, adjustments, returns to supplier.
 */
export async function raiseReorderAlerts(
  tx: Tx,
  outbox: Outbox,
  storeId: string,
  checks: readonly { itemId: string; before: number; after: number }[],
  meta: Omit<AppendMeta, 'key'>,
): Promise<void> {
  if (!checks.length) return;
  const levels = await tx.query<{ item_id: string; reorder_level: number; reorder_quantity: number; name: string }>(
    `SELECT r.item_id, r.reorder_level, r.reorder_quantity, i.generic_name AS name
     FROM reorder_levels r JOIN items i ON i.id = r.item_id WHERE r.store_id = $1 AND r.item_id = ANY($2::uuid[])`,
    [storeId, checks.map((c) => c.itemId)],
  );
  for (const c of checks) {
    const level = levels.find((l) => l.item_id === c.itemId);
    if (level && crossesReorderLevel(c.before, c.after, level.reorder_level)) {
      await outbox.append(
        tx,
        ReorderNeeded,
        { storeId, itemId: c.itemId, itemName: level.name, onHand: c.after, reorderLevel: level.reorder_level, reorderQuantity: level.reorder_quantity },
        { ...meta, key: c.itemId },
      );
    }
  }
}
