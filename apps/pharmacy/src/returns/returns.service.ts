import { Inject, Injectable } from '@nestjs/common';
import { DomainError, conflict, notFound } from '@hms/contracts-common';
import { StockReturned, type StockReturnedData } from '@hms/contracts-pharmacy';
import type { Caller } from '@hms/platform-auth';
import { Outbox } from '@hms/platform-messaging';
import { Database, retryOnConflict, uuidv7, type Tx } from '@hms/platform-persistence';
import { CLOCK, Clock } from '@hms/platform-time';
import { firstShortfall, indianDate, returnable, usableDrops } from '../domain';
import { recordMovements, type MovementRow } from '../stock/ledger';
import { eventMeta, raiseReorderAlerts } from '../stock/stock-events';
import { assertNamedOnce } from '../stock/stock-items';
import { loadBatches, lockBalances, requireStore, type BatchInfo } from '../stock/stock-locks';

export interface ReturnInput {
  lines: { batchId: string; quantity: number }[];
  reason?: string;
}

export interface SupplierReturnInput extends ReturnInput {
  storeId: string;
  supplierId: string;
}

/**
 * Stock coming back: a patient's return against a dispense (never more of a batch than was
 * dispensed less what came back already), into the store it was dispensed from; and a store's
 * return to the supplier a batch was received from (never below zero; expired batches may go).
 */
@Injectable()
export class ReturnsService {
  constructor(
    private readonly db: Database,
    private readonly outbox: Outbox,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async patientReturn(caller: Caller, dispenseId: string, input: ReturnInput) {
    assertNamedOnce(
      input.lines.map((l) => l.batchId),
      'batch',
    );
    return retryOnConflict(() =>
      this.db.transaction({ branchId: caller.branchId }, async (tx) => {
        const dispense = await tx.maybeOne<{ id: string; store_id: string; patient_id: string | null }>('SELECT id, store_id, patient_id FROM dispenses WHERE id = $1', [dispenseId]);
        if (!dispense) throw notFound('The dispense', 'dispense-not-found');
        // The stock goes back into the store it was dispensed from, which must still be in use.
        await requireStore(tx, dispense.store_id, 'The store it was dispensed from');
        // Locked, so two returns against one dispense cannot both take what is left.
        const dispensed = await tx.query<{ id: string; batch_id: string; quantity: number; returned_quantity: number }>(
          'SELECT id, batch_id, quantity, returned_quantity FROM dispense_lines WHERE dispense_id = $1 ORDER BY id FOR UPDATE',
          [dispense.id],
        );
        const taken = input.lines.map((l, i) => {
          const line = dispensed.find((d) => d.batch_id === l.batchId.toLowerCase());
          const field = `lines[${i}].batchId`;
          if (!line) throw new DomainError('unprocessable', 'batch-not-dispensed', `lines[${i}].batchId was not supplied in this dispense`, {}, [{ field, message: 'was not supplied in this dispense' }]);
          const left = returnable({ quantity: line.quantity, returnedQuantity: line.returned_quantity });
          if (l.quantity > left) {
            throw conflict('return-exceeds-dispensed', `${line.quantity} unit(s) of this batch were dispensed and ${line.returned_quantity} returned already; at most ${left} can come back, not ${l.quantity}`, {
              returnable: left,
              field: `lines[${i}].quantity`,
            });
          }
          return { lineId: line.id, batchId: line.batch_id, quantity: l.quantity };
        });
        await tx.query(
          `UPDATE dispense_lines d SET returned_quantity = d.returned_quantity + r.quantity
           FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, quantity int) WHERE d.id = r.id`,
          [JSON.stringify(taken.map((t) => ({ id: t.lineId, quantity: t.quantity })))],
        );
        const batches = await loadBatches(
          tx,
          caller.branchId,
          taken.map((t) => ({ batchId: t.batchId, field: 'batchId' })),
        );
        // The stock goes back in; rows it creates are covered by the (store, item) locks.
        await lockBalances(tx, caller.branchId, { storeIds: [dispense.store_id], itemIds: [...batches.values()].map((b) => b.itemId) });
        const id = uuidv7();
        const movements = taken.map((t) => movement(batches, id, dispense.store_id, t.batchId, t.quantity, 'patient-return'));
        return this.record(tx, caller, {
          id,
          storeId: dispense.store_id,
          kind: 'patient-return',
          dispenseId: dispense.id,
          patientId: dispense.patient_id,
          supplierId: null,
          reason: input.reason?.trim() || null,
          batches,
          movements,
        });
      }),
    );
  }

  async supplierReturn(caller: Caller, input: SupplierReturnInput) {
    assertNamedOnce(
      input.lines.map((l) => l.batchId),
      'batch',
    );
    return retryOnConflict(() =>
      this.db.transaction({ branchId: caller.branchId }, async (tx) => {
        const today = indianDate(this.clock.now());
        const store = await requireStore(tx, input.storeId);
        const supplier = await tx.maybeOne<{ id: string; name: string }>('SELECT id, name FROM suppliers WHERE id = $1', [input.supplierId]);
        if (!supplier) throw notFound('The supplier', 'supplier-not-found');
        const batches = await loadBatches(
          tx,
          caller.branchId,
          input.lines.map((l, i) => ({ batchId: l.batchId, field: `lines[${i}].batchId` })),
        );
        // A batch goes back only to a supplier it was received from.
        const fromSupplier = await tx.query<{ batch_id: string }>(
          `SELECT DISTINCT l.batch_id FROM stock_ledger l JOIN goods_receipts g ON g.id = l.reference_id
           WHERE l.branch_id = $1 AND l.batch_id = ANY($2::uuid[]) AND l.reference_type = 'goods-receipt' AND g.supplier_id = $3`,
          [caller.branchId, [...batches.keys()], supplier.id],
        );
        const foreign = input.lines.findIndex((l) => !fromSupplier.some((r) => r.batch_id === l.batchId.toLowerCase()));
        if (foreign >= 0) {
          const b = batches.get(input.lines[foreign].batchId.toLowerCase()) as BatchInfo;
          throw new DomainError('unprocessable', 'batch-not-from-supplier', `Batch ${b.batchNo} of ${b.itemName} was never received from ${supplier.name}`, {}, [
            { field: `lines[${foreign}].batchId`, message: 'was not received from this supplier' },
          ]);
        }
        const locked = await lockBalances(tx, caller.branchId, { storeIds: [store.id], itemIds: [...new Set([...batches.values()].map((b) => b.itemId))] });
        const id = uuidv7();
        const movements = input.lines.map((l) => movement(batches, id, store.id, l.batchId, -l.quantity, 'return-to-supplier'));
        const short = firstShortfall(locked, movements);
        if (short) {
          const b = batches.get(short.batchId) as BatchInfo;
          throw conflict('insufficient-stock', `Store ${store.code} has ${short.available} unit(s) of ${b.itemName} batch ${b.batchNo}; ${-short.change} cannot go back`, { available: short.available });
        }
        const result = await this.record(tx, caller, {
          id,
          storeId: store.id,
          kind: 'return-to-supplier',
          dispenseId: null,
          patientId: null,
          supplierId: supplier.id,
          reason: input.reason?.trim() || null,
          batches,
          movements,
        });
        await raiseReorderAlerts(tx, this.outbox, store.id, usableDrops(locked, movements, today), eventMeta(caller));
        return result;
      }),
    );
  }

  private async record(
    tx: Tx,
    caller: Caller,
    r: {
      id: string;
      storeId: string;
      kind: StockReturnedData['kind'];
      dispenseId: string | null;
      patientId: string | null;
      supplierId: string | null;
      reason: string | null;
      batches: Map<string, BatchInfo>;
      movements: MovementRow[];
    },
  ) {
    const id = r.id;
    const at = this.clock.now();
    await tx.query(
      `INSERT INTO stock_returns (id, branch_id, store_id, kind, dispense_id, supplier_id, reason, returned_at, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [id, caller.branchId, r.storeId, r.kind, r.dispenseId, r.supplierId, r.reason, at, caller.userId],
    );
    const movements = r.movements.map((m) => ({ ...m, reason: r.reason }));
    await recordMovements(tx, caller.branchId, caller.userId, movements);
    const lines = movements.map((m) => {
      const b = r.batches.get(m.batchId) as BatchInfo;
      return { itemId: m.itemId, itemName: b.itemName, batchId: m.batchId, batchNo: b.batchNo, expiry: b.expiry, quantity: Math.abs(m.quantity) };
    });
    await this.outbox.append(
      tx,
      StockReturned,
      {
        returnId: id,
        storeId: r.storeId,
        kind: r.kind,
        patientId: r.patientId,
        dispenseId: r.dispenseId,
        supplierId: r.supplierId,
        lines: lines.map((l) => ({ itemId: l.itemId, batchId: l.batchId, batchNo: l.batchNo, quantity: l.quantity })),
      },
      { ...eventMeta(caller), key: id },
    );
    return { id, kind: r.kind, storeId: r.storeId, dispenseId: r.dispenseId, supplierId: r.supplierId, reason: r.reason, returnedAt: at.toISOString(), lines };
  }
}

function movement(batches: Map<string, BatchInfo>, returnId: string, storeId: string, batchId: string, quantity: number, kind: 'patient-return' | 'return-to-supplier'): MovementRow {
  const b = batches.get(batchId.toLowerCase()) as BatchInfo;
  return { storeId, itemId: b.itemId, batchId: b.id, expiry: b.expiry, quantity, movement: kind, referenceType: 'stock-return', referenceId: returnId };
}
