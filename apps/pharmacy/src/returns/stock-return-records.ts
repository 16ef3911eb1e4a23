import { Inject, Injectable } from '@nestjs/common';
import { StockReturned, type StockReturnedData } from '@hms/contracts-pharmacy';
import type { Caller } from '@hms/platform-auth';
import { Outbox } from '@hms/platform-messaging';
import type { Tx } from '@hms/platform-persistence';
import { CLOCK, Clock } from '@hms/platform-time';
import { StockReturnsRepository } from '../data/stock-returns.repository';
import { StockRepository, type BatchInfo, type MovementRow } from '../data/stock.repository';
import { callerMeta } from '@hms/platform-service';

export interface ReturnInput {
  lines: { batchId: string; quantity: number }[];
  reason?: string;
}

export function returnMovement(batches: Map<string, BatchInfo>, returnId: string, storeId: string, batchId: string, quantity: number, kind: 'patient-return' | 'return-to-supplier'): MovementRow {
  const b = batches.get(batchId.toLowerCase()) as BatchInfo;
  return { storeId, itemId: b.itemId, batchId: b.id, expiry: b.expiry, quantity, movement: kind, referenceType: 'stock-return', referenceId: returnId };
}

/** What every return records: its header, the ledger rows and StockReturned. Used inside the returning use case's transaction. */
@Injectable()
export class StockReturnRecords {
  constructor(
    private readonly outbox: Outbox,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly stock: StockRepository,
    private readonly returns: StockReturnsRepository,
  ) {}

  async record(
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
    await this.returns.insert(tx, { id, branchId: caller.branchId, storeId: r.storeId, kind: r.kind, dispenseId: r.dispenseId, supplierId: r.supplierId, reason: r.reason, returnedAt: at, createdBy: caller.userId });
    const movements = r.movements.map((m) => ({ ...m, reason: r.reason }));
    await this.stock.recordMovements(tx, caller.branchId, caller.userId, movements);
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
      { ...callerMeta(caller), key: id },
    );
    return { id, kind: r.kind, storeId: r.storeId, dispenseId: r.dispenseId, supplierId: r.supplierId, reason: r.reason, returnedAt: at.toISOString(), lines };
  }
}
