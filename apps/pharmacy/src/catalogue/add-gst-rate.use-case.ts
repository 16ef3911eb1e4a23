import { Inject, Injectable } from '@nestjs/common';
import type { Caller } from '@hms/platform-auth';
import { Database } from '@hms/platform-persistence';
import { CLOCK, Clock, ID_GENERATOR, type IdGenerator } from '@hms/platform-time';
import { ItemsRepository } from '../data/items.repository';
import { indianDate } from '../domain';
import { assertGstRate, readItem, unique, type ItemView } from './catalogue-rules';
import { scopeOf } from '@hms/platform-service';
import { notFound } from '../domain/errors';

/** A new GST rate of an item from a date (GST-05: sales before it keep the old rate). */
@Injectable()
export class AddGstRateUseCase {
  constructor(
    private readonly db: Database,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly items: ItemsRepository,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
  ) {}

  async execute(caller: Caller, itemId: string, effectiveFrom: string, rateBp: number): Promise<ItemView> {
    assertGstRate(rateBp, effectiveFrom, 'rateBp');
    return unique(`A GST rate from ${effectiveFrom} exists already for this item`, () =>
      this.db.transaction(scopeOf(caller), async (tx) => {
        // The rate history is part of the item's representation: a new rate is a new version.
        if (!(await this.items.bumpVersion(tx, itemId))) throw notFound('The item', 'item-not-found');
        await this.items.insertGstRate(tx, { id: this.ids.next(), branchId: caller.branchId, itemId, effectiveFrom, rateBp });
        return readItem(this.items, tx, itemId, indianDate(this.clock.now()));
      }),
    );
  }
}
