import { Inject, Injectable } from '@nestjs/common';
import type { Caller } from '@hms/platform-auth';
import { toPage, type Page, type PageRequest } from '@hms/platform-http';
import { Database, type Tx } from '@hms/platform-persistence';
import { CLOCK, type Clock } from '@hms/platform-time';
import type { PatientEntity } from '../data/patient.entity';
import { PatientsRepository, type PageWindow } from '../data/patients.repository';
import { planSearch, type SearchLookup } from '../domain/patient-search';
import { scopeOf } from '@hms/platform-service';
import { patientView, type PatientView } from '../records/patient.view';

/**
 * One box for every way a desk looks a patient up: UHID, phone or ABHA exactly, and otherwise
 * the name, fuzzily (transliterated and phonetic, so Hina finds Heena). Every kind of look-up
 * has a total order ending in the id, so pages partition the result. ABHA numbers are masked.
 */
@Injectable()
export class SearchPatientsUseCase {
  constructor(
    private readonly db: Database,
    private readonly patients: PatientsRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** `text` is the query as validated: NFC, trimmed, 2 to 100 characters. */
  async execute(caller: Caller, text: string, page: PageRequest): Promise<Page<PatientView>> {
    const plan = planSearch(text);
    const today = this.clock.now();
    const window: PageWindow = { offset: page.offset, fetch: page.limit + 1 };
    const found = await this.db.transaction(
      scopeOf(caller),
      async (tx) => {
        if (plan.uhid) {
          const patient = await this.patients.findByUhid(tx, plan.uhid);
          if (patient) return page.offset === 0 ? [patient] : [];
        }
        return this.lookUp(tx, caller.branchId, plan.then, window);
      },
      { readOnly: true },
    );
    const result = toPage(found, page);
    return { ...result, items: result.items.map((p) => patientView(p, today, { maskAbha: true })) };
  }

  private lookUp(tx: Tx, branchId: string, lookup: SearchLookup, window: PageWindow): Promise<PatientEntity[]> {
    switch (lookup.kind) {
      case 'phone':
        return this.patients.findActiveBy(tx, branchId, { phone: lookup.phone }, window);
      case 'abha-number':
        return this.patients.findActiveBy(tx, branchId, { abhaNumber: lookup.digits }, window);
      case 'abha-address':
        return this.patients.findActiveBy(tx, branchId, { abhaAddress: lookup.address }, window);
      case 'name':
        return this.patients.searchByName(tx, branchId, lookup, window);
      case 'nothing':
        return Promise.resolve([]);
    }
  }
}
