import { Injectable } from '@nestjs/common';
import type { Caller } from '@hms/platform-auth';
import { toPage, type PageRequest } from '@hms/platform-http';
import { Database } from '@hms/platform-persistence';
import { BedsRepository } from '../data/beds.repository';
import { scopeOf } from '@hms/platform-service';
import { notFound } from '../domain/errors';

/** A bed's changes of state, newest first, a page at a time. */
@Injectable()
export class ListBedHistoryUseCase {
  constructor(
    private readonly db: Database,
    private readonly beds: BedsRepository,
  ) {}

  async execute(caller: Caller, bedId: string, page: PageRequest) {
    const items = await this.db.transaction(
      scopeOf(caller),
      async (tx) => {
        if (!(await this.beds.exists(tx, bedId))) throw notFound('The bed', 'bed-not-found');
        return this.beds.history(tx, bedId, page.limit + 1, page.offset);
      },
      { readOnly: true },
    );
    return toPage(
      items.map((e) => ({ from: e.fromState, to: e.toState, at: e.at, actorId: e.actorId, reason: e.reason, admissionId: e.admissionId })),
      page,
    );
  }
}
