import { Injectable } from '@nestjs/common';
import { In, IsNull } from 'typeorm';
import type { Tx } from '@hms/platform-persistence';
import { ItemGstRateEntity } from './item-gst-rate.entity';
import { ItemEntity } from './item.entity';

export type NewItem = Pick<ItemEntity, 'id' | 'branchId' | 'code' | 'kind' | 'genericName' | 'brandName' | 'form' | 'strength' | 'unit' | 'packSize' | 'hsn' | 'schedule'>;
export type NewGstRate = Pick<ItemGstRateEntity, 'id' | 'branchId' | 'itemId' | 'effectiveFrom' | 'rateBp'>;
/** Columns a change of an item sets (absent: unchanged). */
export type ItemColumns = Partial<Pick<ItemEntity, 'kind' | 'genericName' | 'brandName' | 'form' | 'strength' | 'unit' | 'packSize' | 'hsn' | 'schedule' | 'retiredAt'>>;

/** An item as a dispense needs it: its name parts, HSN, schedule and the GST rate in force on the day. */
export interface DispensableItem {
  id: string;
  code: string;
  genericName: string;
  brandName: string | null;
  strength: string | null;
  hsn: string;
  schedule: string;
  retired: boolean;
  rateBp: number | null;
}

/** An item's name parts, for naming it in answers and problems. */
export type ItemNameParts = Pick<ItemEntity, 'id' | 'genericName' | 'brandName' | 'strength'>;

/** The item master (`items`) and each item's GST rate history (`item_gst_rates`). */
@Injectable()
export class ItemsRepository {
  async insert(tx: Tx, item: NewItem): Promise<void> {
    await tx.manager.insert(ItemEntity, item);
  }

  async insertGstRate(tx: Tx, rate: NewGstRate): Promise<void> {
    await tx.manager.insert(ItemGstRateEntity, rate);
  }

  /** A new version of the item (its rate history is part of it); false if there is no such item. */
  async bumpVersion(tx: Tx, itemId: string): Promise<boolean> {
    const result = await tx.manager.increment(ItemEntity, { id: itemId }, 'version', 1);
    return (result.affected ?? 0) > 0;
  }

  find(tx: Tx, itemId: string): Promise<ItemEntity | null> {
    return tx.manager.findOneBy(ItemEntity, { id: itemId });
  }

  /** The item's GST rates, oldest first. */
  gstRates(tx: Tx, itemId: string): Promise<ItemGstRateEntity[]> {
    return tx.manager.find(ItemGstRateEntity, { where: { itemId }, order: { effectiveFrom: 'ASC' } });
  }

  /** Ids of a page of items by code, or the start of a generic or brand name, ordered by name. */
  async listIds(tx: Tx, branchId: string, filter: { q?: string; includeInactive: boolean }, limit: number, offset: number): Promise<string[]> {
    const rows = await tx.query<{ id: string }>(
      `SELECT id FROM items WHERE branch_id = $1 AND ($6 OR retired_at IS NULL)
         AND ($2::text IS NULL OR code = upper($5) OR lower(generic_name) LIKE lower($2) || '%' OR lower(brand_name) LIKE lower($2) || '%')
       ORDER BY generic_name, code LIMIT $3 OFFSET $4`,
      // $2 is escaped for LIKE; the exact code match takes q as typed (codes may hold `_`).
      [branchId, filter.q?.replace(/[%_\\]/g, '\\$&') ?? null, limit, offset, filter.q ?? null, filter.includeInactive],
    );
    return rows.map((r) => r.id);
  }

  /** The item's row, locked for a change until the transaction ends. */
  lockForChange(tx: Tx, itemId: string): Promise<{ version: number; retiredAt: Date | null } | null> {
    return tx.maybeOne<{ version: number; retiredAt: Date | null }>('SELECT version, retired_at AS "retiredAt" FROM items WHERE id = $1 FOR UPDATE', [itemId]);
  }

  /** Sets the given columns and moves the version on. */
  async update(tx: Tx, itemId: string, columns: ItemColumns): Promise<void> {
    await tx.manager.update(ItemEntity, { id: itemId }, { ...columns, version: () => 'version + 1' });
  }

  async exists(tx: Tx, itemId: string): Promise<boolean> {
    return tx.manager.existsBy(ItemEntity, { id: itemId });
  }

  /** An item for a dispense, with the GST rate in force on `day` (null if none). */
  forDispense(tx: Tx, itemId: string, day: string): Promise<DispensableItem | null> {
    return tx.maybeOne<DispensableItem>(
      `SELECT i.id, i.code, i.generic_name AS "genericName", i.brand_name AS "brandName", i.strength, i.hsn, i.schedule, i.retired_at IS NOT NULL AS retired,
              (SELECT r.rate_bp FROM item_gst_rates r WHERE r.item_id = i.id AND r.effective_from <= $2 ORDER BY r.effective_from DESC LIMIT 1) AS "rateBp"
       FROM items i WHERE i.id = $1`,
      [itemId, day],
    );
  }

  /** Generic name and whether it is deactivated, for a receipt line. */
  async receivable(tx: Tx, itemId: string): Promise<{ genericName: string; retired: boolean } | null> {
    const item = await tx.manager.findOne(ItemEntity, { select: { id: true, genericName: true, retiredAt: true }, where: { id: itemId } });
    return item && { genericName: item.genericName, retired: item.retiredAt !== null };
  }

  /** The items of the branch still in use among `ids`. */
  inUse(tx: Tx, branchId: string, ids: readonly string[]): Promise<ItemNameParts[]> {
    return tx.manager.find(ItemEntity, { select: { id: true, genericName: true, brandName: true, strength: true }, where: { branchId, id: In([...ids]), retiredAt: IsNull() } });
  }
}
