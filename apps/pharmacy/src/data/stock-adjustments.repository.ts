import { Injectable } from '@nestjs/common';
import type { Tx } from '@hms/platform-persistence';
import { StockAdjustmentEntity } from './stock-adjustment.entity';

/** Adjustments, stock takes and expiry write-offs (`stock_adjustments`) and a stock take's counts (`stock_take_counts`). */
@Injectable()
export class StockAdjustmentsRepository {
  async insert(tx: Tx, adjustment: StockAdjustmentEntity): Promise<void> {
    await tx.manager.insert(StockAdjustmentEntity, adjustment);
  }

  /** Every count of a stock take in one statement. */
  async insertCounts(tx: Tx, branchId: string, stockTakeId: string, counts: readonly { batchId: string; itemId: string; onHand: number; counted: number }[]): Promise<void> {
    await tx.query(
      `INSERT INTO stock_take_counts (stock_take_id, batch_id, branch_id, item_id, on_hand, counted)
       SELECT $1, c.batch_id, $2, c.item_id, c.on_hand, c.counted FROM jsonb_to_recordset($3::jsonb) AS c(batch_id uuid, item_id uuid, on_hand int, counted int)`,
      [stockTakeId, branchId, JSON.stringify(counts.map((c) => ({ batch_id: c.batchId, item_id: c.itemId, on_hand: c.onHand, counted: c.counted })))],
    );
  }
}
