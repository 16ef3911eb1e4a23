import { Inject, Injectable } from '@nestjs/common';
import type { Caller } from '@hms/platform-auth';
import { toPage, type Page, type PageRequest } from '@hms/platform-http';
import { Database } from '@hms/platform-persistence';
import { CLOCK, Clock } from '@hms/platform-time';
import { ItemsRepository } from '../data/items.repository';
import { indianDate } from '../domain';
import { readItem, type ItemView } from './catalogue-rules';
import { scopeOf } from '@hms/platform-service';

/** Items by code or the start of a name, ordered by name; the deactivated ones only if asked. */
@Injectable()
export class ListItemsUseCase {
  constructor(
    private readonly db: Database,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly items: ItemsRepository,
  ) {}

  async execute(caller: Caller, filter: { q?: string; includeInactive?: boolean }, page: PageRequest): Promise<Page<ItemView>> {
    const today = indianDate(this.clock.now());
    return this.db.transaction(
      scopeOf(caller),
      async (tx) => {
        const ids = toPage(await this.items.listIds(tx, caller.branchId, { q: filter.q, includeInactive: filter.includeInactive ?? false }, page.limit + 1, page.offset), page);
        // One query at a time: a transaction's client runs its queries in order, never in parallel.
        const views: ItemView[] = [];
        for (const id of ids.items) views.push(await readItem(this.items, tx, id, today));
        return { ...ids, items: views };
      },
      { readOnly: true },
    );
  }
}
