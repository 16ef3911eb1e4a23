import { Inject, Injectable } from '@nestjs/common';
import type { Caller } from '@hms/platform-auth';
import { Database } from '@hms/platform-persistence';
import { CLOCK, Clock } from '@hms/platform-time';
import { indianDate, isExpired } from '../domain';

/** Stock on hand per store, item and batch, straight from the balances the ledger keeps. */
@Injectable()
export class StockQueryService {
  constructor(
    private readonly db: Database,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async onHand(caller: Caller, filter: { storeId?: string; itemId?: string }, limit: number, offset: number) {
    const today = indianDate(this.clock.now());
    const rows = await this.db.transaction(
      { branchId: caller.branchId },
      (tx) =>
        tx.query<{ store_id: string; store_code: string; item_id: string; item_code: string; generic_name: string; batch_id: string; batch_no: string; expiry: string; on_hand: number; mrp_paise: string; purchase_rate_paise: string }>(
          `SELECT s.store_id, st.code AS store_code, s.item_id, i.code AS item_code, i.generic_name, s.batch_id, b.batch_no,
                  to_char(s.expiry, 'YYYY-MM-DD') AS expiry, s.on_hand, b.mrp_paise, b.purchase_rate_paise
           FROM stock_balances s JOIN stores st ON st.id = s.store_id JOIN items i ON i.id = s.item_id JOIN batches b ON b.id = s.batch_id
           WHERE s.branch_id = $1 AND s.on_hand > 0 AND ($2::uuid IS NULL OR s.store_id = $2) AND ($3::uuid IS NULL OR s.item_id = $3)
           ORDER BY ${filter.storeId ? '' : 'st.code, '}i.generic_name, i.id, s.expiry, b.batch_no LIMIT $4 OFFSET $5`,
          [caller.branchId, filter.storeId ?? null, filter.itemId ?? null, limit + 1, offset],
        ),
      { readOnly: true },
    );
    const more = rows.length > limit;
    return {
      items: rows.slice(0, limit).map((r) => ({
        storeId: r.store_id,
        storeCode: r.store_code,
        itemId: r.item_id,
        itemCode: r.item_code,
        genericName: r.generic_name,
        batchId: r.batch_id,
        batchNo: r.batch_no,
        expiry: r.expiry,
        expired: isExpired(r.expiry, today),
        onHand: r.on_hand,
        mrpPaise: Number(r.mrp_paise),
        purchaseRatePaise: Number(r.purchase_rate_paise),
      })),
      limit,
      offset,
      nextOffset: more ? offset + limit : null,
    };
  }
}
