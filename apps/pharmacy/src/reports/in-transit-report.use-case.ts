import { Injectable } from '@nestjs/common';
import type { Caller } from '@hms/platform-auth';
import { toPage, type PageRequest } from '@hms/platform-http';
import { Database } from '@hms/platform-persistence';
import { scopeOf } from '@hms/platform-service';
import { StockReportsRepository } from '../data/stock-reports.repository';
import { paise } from './report-rows';

/** Stock sent and not yet received, per transfer line, valued like stock on hand. */
@Injectable()
export class InTransitReportUseCase {
  constructor(
    private readonly db: Database,
    private readonly reports: StockReportsRepository,
  ) {}

  async execute(caller: Caller, filter: { storeId?: string }, page: PageRequest) {
    const rows = await this.db.transaction(scopeOf(caller), (tx) => this.reports.inTransit(tx, caller.branchId, filter.storeId, page.limit + 1, page.offset), { readOnly: true });
    return toPage(
      rows.map(({ purchaseValue, mrpValue, ...r }) => ({ ...r, sentAt: r.sentAt.toISOString(), purchaseValuePaise: paise(purchaseValue), mrpValuePaise: paise(mrpValue) })),
      page,
    );
  }
}
