import { Inject, Injectable } from '@nestjs/common';
import type { Caller } from '@hms/platform-auth';
import { Database } from '@hms/platform-persistence';
import { ID_GENERATOR, type IdGenerator } from '@hms/platform-time';
import { Hl7FeedRepository } from '../data/hl7-feed.repository';
import { subscriptionView, type SubscriptionView } from './feed-views';
import { scopeOf } from '@hms/platform-service';

/** Subscribes a system to the branch's ADT feed; it starts at the beginning of the feed. */
@Injectable()
export class CreateHl7SubscriptionUseCase {
  constructor(
    private readonly db: Database,
    private readonly feed: Hl7FeedRepository,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
  ) {}

  async execute(caller: Caller, name: string): Promise<SubscriptionView> {
    return subscriptionView(await this.db.transaction(scopeOf(caller), (tx) => this.feed.insertSubscription(tx, { id: this.ids.next(), branchId: caller.branchId, name })));
  }
}
