import { Injectable } from '@nestjs/common';
import type { Caller } from '@hms/platform-auth';
import { toPage, type Page, type PageRequest } from '@hms/platform-http';
import { Database } from '@hms/platform-persistence';
import { scopeOf } from '@hms/platform-service';
import { DispensesRepository } from '../data/dispenses.repository';
import { CarePartiesReadModel } from '../events/care-parties.read-model';
import { loadDispenses, type DispenseView } from './dispense-views';

/** Dispenses to a patient (and the records merged into theirs) or against an admission, newest first. */
@Injectable()
export class ListDispensesUseCase {
  constructor(
    private readonly db: Database,
    private readonly dispenses: DispensesRepository,
    private readonly parties: CarePartiesReadModel,
  ) {}

  execute(caller: Caller, filter: { patientId?: string; admissionId?: string }, page: PageRequest): Promise<Page<DispenseView>> {
    return this.db.transaction(
      scopeOf(caller),
      async (tx) => {
        const patientIds = filter.patientId ? await this.parties.idsOfPerson(tx, caller.branchId, filter.patientId) : null;
        const rows = await loadDispenses(this.dispenses, tx, caller.branchId, { patientIds, admissionId: filter.admissionId ?? null, limit: page.limit + 1, offset: page.offset });
        return toPage(rows, page);
      },
      { readOnly: true },
    );
  }
}
