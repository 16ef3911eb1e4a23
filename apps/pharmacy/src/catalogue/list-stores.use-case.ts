import { Injectable } from '@nestjs/common';
import type { Caller } from '@hms/platform-auth';
import { toPage, type Page, type PageRequest } from '@hms/platform-http';
import { Database } from '@hms/platform-persistence';
import { StoresRepository } from '../data/stores.repository';
import { storeView, type StoreView } from './catalogue-rules';
import { scopeOf } from '@hms/platform-service';

/** The branch's stores by code, a page at a time; the deactivated ones only if asked. */
@Injectable()
export class ListStoresUseCase {
  constructor(
    private readonly db: Database,
    private readonly stores: StoresRepository,
  ) {}

  async execute(caller: Caller, filter: { includeInactive?: boolean }, page: PageRequest): Promise<Page<StoreView>> {
    const rows = await this.db.transaction(scopeOf(caller), (tx) => this.stores.list(tx, filter.includeInactive ?? false, page.limit + 1, page.offset), { readOnly: true });
    return toPage(rows.map(storeView), page);
  }
}
