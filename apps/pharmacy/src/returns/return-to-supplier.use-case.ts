import { Inject, Injectable } from '@nestjs/common';
import type { Caller } from '@hms/platform-auth';
import { Database, retryOnConflict } from '@hms/platform-persistence';
import { CLOCK, Clock, ID_GENERATOR, type IdGenerator } from '@hms/platform-time';
import { StockRepository, type BatchInfo } from '../data/stock.repository';
import { SuppliersRepository } from '../data/suppliers.repository';
import { firstShortfall, indianDate, usableDrops } from '../domain';
import { ReorderAlerts } from '../stock/reorder-alerts';
import { StockLookups, assertNamedOnce } from '../stock/stock-lookups';
import { StockReturnRecords, returnMovement, type ReturnInput } from './stock-return-records';
import { callerMeta, scopeOf } from '@hms/platform-service';
import { conflict, notFound, pharmacyError } from '../domain/errors';

export interface SupplierReturnInput extends ReturnInput {
  storeId: string;
  supplierId: string;
}

/** A store returns batches to the supplier they were received from (never below zero; expired batches may go). */
@Injectable()
export class ReturnToSupplierUseCase {
  constructor(
    private readonly db: Database,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly suppliers: SuppliersRepository,
    private readonly stock: StockRepository,
    private readonly lookups: StockLookups,
    private readonly records: StockReturnRecords,
    private readonly reorderAlerts: ReorderAlerts,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
  ) {}

  execute(caller: Caller, input: SupplierReturnInput) {
    assertNamedOnce(
      input.lines.map((l) => l.batchId),
      'batch',
    );
    return retryOnConflict(() =>
      this.db.transaction(scopeOf(caller), async (tx) => {
        const today = indianDate(this.clock.now());
        const store = await this.lookups.requireStore(tx, input.storeId);
        const supplier = await this.suppliers.find(tx, input.supplierId);
        if (!supplier) throw notFound('The supplier', 'supplier-not-found');
        const batches = await this.lookups.namedBatches(
          tx,
          caller.branchId,
          input.lines.map((l, i) => ({ batchId: l.batchId, field: `lines[${i}].batchId` })),
        );
        // A batch goes back only to a supplier it was received from.
        const fromSupplier = await this.stock.receivedFrom(tx, caller.branchId, [...batches.keys()], supplier.id);
        const foreign = input.lines.findIndex((l) => !fromSupplier.includes(l.batchId.toLowerCase()));
        if (foreign >= 0) {
          const b = batches.get(input.lines[foreign].batchId.toLowerCase()) as BatchInfo;
          throw pharmacyError('unprocessable', 'batch-not-from-supplier', `Batch ${b.batchNo} of ${b.itemName} was never received from ${supplier.name}`, {}, [
            { field: `lines[${foreign}].batchId`, message: 'was not received from this supplier' },
          ]);
        }
        const locked = await this.lookups.lockItemBalances(tx, caller.branchId, store.id, batches);
        const id = this.ids.next();
        const movements = input.lines.map((l) => returnMovement(batches, id, store.id, l.batchId, -l.quantity, 'return-to-supplier'));
        const short = firstShortfall(locked, movements);
        if (short) {
          const b = batches.get(short.batchId) as BatchInfo;
          throw conflict('insufficient-stock', `Store ${store.code} has ${short.available} unit(s) of ${b.itemName} batch ${b.batchNo}; ${-short.change} cannot go back`, { available: short.available });
        }
        const result = await this.records.record(tx, caller, {
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
        await this.reorderAlerts.raise(tx, store.id, usableDrops(locked, movements, today), callerMeta(caller));
        return result;
      }),
    );
  }
}
