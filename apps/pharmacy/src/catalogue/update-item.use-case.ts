import { Inject, Injectable } from '@nestjs/common';
import type { Caller } from '@hms/platform-auth';
import { Database } from '@hms/platform-persistence';
import { CLOCK, Clock } from '@hms/platform-time';
import { ItemsRepository, type ItemColumns } from '../data/items.repository';
import { indianDate } from '../domain';
import { assertChanges, assertVersion, readItem, retiredAfter, type ItemView } from './catalogue-rules';
import { scopeOf } from '@hms/platform-service';
import { notFound } from '../domain/errors';

/** A PATCH of an item: absent fields stay; null clears brand name or strength; active: false deactivates. */
export interface ItemChanges {
  kind?: 'drug' | 'consumable';
  genericName?: string;
  brandName?: string | null;
  form?: string;
  strength?: string | null;
  unit?: string;
  packSize?: number;
  hsn?: string;
  schedule?: string;
  active?: boolean;
}

/** Changes an item the client saw at `expectedVersion` (412 if it changed since). */
@Injectable()
export class UpdateItemUseCase {
  constructor(
    private readonly db: Database,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly items: ItemsRepository,
  ) {}

  async execute(caller: Caller, itemId: string, expectedVersion: number, changes: ItemChanges): Promise<ItemView> {
    assertChanges(changes);
    return this.db.transaction(scopeOf(caller), async (tx) => {
      const current = await this.items.lockForChange(tx, itemId);
      if (!current) throw notFound('The item', 'item-not-found');
      assertVersion('item', current.version, expectedVersion);
      const { active, ...fields } = changes;
      const columns: ItemColumns = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
      await this.items.update(tx, itemId, { ...columns, ...retiredAfter(active, current.retiredAt, this.clock.now()) });
      return readItem(this.items, tx, itemId, indianDate(this.clock.now()));
    });
  }
}
