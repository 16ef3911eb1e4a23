import { Inject, Injectable } from '@nestjs/common';
import { StockAdjusted, type StockAdjustedData } from '@hms/contracts-pharmacy';
import type { Caller } from '@hms/platform-auth';
import { Outbox } from '@hms/platform-messaging';
import { type Tx } from '@hms/platform-persistence';
import { CLOCK, Clock, ID_GENERATOR, type IdGenerator } from '@hms/platform-time';
import { StockAdjustmentsRepository } from '../data/stock-adjustments.repository';
import { StockRepository, type BatchInfo, type LockedBalance, type Movement } from '../data/stock.repository';
import { usableDrops, type StockDelta } from '../domain';
import { ReorderAlerts } from '../stock/reorder-alerts';
import { callerMeta } from '@hms/platform-service';
import { StockLookups } from '../stock/stock-lookups';

export type AdjustmentKind = StockAdjustedData['kind'];

export interface AdjustedLine {
  itemId: string;
  itemName: string;
  batchId: string;
  batchNo: string;
  expiry: string;
  quantity: number;
  onHand: number;
}

export function delta(batches: Map<string, BatchInfo>, batchId: string, quantity: number): StockDelta {
  const b = batches.get(batchId.toLowerCase()) as BatchInfo;
  return { itemId: b.itemId, batchId: b.id, expiry: b.expiry, quantity };
}

/**
 * What every stock correction (adjustment, expiry write-off, stock take) records: a header row (who,
 * where, why), the ledger rows, StockAdjusted when anything moved, and ReorderNeeded where usable
 * stock falls below the level. Used inside the correcting use case's transaction.
 */
@Injectable()
export class StockCorrections {
  constructor(
    private readonly outbox: Outbox,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly stock: StockRepository,
    private readonly adjustments: StockAdjustmentsRepository,
    private readonly reorderAlerts: ReorderAlerts,
    private readonly lookups: StockLookups,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
  ) {}

  /**
   * What a correction of the named batches starts from: the store (in use), the batches (each
   * named once, as `field` says where), and every balance row of their items in the store, locked.
   */
  async lockNamedBatches(tx: Tx, branchId: string, storeId: string, named: { batchId: string; field: string }[]) {
    const store = await this.lookups.requireStore(tx, storeId);
    const batches = await this.lookups.namedBatches(tx, branchId, named);
    const locked = await this.lookups.lockItemBalances(tx, branchId, store.id, batches);
    return { store, batches, locked };
  }

  async record(
    tx: Tx,
    caller: Caller,
    c: { storeId: string; kind: AdjustmentKind; reason: string; batches: Map<string, BatchInfo>; locked: LockedBalance[]; deltas: StockDelta[]; today: string },
  ) {
    const id = this.ids.next();
    const at = this.clock.now();
    await this.adjustments.insert(tx, { id, branchId: caller.branchId, storeId: c.storeId, kind: c.kind, reason: c.reason, at, createdBy: caller.userId });
    const movement: Movement = c.kind;
    await this.stock.recordMovements(
      tx,
      caller.branchId,
      caller.userId,
      c.deltas.map((d) => ({ ...d, storeId: c.storeId, movement, referenceType: 'stock-adjustment', referenceId: id, reason: c.reason })),
    );
    const lines: AdjustedLine[] = c.deltas.map((d) => {
      const b = c.batches.get(d.batchId) as BatchInfo;
      const had = c.locked.find((l) => l.batchId === d.batchId)?.onHand ?? 0;
      return { itemId: d.itemId, itemName: b.itemName, batchId: d.batchId, batchNo: b.batchNo, expiry: b.expiry, quantity: d.quantity, onHand: had + d.quantity };
    });
    const meta = callerMeta(caller);
    if (lines.length) {
      await this.outbox.append(
        tx,
        StockAdjusted,
        { adjustmentId: id, storeId: c.storeId, reason: c.reason, kind: c.kind, lines: lines.map((l) => ({ itemId: l.itemId, batchId: l.batchId, batchNo: l.batchNo, quantity: l.quantity })) },
        { ...meta, key: id },
      );
    }
    await this.reorderAlerts.raise(tx, c.storeId, usableDrops(c.locked, c.deltas, c.today), meta);
    return { id, storeId: c.storeId, kind: c.kind, reason: c.reason, at: at.toISOString(), lines };
  }
}
