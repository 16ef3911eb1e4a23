import { Injectable } from '@nestjs/common';
import type { Caller } from '@hms/platform-auth';
import { toPage, type Page, type PageRequest } from '@hms/platform-http';
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

  /** The branch's subscriptions by name, a page at a time. */
  async execute(caller: Caller, page: PageRequest): Promise<Page<SubscriptionView>> {
    const rows = await this.db.transaction(scopeOf(caller), (tx) => this.feed.subscriptions(tx, caller.branchId, page.limit + 1, page.offset), { readOnly: true });
    return toPage(rows.map(subscriptionView), page);
  }
}
