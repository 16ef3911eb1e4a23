import { createHash } from 'node:crypto';
import { DomainError } from '@hms/contracts-common';
import type { Tx } from '@hms/platform-persistence';

/** A balance row held FOR UPDATE, with its batch's particulars. */
export interface LockedBalance {
  storeId: string;
  batchId: string;
  itemId: string;
  batchNo: string;
  expiry: string;
  onHand: number;
  mrpPaise: number;
  purchaseRatePaise: number;
}

interface BalanceRow {
  store_id: string;
  batch_id: string;
  item_id: string;
  batch_no: string;
  expiry: string;
  on_hand: number;
  mrp_paise: string;
  purchase_rate_paise: string;
}

/**
 * Locks what an operation reads before it moves stock, the same way for every operation, so that
 * two movements sharing stock queue instead of deadlocking:
 *
 * 1. a transaction-scoped advisory lock per (store, item), taken in key order in one statement. It
 *    covers the balance rows of that item in that store that do not exist yet: a transfer-in or a
 *    return that creates a row must not take a row lock out of order after the ones below;
 * 2. every balance row of those items in those stores FOR UPDATE, in (store id, batch id) order, in
 *    one statement. Locking every batch of the items (not only those picked) keeps the usable stock an
 *    operation sees, and the reorder alert it decides on, exact.
 *
 * Without `itemIds`, the items are those with stock on hand that has expired by `expiredOn`, i.e.
 * whose expiry date is before that day (expiry write-off; a batch is usable through its expiry date).
 */
export async function lockBalances(tx: Tx, branchId: string, where: { storeIds: readonly string[]; itemIds?: readonly string[]; expiredOn?: string }): Promise<LockedBalance[]> {
  const storeIds = [...new Set(where.storeIds.map((id) => id.toLowerCase()))];
  const itemIds = where.itemIds
    ? [...new Set(where.itemIds.map((id) => id.toLowerCase()))]
    : (
        await tx.query<{ item_id: string }>(
          'SELECT DISTINCT item_id FROM stock_balances WHERE branch_id = $1 AND store_id = ANY($2::uuid[]) AND expiry < $3 AND on_hand > 0',
          [branchId, storeIds, where.expiredOn ?? null],
        )
      ).map((r) => r.item_id);
  if (!itemIds.length) return [];
  await tx.query('SELECT pg_advisory_xact_lock(k) FROM unnest($1::bigint[]) WITH ORDINALITY AS t(k, o) ORDER BY o', [stockLockKeys(storeIds, itemIds)]);
  const rows = await tx.query<BalanceRow>(
    `SELECT s.store_id, s.batch_id, s.item_id, b.batch_no, to_char(s.expiry, 'YYYY-MM-DD') AS expiry, s.on_hand, b.mrp_paise, b.purchase_rate_paise
     FROM stock_balances s JOIN batches b ON b.id = s.batch_id
     WHERE s.branch_id = $1 AND s.store_id = ANY($2::uuid[]) AND s.item_id = ANY($3::uuid[])
       AND ($4::date IS NULL OR (s.expiry < $4 AND s.on_hand > 0))
     ORDER BY s.store_id, s.batch_id
     FOR UPDATE OF s`,
    [branchId, storeIds, itemIds, where.expiredOn ?? null],
  );
  return rows.map((r) => ({
    storeId: r.store_id,
    batchId: r.batch_id,
    itemId: r.item_id,
    batchNo: r.batch_no,
    expiry: r.expiry,
    onHand: r.on_hand,
    mrpPaise: Number(r.mrp_paise),
    purchaseRatePaise: Number(r.purchase_rate_paise),
  }));
}

/** Advisory lock keys, one per (store, item), sorted and distinct: 64 bits of a SHA-256 under a pharmacy prefix. */
export function stockLockKeys(storeIds: readonly string[], itemIds: readonly string[]): string[] {
  const keys = new Set<bigint>();
  for (const store of storeIds) {
    for (const item of itemIds) {
      keys.add(BigInt.asIntN(64, BigInt('0x' + createHash('sha256').update(`hms-pharmacy-stock:${store.toLowerCase()}:${item.toLowerCase()}`).digest('hex').slice(0, 16))));
    }
  }
  return [...keys].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)).map(String);
}

/** A batch as the request names it. */
export interface BatchInfo {
  id: string;
  itemId: string;
  batchNo: string;
  expiry: string;
  itemName: string;
}

/**
 * The batches a request names (by `lines[i].batchId` or a given field), or a validation error naming
 * the first unknown one. Ids come back in the database's spelling (lower case).
 */
export async function loadBatches(tx: Tx, branchId: string, named: readonly { batchId: string; field: string }[]): Promise<Map<string, BatchInfo>> {
  const ids = [...new Set(named.map((n) => n.batchId.toLowerCase()))];
  const rows = await tx.query<{ id: string; item_id: string; batch_no: string; expiry: string; item_name: string }>(
    `SELECT b.id, b.item_id, b.batch_no, to_char(b.expiry, 'YYYY-MM-DD') AS expiry, i.generic_name AS item_name
     FROM batches b JOIN items i ON i.id = b.item_id WHERE b.branch_id = $1 AND b.id = ANY($2::uuid[])`,
    [branchId, ids],
  );
  const batches = new Map(rows.map((r) => [r.id, { id: r.id, itemId: r.item_id, batchNo: r.batch_no, expiry: r.expiry, itemName: r.item_name }]));
  const unknown = named.find((n) => !batches.has(n.batchId.toLowerCase()));
  if (unknown) throw new DomainError('validation', 'validation-failed', `${unknown.field} names no batch`, {}, [{ field: unknown.field, message: 'names no batch' }]);
  return batches;
}

/**
 * A store of the caller's branch that is still in use: a 404 for an unknown one, a 422 for a
 * deactivated one. The row is held FOR SHARE, so the store cannot be deactivated (which checks it
 * is empty) while this movement puts stock into it.
 */
export async function requireStore(tx: Tx, storeId: string, what = 'The store'): Promise<{ id: string; code: string }> {
  const store = await tx.maybeOne<{ id: string; code: string; retired: boolean }>('SELECT id, code, retired_at IS NOT NULL AS retired FROM stores WHERE id = $1 FOR SHARE', [storeId]);
  if (!store) throw new DomainError('not-found', 'store-not-found', `${what} was not found`);
  if (store.retired) throw new DomainError('unprocessable', 'store-inactive', `${what} (${store.code}) is deactivated: no stock moves in or out of it`);
  return { id: store.id, code: store.code };
}
