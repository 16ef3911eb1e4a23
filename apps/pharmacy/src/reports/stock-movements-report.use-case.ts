import { Injectable } from '@nestjs/common';
import type { Caller } from '@hms/platform-auth';
import { toPage, type PageRequest } from '@hms/platform-http';
import { Database } from '@hms/platform-persistence';
import { scopeOf } from '@hms/platform-service';
import { indianDayRange } from '@hms/platform-time';
import { StockReportsRepository } from '../data/stock-reports.repository';

/** Ledger rows of an item or of a batch, oldest first, between two dates (India, inclusive). */
@Injectable()
export class StockMovementsReportUseCase {
  constructor(
    private readonly db: Database,
    private readonly reports: StockReportsRepository,
  ) {}

  async execute(caller: Caller, filter: { itemId?: string; batchId?: string; storeId?: string; from?: string; to?: string }, page: PageRequest) {
    // Either end may be open; each given date counts whole (India, inclusive).
    const start = filter.from ? indianDayRange(filter.from).start : null;
    const end = filter.to ? indianDayRange(filter.to).end : null;
    const rows = await this.db.transaction(
      scopeOf(caller),
      (tx) => this.reports.movements(tx, caller.branchId, { itemId: filter.itemId, batchId: filter.batchId, storeId: filter.storeId, start, end }, page.limit + 1, page.offset),
      { readOnly: true },
    );
    return toPage(
      rows.map((r) => ({ ...r, id: Number(r.id), at: r.at.toISOString() })),
      page,
    );
  }
}
