import { Injectable } from '@nestjs/common';
import { IsNull } from 'typeorm';
import type { Tx } from '@hms/platform-persistence';
import { ReorderLevelEntity } from './reorder-level.entity';
import { StoreEntity } from './store.entity';

export type NewStore = Pick<StoreEntity, 'id' | 'branchId' | 'code' | 'name' | 'kind' | 'wardId' | 'minShelfLifeDays'>;
export type StoreColumns = Partial<Pick<StoreEntity, 'name' | 'minShelfLifeDays' | 'retiredAt'>>;

/** A store as a stock movement checks it. */
export interface StoreState {
  id: string;
  code: string;
  retired: boolean;
}

/** Stores (`stores`) and the reorder levels of items in them (`reorder_levels`). */
@Injectable()
export class StoresRepository {
  async insert(tx: Tx, store: NewStore): Promise<void> {
    await tx.manager.insert(StoreEntity, store);
  }

  find(tx: Tx, storeId: string): Promise<StoreEntity | null> {
    return tx.manager.findOneBy(StoreEntity, { id: storeId });
  }

  /** A page of the branch's stores by code (the deactivated ones too if asked); `limit` rows at most. */
  list(tx: Tx, includeInactive: boolean, limit: number, offset: number): Promise<StoreEntity[]> {
    const query = tx.manager.createQueryBuilder(StoreEntity, 's').orderBy('s.code').addOrderBy('s.id').limit(limit).offset(offset);
    return (includeInactive ? query : query.where('s.retiredAt IS NULL')).getMany();
  }

  /** The store's row, locked for a change until the transaction ends. */
  lockForChange(tx: Tx, storeId: string): Promise<{ version: number; code: string; retiredAt: Date | null } | null> {
    return tx.maybeOne<{ version: number; code: string; retiredAt: Date | null }>('SELECT version, code, retired_at AS "retiredAt" FROM stores WHERE id = $1 FOR UPDATE', [storeId]);
  }

  /**
   * The store as a movement into or out of it sees it; the row held FOR SHARE, so the store cannot
   * be deactivated (which checks it is empty) while stock moves.
   */
  shareLock(tx: Tx, storeId: string): Promise<(StoreState & { minShelfLifeDays: number }) | null> {
    return tx.maybeOne<StoreState & { minShelfLifeDays: number }>(
      'SELECT id, code, retired_at IS NOT NULL AS retired, min_shelf_life_days AS "minShelfLifeDays" FROM stores WHERE id = $1 FOR SHARE',
      [storeId],
    );
  }

  /** The store as a dispense checks it (no lock: a dispense takes stock out only). */
  state(tx: Tx, storeId: string): Promise<StoreState | null> {
    return tx.maybeOne<StoreState>('SELECT id, code, retired_at IS NOT NULL AS retired FROM stores WHERE id = $1', [storeId]);
  }

  /** Units on hand in the store and transfers in transit to or from it. */
  async contents(tx: Tx, storeId: string): Promise<{ onHand: number; inTransit: number }> {
    const row = await tx.one<{ on_hand: string; in_transit: string }>(
      `SELECT (SELECT coalesce(sum(on_hand), 0) FROM stock_balances WHERE store_id = $1) AS on_hand,
              (SELECT count(*) FROM transfers WHERE status = 'in-transit' AND (from_store_id = $1 OR to_store_id = $1)) AS in_transit`,
      [storeId],
    );
    return { onHand: Number(row.on_hand), inTransit: Number(row.in_transit) };
  }

  /** Sets the given columns and moves the version on. */
  async update(tx: Tx, storeId: string, columns: StoreColumns): Promise<void> {
    await tx.manager.update(StoreEntity, { id: storeId }, { ...columns, version: () => 'version + 1' });
  }

  async isInUse(tx: Tx, storeId: string): Promise<boolean> {
    return (await tx.manager.countBy(StoreEntity, { id: storeId, retiredAt: IsNull() })) > 0;
  }

  async upsertReorderLevel(tx: Tx, level: ReorderLevelEntity): Promise<void> {
    await tx.manager.upsert(ReorderLevelEntity, level, ['storeId', 'itemId']);
  }

  /** The reorder levels in the store of the given items, with each item's generic name. */
  reorderLevels(tx: Tx, storeId: string, itemIds: readonly string[]): Promise<{ itemId: string; reorderLevel: number; reorderQuantity: number; name: string }[]> {
    return tx.query(
      `SELECT r.item_id AS "itemId", r.reorder_level AS "reorderLevel", r.reorder_quantity AS "reorderQuantity", i.generic_name AS name
       FROM reorder_levels r JOIN items i ON i.id = r.item_id WHERE r.store_id = $1 AND r.item_id = ANY($2::uuid[])`,
      [storeId, itemIds],
    );
  }
}
