import { Inject, Injectable } from '@nestjs/common';
import { conflict } from '@hms/contracts-common';
import { StockAdjusted, type StockAdjustedData } from '@hms/contracts-pharmacy';
import type { Caller } from '@hms/platform-auth';
import { Outbox } from '@hms/platform-messaging';
import { Database, retryOnConflict, uuidv7, type Tx } from '@hms/platform-persistence';
import { CLOCK, Clock } from '@hms/platform-time';
import { firstShortfall, indianDate, stockTakeDifferences, usableDrops, type StockDelta } from '../domain';
import { recordMovements, type Movement } from '../stock/ledger';
import { eventMeta, raiseReorderAlerts } from '../stock/stock-events';
import { assertNamedOnce } from '../stock/stock-items';
import { loadBatches, lockBalances, requireStore, type BatchInfo, type LockedBalance } from '../stock/stock-locks';

type AdjustmentKind = StockAdjustedData['kind'];

export interface AdjustmentInput {
  storeId: string;
  reason: string;
  /** Signed: a positive quantity adds stock (found), a negative one takes it away (damaged, lost). */
  lines: { batchId: string; quantity: number }[];
}

export interface StockTakeInput {
  storeId: string;
  reason?: string;
  counts: { batchId: string; countedQuantity: number }[];
}

export interface AdjustedLine {
  itemId: string;
  itemName: string;
  batchId: string;
  batchNo: string;
  expiry: string;
  quantity: number;
  onHand: number;
}

/**
 * Stock corrections that are not receipts, issues or returns: adjustments with a reason, the
 * write-off of expired batches, and stock takes. Each is a header row (who, where, why) plus ledger
 * rows, a StockAdjusted event, and ReorderNeeded where usable stock falls below the level.
 */
@Injectable()
export class AdjustmentsService {
  constructor(
    private readonly db: Database,
    private readonly outbox: Outbox,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async adjust(caller: Caller, input: AdjustmentInput) {
    assertNamedOnce(
      input.lines.map((l) => l.batchId),
      'batch',
    );
    return retryOnConflict(() =>
      this.db.transaction({ branchId: caller.branchId }, async (tx) => {
        const today = indianDate(this.clock.now());
        const store = await requireStore(tx, input.storeId);
        const batches = await loadBatches(
          tx,
          caller.branchId,
          input.lines.map((l, i) => ({ batchId: l.batchId, field: `lines[${i}].batchId` })),
        );
        const locked = await lockItemsOf(tx, caller.branchId, store.id, batches);
        const deltas = input.lines.map((l) => delta(batches, l.batchId, l.quantity));
        const short = firstShortfall(locked, deltas);
        if (short) {
          const batch = batches.get(short.batchId) as BatchInfo;
          throw conflict('insufficient-stock', `Store ${store.code} has ${short.available} unit(s) of ${batch.itemName} batch ${batch.batchNo}; ${-short.change} cannot be taken away`, {
            available: short.available,
          });
        }
        return this.record(tx, caller, { storeId: store.id, kind: 'adjustment', reason: input.reason.trim(), batches, locked, deltas, today });
      }),
    );
  }

  /** Writes off the whole on-hand of every expired batch in the store (expiry date before today: a batch is usable through it). */
  async writeOffExpired(caller: Caller, input: { storeId: string; reason?: string }) {
    return retryOnConflict(() =>
      this.db.transaction({ branchId: caller.branchId }, async (tx) => {
        const now = this.clock.now();
        const today = indianDate(now);
        const store = await requireStore(tx, input.storeId);
        const expired = await lockBalances(tx, caller.branchId, { storeIds: [store.id], expiredOn: today });
        if (!expired.length) return { id: null, storeId: store.id, kind: 'expiry-write-off' as const, reason: null, at: now.toISOString(), lines: [], writtenOffPurchaseValuePaise: 0 };
        const batches = await loadBatches(
          tx,
          caller.branchId,
          expired.map((b) => ({ batchId: b.batchId, field: 'batchId' })),
        );
        const deltas = expired.map((b) => ({ itemId: b.itemId, batchId: b.batchId, expiry: b.expiry, quantity: -b.onHand }));
        const result = await this.record(tx, caller, { storeId: store.id, kind: 'expiry-write-off', reason: input.reason?.trim() || 'expired', batches, locked: expired, deltas, today });
        return { ...result, writtenOffPurchaseValuePaise: expired.reduce((n, b) => n + b.onHand * b.purchaseRatePaise, 0) };
      }),
    );
  }

  /**
   * A stock take: for each counted batch, counted minus on hand at that moment (under lock) becomes a
   * 'stock-take' ledger row. Returns every count with its difference, zero ones included.
   */
  async stockTake(caller: Caller, input: StockTakeInput) {
    assertNamedOnce(
      input.counts.map((c) => c.batchId),
      'batch',
    );
    return retryOnConflict(() =>
      this.db.transaction({ branchId: caller.branchId }, async (tx) => {
        const today = indianDate(this.clock.now());
        const store = await requireStore(tx, input.storeId);
        const batches = await loadBatches(
          tx,
          caller.branchId,
          input.counts.map((c, i) => ({ batchId: c.batchId, field: `counts[${i}].batchId` })),
        );
        const locked = await lockItemsOf(tx, caller.branchId, store.id, batches);
        const counts = input.counts.map((c) => ({ batchId: c.batchId.toLowerCase(), countedQuantity: c.countedQuantity }));
        const differences = stockTakeDifferences(counts, new Map(locked.map((b) => [b.batchId, b.onHand])));
        const deltas = differences.filter((d) => d.difference !== 0).map((d) => delta(batches, d.batchId, d.difference));
        const result = await this.record(tx, caller, { storeId: store.id, kind: 'stock-take', reason: input.reason?.trim() || 'stock take', batches, locked, deltas, today });
        await tx.query(
          `INSERT INTO stock_take_counts (stock_take_id, batch_id, branch_id, item_id, on_hand, counted)
           SELECT $1, c.batch_id, $2, c.item_id, c.on_hand, c.counted FROM jsonb_to_recordset($3::jsonb) AS c(batch_id uuid, item_id uuid, on_hand int, counted int)`,
          [
            result.id,
            caller.branchId,
            JSON.stringify(differences.map((d) => ({ batch_id: d.batchId, item_id: (batches.get(d.batchId) as BatchInfo).itemId, on_hand: d.onHand, counted: d.counted }))),
          ],
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

  /** The header, ledger rows, StockAdjusted (when anything moved) and reorder alerts of one correction. */
  private async record(
    tx: Tx,
    caller: Caller,
    c: { storeId: string; kind: AdjustmentKind; reason: string; batches: Map<string, BatchInfo>; locked: LockedBalance[]; deltas: StockDelta[]; today: string },
  ) {
    const id = uuidv7();
    const at = this.clock.now();
    await tx.query('INSERT INTO stock_adjustments (id, branch_id, store_id, kind, reason, at, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7)', [
      id,
      caller.branchId,
      c.storeId,
      c.kind,
      c.reason,
      at,
      caller.userId,
    ]);
    const movement: Movement = c.kind;
    await recordMovements(
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
    const meta = eventMeta(caller);
    if (lines.length) {
      await this.outbox.append(
        tx,
        StockAdjusted,
        { adjustmentId: id, storeId: c.storeId, reason: c.reason, kind: c.kind, lines: lines.map((l) => ({ itemId: l.itemId, batchId: l.batchId, batchNo: l.batchNo, quantity: l.quantity })) },
        { ...meta, key: id },
      );
    }
    await raiseReorderAlerts(tx, this.outbox, c.storeId, usableDrops(c.locked, c.deltas, c.today), meta);
    return { id, storeId: c.storeId, kind: c.kind, reason: c.reason, at: at.toISOString(), lines };
  }
}

/** Every balance row, in the store, of the items the named batches belong to. */
function lockItemsOf(tx: Tx, branchId: string, storeId: string, batches: Map<string, BatchInfo>): Promise<LockedBalance[]> {
  return lockBalances(tx, branchId, { storeIds: [storeId], itemIds: [...new Set([...batches.values()].map((b) => b.itemId))] });
}

function delta(batches: Map<string, BatchInfo>, batchId: string, quantity: number): StockDelta {
  const b = batches.get(batchId.toLowerCase()) as BatchInfo;
  return { itemId: b.itemId, batchId: b.id, expiry: b.expiry, quantity };
}
