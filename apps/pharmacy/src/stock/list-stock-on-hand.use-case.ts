import { Inject, Injectable } from '@nestjs/common';
import type { Caller } from '@hms/platform-auth';
import { toPage, type PageRequest } from '@hms/platform-http';
import { Database } from '@hms/platform-persistence';
import { scopeOf } from '@hms/platform-service';
import { CLOCK, Clock } from '@hms/platform-time';
import { StockRepository } from '../data/stock.repository';
import { indianDate, isExpired } from '../domain';

/** Stock on hand per store, item and batch, straight from the balances the ledger keeps. */
@Injectable()
export class ListStockOnHandUseCase {
  constructor(
    private readonly db: Database,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly stock: StockRepository,
  ) {}

  async execute(caller: Caller, filter: { storeId?: string; itemId?: string }, page: PageRequest) {
    const today = indianDate(this.clock.now());
    const rows = await this.db.transaction(scopeOf(caller), (tx) => this.stock.onHand(tx, caller.branchId, filter, page.limit + 1, page.offset), { readOnly: true });
    return toPage(
      rows.map((r) => ({ ...r, expired: isExpired(r.expiry, today) })),
      page,
    );
  }
}
