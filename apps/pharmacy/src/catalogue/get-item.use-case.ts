import { Inject, Injectable } from '@nestjs/common';
import type { Caller } from '@hms/platform-auth';
import { Database } from '@hms/platform-persistence';
import { CLOCK, Clock } from '@hms/platform-time';
import { ItemsRepository } from '../data/items.repository';
import { indianDate } from '../domain';
import { readItem, type ItemView } from './catalogue-rules';
import { scopeOf } from '@hms/platform-service';

/** One item with its GST rate history; its version is the ETag. */
@Injectable()
export class GetItemUseCase {
  constructor(
    private readonly db: Database,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly items: ItemsRepository,
  ) {}

  execute(caller: Caller, itemId: string): Promise<ItemView> {
    return this.db.transaction(scopeOf(caller), (tx) => readItem(this.items, tx, itemId, indianDate(this.clock.now())), { readOnly: true });
  }
}
