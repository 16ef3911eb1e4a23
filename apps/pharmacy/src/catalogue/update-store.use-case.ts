import { Inject, Injectable } from '@nestjs/common';
import type { Caller } from '@hms/platform-auth';
import { Database } from '@hms/platform-persistence';
import { CLOCK, Clock } from '@hms/platform-time';
import { StoresRepository } from '../data/stores.repository';
import { assertChanges, assertVersion, retiredAfter, storeView, type StoreView } from './catalogue-rules';
import { scopeOf } from '@hms/platform-service';
import { conflict, notFound } from '../domain/errors';

export interface StoreChanges {
  name?: string;
  minShelfLifeDays?: number;
  active?: boolean;
}

/**
 * Changes a store the client saw at `expectedVersion`. A store is deactivated only when empty:
 * nothing on hand and nothing in transit to or from it (409 otherwise), so no stock is stranded.
 */
@Injectable()
export class UpdateStoreUseCase {
  constructor(
    private readonly db: Database,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly stores: StoresRepository,
  ) {}

  async execute(caller: Caller, storeId: string, expectedVersion: number, changes: StoreChanges): Promise<StoreView> {
    assertChanges(changes);
    return this.db.transaction(scopeOf(caller), async (tx) => {
      const current = await this.stores.lockForChange(tx, storeId);
      if (!current) throw notFound('The store', 'store-not-found');
      assertVersion('store', current.version, expectedVersion);
      if (changes.active === false && current.retiredAt === null) {
        const left = await this.stores.contents(tx, storeId);
        if (left.onHand > 0 || left.inTransit > 0) {
          throw conflict(
            'store-not-empty',
            `Store ${current.code} holds ${left.onHand} unit(s) and has ${left.inTransit} transfer(s) in transit: transfer, return or write off its stock before deactivating it`,
            { onHand: left.onHand, transfersInTransit: left.inTransit },
          );
        }
      }
      await this.stores.update(tx, storeId, {
        ...(changes.name !== undefined ? { name: changes.name } : {}),
        ...(changes.minShelfLifeDays !== undefined ? { minShelfLifeDays: changes.minShelfLifeDays } : {}),
        ...retiredAfter(changes.active, current.retiredAt, this.clock.now()),
      });
      const store = await this.stores.find(tx, storeId);
      if (!store) throw notFound('The store', 'store-not-found');
      return storeView(store);
    });
  }
}
