import { Inject, Injectable } from '@nestjs/common';
import type { Caller } from '@hms/platform-auth';
import { toPage, type PageRequest } from '@hms/platform-http';
import { Database } from '@hms/platform-persistence';
import { scopeOf } from '@hms/platform-service';
import { CLOCK, Clock } from '@hms/platform-time';
import { StockReportsRepository } from '../data/stock-reports.repository';
import { addDays, indianDate } from '../domain';
import { batchStockLine } from './report-rows';

/**
 * Batches in stock, still usable today, whose expiry date is at most `days` days away: from
 * today (its last usable day) through today + days, both inclusive.
 */
@Injectable()
export class NearExpiryReportUseCase {
  constructor(
    private readonly db: Database,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly reports: StockReportsRepository,
  ) {}

  async execute(caller: Caller, filter: { storeId?: string; days: number }, page: PageRequest) {
    const today = indianDate(this.clock.now());
    const until = addDays(today, filter.days);
    const rows = await this.db.transaction(
      scopeOf(caller),
      (tx) => this.reports.batchStock(tx, caller.branchId, { storeId: filter.storeId, from: today, until, today }, page.limit + 1, page.offset),
      { readOnly: true },
    );
    return { ...toPage(rows.map(batchStockLine), page), today, until };
  }
}
