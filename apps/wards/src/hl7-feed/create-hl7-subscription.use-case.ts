import { Injectable } from '@nestjs/common';
import type { Caller } from '@hms/platform-auth';
import { Database, uuidv7 } from '@hms/platform-persistence';
import { Hl7FeedRepository } from '../data/hl7-feed.repository';
import { subscriptionView, type SubscriptionView } from './feed-views';
import { scopeOf } from '@hms/platform-service';

/** Subscribes a system to the branch's ADT feed; it starts at the beginning of the feed. */
@Injectable()
export class CreateHl7SubscriptionUseCase {
  constructor(
    private readonly db: Database,
    private readonly feed: Hl7FeedRepository,
  ) {}

  async execute(caller: Caller, name: string): Promise<SubscriptionView> {
    return subscriptionView(await this.db.transaction(scopeOf(caller), (tx) => this.feed.insertSubscription(tx, { id: uuidv7(), branchId: caller.branchId, name })));
  }
}
