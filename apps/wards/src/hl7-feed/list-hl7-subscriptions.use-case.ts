import { Injectable } from '@nestjs/common';
import type { Caller } from '@hms/platform-auth';
import { Database } from '@hms/platform-persistence';
import { Hl7FeedRepository } from '../data/hl7-feed.repository';
import { subscriptionView, type SubscriptionView } from './feed-views';
import { scopeOf } from '@hms/platform-service';

@Injectable()
export class ListHl7SubscriptionsUseCase {
  constructor(
    private readonly db: Database,
    private readonly feed: Hl7FeedRepository,
  ) {}

  async execute(caller: Caller): Promise<SubscriptionView[]> {
    const rows = await this.db.transaction(scopeOf(caller), (tx) => this.feed.subscriptions(tx, caller.branchId), { readOnly: true });
    return rows.map(subscriptionView);
  }
}
