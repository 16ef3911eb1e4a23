import { Inject, Injectable } from '@nestjs/common';
import type { Caller } from '@hms/platform-auth';
import { Database, retryOnConflict } from '@hms/platform-persistence';
import { scopeOf } from '@hms/platform-service';
import { CLOCK, Clock } from '@hms/platform-time';
import { StockRepository } from '../data/stock.repository';
import { indianDate } from '../domain';
import { StockLookups } from '../stock/stock-lookups';
import { StockCorrections } from './stock-corrections';

/** Writes off the whole on-hand of every expired batch in the store (expiry date before today: a batch is usable through it). */
@Injectable()
export class WriteOffExpiredUseCase {
  constructor(
    private readonly db: Database,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly stock: StockRepository,
    private readonly lookups: StockLookups,
    private readonly corrections: StockCorrections,
  ) {}

  execute(caller: Caller, input: { storeId: string; reason?: string }) {
    return retryOnConflict(() =>
      this.db.transaction(scopeOf(caller), async (tx) => {
        const now = this.clock.now();
        const today = indianDate(now);
        const store = await this.lookups.requireStore(tx, input.storeId);
        const expired = await this.stock.lockBalances(tx, caller.branchId, { storeIds: [store.id], expiredOn: today });
        if (!expired.length) return { id: null, storeId: store.id, kind: 'expiry-write-off' as const, reason: null, at: now.toISOString(), lines: [], writtenOffPurchaseValuePaise: 0 };
        const batches = await this.lookups.namedBatches(
          tx,
          caller.branchId,
          expired.map((b) => ({ batchId: b.batchId, field: 'batchId' })),
        );
        const deltas = expired.map((b) => ({ itemId: b.itemId, batchId: b.batchId, expiry: b.expiry, quantity: -b.onHand }));
        const result = await this.corrections.record(tx, caller, { storeId: store.id, kind: 'expiry-write-off', reason: input.reason?.trim() || 'expired', batches, locked: expired, deltas, today });
        return { ...result, writtenOffPurchaseValuePaise: expired.reduce((n, b) => n + b.onHand * b.purchaseRatePaise, 0) };
      }),
    );
  }
}
