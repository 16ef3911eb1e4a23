import { Injectable } from '@nestjs/common';
import type { Caller } from '@hms/platform-auth';
import { Database } from '@hms/platform-persistence';
import { ItemsRepository } from '../data/items.repository';
import { StoresRepository } from '../data/stores.repository';
import { scopeOf } from '@hms/platform-service';
import { notFound } from '../domain/errors';

/** Sets the level below which an item's usable stock in a store raises ReorderNeeded, and how much to order. */
@Injectable()
export class SetReorderLevelUseCase {
  constructor(
    private readonly db: Database,
    private readonly stores: StoresRepository,
    private readonly items: ItemsRepository,
  ) {}

  execute(caller: Caller, storeId: string, itemId: string, reorderLevel: number, reorderQuantity: number) {
    return this.db.transaction(scopeOf(caller), async (tx) => {
      if (!(await this.stores.isInUse(tx, storeId))) throw notFound('The store', 'store-not-found');
      if (!(await this.items.exists(tx, itemId))) throw notFound('The item', 'item-not-found');
      await this.stores.upsertReorderLevel(tx, { storeId, itemId, branchId: caller.branchId, reorderLevel, reorderQuantity });
      return { storeId, itemId, reorderLevel, reorderQuantity };
    });
  }
}
