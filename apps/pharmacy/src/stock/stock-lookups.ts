import { Injectable } from '@nestjs/common';
import type { Tx } from '@hms/platform-persistence';
import { displayName } from '../catalogue/item-name';
import { ItemsRepository } from '../data/items.repository';
import { StockRepository, type BatchInfo, type LockedBalance } from '../data/stock.repository';
import { StoresRepository } from '../data/stores.repository';
import { pharmacyError } from '../domain/errors';

export interface ItemName {
  id: string;
  name: string;
}

/** Refuses a request that names one batch (or item) on two lines. */
export function assertNamedOnce(keys: readonly string[], what: string): void {
  const lower = keys.map((k) => k.toLowerCase());
  const twice = lower.findIndex((k, i) => lower.indexOf(k) !== i);
  if (twice >= 0) throw pharmacyError('validation', 'validation-failed', `Name each ${what} once`, {}, [{ field: `lines[${twice}]`, message: `names a ${what} named on an earlier line` }]);
}

/** What stock operations look up before they move stock: stores in use, and the items and batches a request names. */
@Injectable()
export class StockLookups {
  constructor(
    private readonly stores: StoresRepository,
    private readonly items: ItemsRepository,
    private readonly stock: StockRepository,
  ) {}

  /**
   * A store of the caller's branch that is still in use: a 404 for an unknown one, a 422 for a
   * deactivated one. The row is held FOR SHARE, so the store cannot be deactivated (which checks it
   * is empty) while this movement puts stock into it.
   */
  async requireStore(tx: Tx, storeId: string, what = 'The store'): Promise<{ id: string; code: string }> {
    const store = await this.stores.shareLock(tx, storeId);
    if (!store) throw pharmacyError('not-found', 'store-not-found', `${what} was not found`);
    if (store.retired) throw pharmacyError('unprocessable', 'store-inactive', `${what} (${store.code}) is deactivated: no stock moves in or out of it`);
    return { id: store.id, code: store.code };
  }

  /**
   * The items a request names by `lines[i].itemId`, in use and of the caller's branch, or a
   * validation error naming the first unknown one. Ids come back in the database's spelling.
   */
  async namedItems(tx: Tx, branchId: string, named: readonly { itemId: string; field: string }[]): Promise<Map<string, ItemName>> {
    const rows = await this.items.inUse(tx, branchId, [...new Set(named.map((n) => n.itemId.toLowerCase()))]);
    const items = new Map(rows.map((r) => [r.id, { id: r.id, name: displayName(r) }]));
    const unknown = named.find((n) => !items.has(n.itemId.toLowerCase()));
    if (unknown) throw pharmacyError('validation', 'validation-failed', `${unknown.field} names no item`, {}, [{ field: unknown.field, message: 'names no item' }]);
    return items;
  }

  /**
   * The batches a request names (by `lines[i].batchId` or a given field), or a validation error naming
   * the first unknown one. Ids come back in the database's spelling (lower case).
   */
  async namedBatches(tx: Tx, branchId: string, named: readonly { batchId: string; field: string }[]): Promise<Map<string, BatchInfo>> {
    const rows = await this.stock.batches(tx, branchId, [...new Set(named.map((n) => n.batchId.toLowerCase()))]);
    const batches = new Map(rows.map((r) => [r.id, r]));
    const unknown = named.find((n) => !batches.has(n.batchId.toLowerCase()));
    if (unknown) throw pharmacyError('validation', 'validation-failed', `${unknown.field} names no batch`, {}, [{ field: unknown.field, message: 'names no batch' }]);
    return batches;
  }

  /**
   * Every balance row, in the store, of the items the batches belong to, locked in the
   * repository's order: what a movement of those batches checks and changes, and the rows it
   * creates are covered by the same (store, item) locks.
   */
  lockItemBalances(tx: Tx, branchId: string, storeId: string, batches: Map<string, BatchInfo>): Promise<LockedBalance[]> {
    return this.stock.lockBalances(tx, branchId, { storeIds: [storeId], itemIds: [...new Set([...batches.values()].map((b) => b.itemId))] });
  }
}
