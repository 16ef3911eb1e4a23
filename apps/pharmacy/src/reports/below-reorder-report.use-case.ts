import { Inject, Injectable } from '@nestjs/common';
import type { Caller } from '@hms/platform-auth';
import { toPage, type PageRequest } from '@hms/platform-http';
import { Database } from '@hms/platform-persistence';
import { scopeOf } from '@hms/platform-service';
import { CLOCK, Clock } from '@hms/platform-time';
import { StockReportsRepository } from '../data/stock-reports.repository';
import { indianDate } from '../domain';

/** Items whose usable stock (expiring today or later) in a store is below its reorder level, with what is on its way. */
@Injectable()
export class BelowReorderReportUseCase {
  constructor(
    private readonly db: Database,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly reports: StockReportsRepository,
  ) {}

  async execute(caller: Caller, filter: { storeId?: string }, page: PageRequest) {
    const today = indianDate(this.clock.now());
    const rows = await this.db.transaction(scopeOf(caller), (tx) => this.reports.belowReorder(tx, caller.branchId, today, filter.storeId, page.limit + 1, page.offset), {
      readOnly: true,
    });
    return toPage(
      rows.map((r) => ({
        storeId: r.storeId,
        storeCode: r.storeCode,
        itemId: r.itemId,
        itemCode: r.itemCode,
        genericName: r.genericName,
        usableOnHand: Number(r.usable),
        reorderLevel: r.reorderLevel,
        reorderQuantity: r.reorderQuantity,
        shortBy: r.reorderLevel - Number(r.usable),
        inTransit: Number(r.inTransit),
      })),
      page,
    );
  }
}
