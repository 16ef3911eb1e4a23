import { Injectable } from '@nestjs/common';
import type { Tx } from '@hms/platform-persistence';
import { IsNull } from 'typeorm';
import { BedCategoryEntity } from './bed-categories.entity';
import { CategoryTariffEntity } from './category-tariffs.entity';

type NewCategory = Pick<BedCategoryEntity, 'id' | 'branchId' | 'code' | 'name' | 'isCriticalCare'>;

/** Bed categories and their dated tariffs. */
@Injectable()
export class BedCategoriesRepository {
  async insert(tx: Tx, c: NewCategory): Promise<void> {
    await tx.manager.insert(BedCategoryEntity, c);
  }

  /** Inserts the category unless the branch has one of that code. */
  async insertIfMissing(tx: Tx, c: NewCategory): Promise<void> {
    await tx.manager.createQueryBuilder().insert().into(BedCategoryEntity).values(c).orIgnore().updateEntity(false).execute();
  }

  /** Every category's id, by code. */
  /** The ids of the branch's categories by code: a page (`limit`, `offset`) or, without one, all (a branch has a few dozen at most). */
  async ids(tx: Tx, page?: { limit: number; offset: number }): Promise<string[]> {
    return (await tx.manager.find(BedCategoryEntity, { select: { id: true }, order: { code: 'ASC', id: 'ASC' }, take: page?.limit, skip: page?.offset })).map((c) => c.id);
  }

  find(tx: Tx, id: string): Promise<BedCategoryEntity> {
    return tx.manager.findOneOrFail(BedCategoryEntity, { where: { id } });
  }

  inService(tx: Tx, id: string): Promise<boolean> {
    return tx.manager.exists(BedCategoryEntity, { where: { id, retiredAt: IsNull() } });
  }

  /** Retires the category (once: a second retirement keeps the first date); false when there is none. */
  async retire(tx: Tx, id: string, at: Date): Promise<boolean> {
    const rows = await tx.query('UPDATE bed_categories SET retired_at = coalesce(retired_at, $2) WHERE id = $1 RETURNING id', [id, at]);
    return rows.length > 0;
  }

  /** The category's tariffs, oldest first. */
  tariffs(tx: Tx, categoryId: string): Promise<CategoryTariffEntity[]> {
    return tx.manager.find(CategoryTariffEntity, { where: { categoryId }, order: { effectiveFrom: 'ASC' } });
  }

  async insertTariff(tx: Tx, t: Pick<CategoryTariffEntity, 'id' | 'branchId' | 'categoryId' | 'effectiveFrom' | 'dailyRatePaise' | 'createdBy'>): Promise<void> {
    await tx.manager.insert(CategoryTariffEntity, t);
  }
}
