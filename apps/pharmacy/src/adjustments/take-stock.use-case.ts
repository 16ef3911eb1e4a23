import { Inject, Injectable } from '@nestjs/common';
import type { Caller } from '@hms/platform-auth';
import { Database, retryOnConflict } from '@hms/platform-persistence';
import { scopeOf } from '@hms/platform-service';
import { CLOCK, Clock } from '@hms/platform-time';
import { StockAdjustmentsRepository } from '../data/stock-adjustments.repository';
import type { BatchInfo } from '../data/stock.repository';
import { indianDate, stockTakeDifferences } from '../domain';
import { assertNamedOnce } from '../stock/stock-lookups';
import { StockCorrections, delta } from './stock-corrections';

export interface StockTakeInput {
  storeId: string;
  reason?: string;
  counts: { batchId: string; countedQuantity: number }[];
}

/**
 * A stock take: for each counted batch, counted minus on hand at that moment (under lock) becomes a
 * 'stock-take' ledger row. Returns every count with its difference, zero ones included.
 */
@Injectable()
export class TakeStockUseCase {
  constructor(
    private readonly db: Database,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly corrections: StockCorrections,
    private readonly adjustments: StockAdjustmentsRepository,
  ) {}

  execute(caller: Caller, input: StockTakeInput) {
    assertNamedOnce(
      input.counts.map((c) => c.batchId),
      'batch',
    );
    return retryOnConflict(() =>
      this.db.transaction(scopeOf(caller), async (tx) => {
        const today = indianDate(this.clock.now());
        const { store, batches, locked } = await this.corrections.lockNamedBatches(
          tx,
          caller.branchId,
          input.storeId,
          input.counts.map((c, i) => ({ batchId: c.batchId, field: `counts[${i}].batchId` })),
        );
        const counts = input.counts.map((c) => ({ batchId: c.batchId.toLowerCase(), countedQuantity: c.countedQuantity }));
        const differences = stockTakeDifferences(counts, new Map(locked.map((b) => [b.batchId, b.onHand])));
        const deltas = differences.filter((d) => d.difference !== 0).map((d) => delta(batches, d.batchId, d.difference));
        const result = await this.corrections.record(tx, caller, { storeId: store.id, kind: 'stock-take', reason: input.reason?.trim() || 'stock take', batches, locked, deltas, today });
        await this.adjustments.insertCounts(
          tx,
          caller.branchId,
          result.id,
          differences.map((d) => ({ batchId: d.batchId, itemId: (batches.get(d.batchId) as BatchInfo).itemId, onHand: d.onHand, counted: d.counted })),
        );
        return {
          ...result,
          counts: differences.map((d) => {
            const b = batches.get(d.batchId) as BatchInfo;
            return { itemId: b.itemId, itemName: b.itemName, batchId: d.batchId, batchNo: b.batchNo, expiry: b.expiry, onHand: d.onHand, counted: d.counted, difference: d.difference };
          }),
        };
      }),
    );
  }
}
