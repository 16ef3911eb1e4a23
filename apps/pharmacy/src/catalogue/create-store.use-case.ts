import { Inject, Injectable } from '@nestjs/common';
import type { Caller } from '@hms/platform-auth';
import { Database } from '@hms/platform-persistence';
import { ID_GENERATOR, type IdGenerator } from '@hms/platform-time';
import { StoresRepository } from '../data/stores.repository';
import { storeView, unique, type StoreView } from './catalogue-rules';
import { scopeOf } from '@hms/platform-service';
import { notFound, pharmacyError } from '../domain/errors';

export interface StoreInput {
  code: string;
  name: string;
  kind: string;
  wardId?: string;
  minShelfLifeDays?: number;
}

/** Adds a store: the main store, a pharmacy or a ward sub-store (which names its ward). */
@Injectable()
export class CreateStoreUseCase {
  constructor(
    private readonly db: Database,
    private readonly stores: StoresRepository,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
  ) {}

  async execute(caller: Caller, input: StoreInput): Promise<StoreView> {
    if (input.kind === 'ward' && !input.wardId) throw pharmacyError('validation', 'validation-failed', 'A ward sub-store names its ward (wardId)', {}, [{ field: 'wardId', message: 'is required for a ward store' }]);
    return unique(`A store with code ${input.code} exists already`, () =>
      this.db.transaction(scopeOf(caller), async (tx) => {
        const id = this.ids.next();
        await this.stores.insert(tx, { id, branchId: caller.branchId, code: input.code, name: input.name, kind: input.kind, wardId: input.wardId ?? null, minShelfLifeDays: input.minShelfLifeDays ?? 0 });
        const store = await this.stores.find(tx, id);
        if (!store) throw notFound('The store', 'store-not-found');
        return storeView(store);
      }),
    );
  }
}
