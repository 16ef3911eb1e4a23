import { Injectable } from '@nestjs/common';
import type { Caller } from '@hms/platform-auth';
import { toPage, type PageRequest } from '@hms/platform-http';
import { Database } from '@hms/platform-persistence';
import { AdmissionsRepository } from '../data/admissions.repository';
import { admissionView, type AdmissionView } from './admission-view';
import { scopeOf } from '@hms/platform-service';

export interface AdmissionFilter {
  status?: 'admitted' | 'discharged';
  patientId?: string;
  wardId?: string;
}

/** Admissions of the branch, newest first, a page at a time. */
@Injectable()
export class ListAdmissionsUseCase {
  constructor(
    private readonly db: Database,
    private readonly admissions: AdmissionsRepository,
  ) {}

  async execute(caller: Caller, filter: AdmissionFilter, page: PageRequest) {
    const rows = await this.db.transaction(scopeOf(caller), (tx) => this.admissions.listIds(tx, caller.branchId, filter, page.limit + 1, page.offset), { readOnly: true });
    const result = toPage(rows, page);
    // One query at a time: a transaction is one connection, and pg refuses overlapping queries on it.
    const items = await this.db.transaction(
      scopeOf(caller),
      async (tx) => {
        const views: AdmissionView[] = [];
        for (const r of result.items) views.push(await admissionView(this.admissions, tx, r.id));
        return views;
      },
      { readOnly: true },
    );
    return { ...result, items };
  }
}
