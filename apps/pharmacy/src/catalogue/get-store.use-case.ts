import { Injectable } from '@nestjs/common';
import type { Caller } from '@hms/platform-auth';
import { Database } from '@hms/platform-persistence';
import { StoresRepository } from '../data/stores.repository';
import { storeView, type StoreView } from './catalogue-rules';
import { scopeOf } from '@hms/platform-service';
import { notFound } from '../domain/errors';

/** One store; its version is the ETag. */
@Injectable()
export class GetStoreUseCase {
  constructor(
    private readonly db: Database,
    private readonly stores: StoresRepository,
  ) {}

  execute(caller: Caller, storeId: string): Promise<StoreView> {
    return this.db.transaction(
      scopeOf(caller),
      async (tx) => {
        const store = await this.stores.find(tx, storeId);
        if (!store) throw notFound('The store', 'store-not-found');
        return storeView(store);
      },
      { readOnly: true },
    );
  }
}
