import { Inject, Injectable } from '@nestjs/common';
import type { Caller } from '@hms/platform-auth';
import { Database, retryOnConflict } from '@hms/platform-persistence';
import { scopeOf } from '@hms/platform-service';
import { CLOCK, Clock } from '@hms/platform-time';
import type { BatchInfo } from '../data/stock.repository';
import { firstShortfall, indianDate } from '../domain';
import { assertNamedOnce } from '../stock/stock-lookups';
import { StockCorrections, delta } from './stock-corrections';
import { conflict } from '../domain/errors';

export interface AdjustmentInput {
  storeId: string;
  reason: string;
  /** Signed: a positive quantity adds stock (found), a negative one takes it away (damaged, lost). */
  lines: { batchId: string; quantity: number }[];
}

/** Corrects stock per batch with a reason (signed quantities; never below zero). */
@Injectable()
export class AdjustStockUseCase {
  constructor(
    private readonly db: Database,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly corrections: StockCorrections,
  ) {}

  execute(caller: Caller, input: AdjustmentInput) {
    assertNamedOnce(
      input.lines.map((l) => l.batchId),
      'batch',
    );
    return retryOnConflict(() =>
      this.db.transaction(scopeOf(caller), async (tx) => {
        const today = indianDate(this.clock.now());
        const { store, batches, locked } = await this.corrections.lockNamedBatches(
          tx,
          caller.branchId,
          input.storeId,
          input.lines.map((l, i) => ({ batchId: l.batchId, field: `lines[${i}].batchId` })),
        );
        const deltas = input.lines.map((l) => delta(batches, l.batchId, l.quantity));
        const short = firstShortfall(locked, deltas);
        if (short) {
          const batch = batches.get(short.batchId) as BatchInfo;
          throw conflict('insufficient-stock', `Store ${store.code} has ${short.available} unit(s) of ${batch.itemName} batch ${batch.batchNo}; ${-short.change} cannot be taken away`, {
            available: short.available,
          });
        }
        return this.corrections.record(tx, caller, { storeId: store.id, kind: 'adjustment', reason: input.reason.trim(), batches, locked, deltas, today });
      }),
    );
  }
}
