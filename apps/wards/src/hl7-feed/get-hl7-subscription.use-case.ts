import { Injectable } from '@nestjs/common';
import type { Caller } from '@hms/platform-auth';
import { Database } from '@hms/platform-persistence';
import { Hl7FeedRepository } from '../data/hl7-feed.repository';
import { subscriptionOf, subscriptionView, type SubscriptionView } from './feed-views';
import { scopeOf } from '@hms/platform-service';

@Injectable()
export class GetHl7SubscriptionUseCase {
  constructor(
    private readonly db: Database,
    private readonly feed: Hl7FeedRepository,
  ) {}

  execute(caller: Caller, id: string): Promise<SubscriptionView> {
    return this.db.transaction(scopeOf(caller), async (tx) => subscriptionView(await subscriptionOf(this.feed, tx, id, caller.branchId)), { readOnly: true });
  }
}
