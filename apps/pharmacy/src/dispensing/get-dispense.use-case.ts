import { Injectable } from '@nestjs/common';
import type { Caller } from '@hms/platform-auth';
import { Database } from '@hms/platform-persistence';
import { scopeOf } from '@hms/platform-service';
import { DispensesRepository } from '../data/dispenses.repository';
import { loadDispenses, type DispenseView } from './dispense-views';
import { notFound } from '../domain/errors';

/** One dispense: patient, admission, prescription and the batches supplied. */
@Injectable()
export class GetDispenseUseCase {
  constructor(
    private readonly db: Database,
    private readonly dispenses: DispensesRepository,
  ) {}

  execute(caller: Caller, dispenseId: string): Promise<DispenseView> {
    return this.db.transaction(
      scopeOf(caller),
      async (tx) => {
        const [view] = await loadDispenses(this.dispenses, tx, caller.branchId, { ids: [dispenseId], limit: 1, offset: 0 });
        if (!view) throw notFound('The dispense', 'dispense-not-found');
        return view;
      },
      { readOnly: true },
    );
  }
}
