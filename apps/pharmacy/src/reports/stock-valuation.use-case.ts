import { Inject, Injectable } from '@nestjs/common';
import type { Caller } from '@hms/platform-auth';
import { Database } from '@hms/platform-persistence';
import { scopeOf } from '@hms/platform-service';
import { CLOCK, Clock } from '@hms/platform-time';
import { StockReportsRepository } from '../data/stock-reports.repository';
import { indianDate } from '../domain';
import { paise } from './report-rows';

/**
 * On-hand stock valued at purchase rate and at MRP per store, in paise, with the expired part
 * (expiry date before today) shown separately (it is in the totals: it is still stock until
 * written off or returned).
 */
@Injectable()
export class StockValuationUseCase {
  constructor(
    private readonly db: Database,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly reports: StockReportsRepository,
  ) {}

  async execute(caller: Caller, filter: { storeId?: string }) {
    const today = indianDate(this.clock.now());
    const rows = await this.db.transaction(scopeOf(caller), (tx) => this.reports.valuation(tx, caller.branchId, filter.storeId, today), { readOnly: true });
    const stores = rows.map((r) => ({
      storeId: r.storeId,
      storeCode: r.storeCode,
      units: Number(r.units),
      purchaseValuePaise: paise(r.purchase),
      mrpValuePaise: paise(r.mrp),
      expired: { units: Number(r.expiredUnits), purchaseValuePaise: paise(r.expiredPurchase), mrpValuePaise: paise(r.expiredMrp) },
    }));
    const sum = (pick: (s: (typeof stores)[number]) => number) => stores.reduce((n, s) => n + pick(s), 0);
    return {
      asOf: today,
      stores,
      totals: {
        units: sum((s) => s.units),
        purchaseValuePaise: sum((s) => s.purchaseValuePaise),
        mrpValuePaise: sum((s) => s.mrpValuePaise),
        expired: { units: sum((s) => s.expired.units), purchaseValuePaise: sum((s) => s.expired.purchaseValuePaise), mrpValuePaise: sum((s) => s.expired.mrpValuePaise) },
      },
    };
  }
}
