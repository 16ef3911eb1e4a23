import { Inject, Injectable } from '@nestjs/common';
import type { Caller } from '@hms/platform-auth';
import { Database, retryOnConflict } from '@hms/platform-persistence';
import { scopeOf } from '@hms/platform-service';
import { ID_GENERATOR, type IdGenerator } from '@hms/platform-time';
import { DispensesRepository } from '../data/dispenses.repository';
import { returnable } from '../domain';
import { StockLookups, assertNamedOnce } from '../stock/stock-lookups';
import { StockReturnRecords, returnMovement, type ReturnInput } from './stock-return-records';
import { conflict, notFound, pharmacyError } from '../domain/errors';

/**
 * A patient returns dispensed stock (never more of a batch than was dispensed less what came back
 * already), into the store it was dispensed from.
 */
@Injectable()
export class RecordPatientReturnUseCase {
  constructor(
    private readonly db: Database,
    private readonly dispenses: DispensesRepository,
    private readonly lookups: StockLookups,
    private readonly records: StockReturnRecords,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
  ) {}

  execute(caller: Caller, dispenseId: string, input: ReturnInput) {
    assertNamedOnce(
      input.lines.map((l) => l.batchId),
      'batch',
    );
    return retryOnConflict(() =>
      this.db.transaction(scopeOf(caller), async (tx) => {
        const dispense = await this.dispenses.findForReturn(tx, dispenseId);
        if (!dispense) throw notFound('The dispense', 'dispense-not-found');
        // The stock goes back into the store it was dispensed from, which must still be in use.
        await this.lookups.requireStore(tx, dispense.storeId, 'The store it was dispensed from');
        // Locked, so two returns against one dispense cannot both take what is left.
        const dispensed = await this.dispenses.lockLines(tx, dispense.id);
        const taken = input.lines.map((l, i) => {
          const line = dispensed.find((d) => d.batchId === l.batchId.toLowerCase());
          const field = `lines[${i}].batchId`;
          if (!line) throw pharmacyError('unprocessable', 'batch-not-dispensed', `lines[${i}].batchId was not supplied in this dispense`, {}, [{ field, message: 'was not supplied in this dispense' }]);
          const left = returnable({ quantity: line.quantity, returnedQuantity: line.returnedQuantity });
          if (l.quantity > left) {
            throw conflict('return-exceeds-dispensed', `${line.quantity} unit(s) of this batch were dispensed and ${line.returnedQuantity} returned already; at most ${left} can come back, not ${l.quantity}`, {
              returnable: left,
              field: `lines[${i}].quantity`,
            });
          }
          return { lineId: line.id, batchId: line.batchId, quantity: l.quantity };
        });
        await this.dispenses.addReturned(tx, taken);
        const batches = await this.lookups.namedBatches(
          tx,
          caller.branchId,
          taken.map((t) => ({ batchId: t.batchId, field: 'batchId' })),
        );
        // The stock goes back in; rows it creates are covered by the (store, item) locks.
        await this.lookups.lockItemBalances(tx, caller.branchId, dispense.storeId, batches);
        const id = this.ids.next();
        const movements = taken.map((t) => returnMovement(batches, id, dispense.storeId, t.batchId, t.quantity, 'patient-return'));
        return this.records.record(tx, caller, {
          id,
          storeId: dispense.storeId,
          kind: 'patient-return',
          dispenseId: dispense.id,
          patientId: dispense.patientId,
          supplierId: null,
          reason: input.reason?.trim() || null,
          batches,
          movements,
        });
      }),
    );
  }
}
