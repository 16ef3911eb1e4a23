import { Injectable } from '@nestjs/common';
import type { Caller } from '@hms/platform-auth';
import { Database } from '@hms/platform-persistence';
import { Hl7FeedRepository } from '../data/hl7-feed.repository';
import { messageView, subscriptionOf, subscriptionView } from './feed-views';
import { scopeOf } from '@hms/platform-service';

/** The next messages the subscription has not acknowledged, oldest first; reading does not move the cursor. */
@Injectable()
export class ReadHl7MessagesUseCase {
  constructor(
    private readonly db: Database,
    private readonly feed: Hl7FeedRepository,
  ) {}

  execute(caller: Caller, id: string, limit: number) {
    return this.db.transaction(
      scopeOf(caller),
      async (tx) => {
        const s = await subscriptionOf(this.feed, tx, id, caller.branchId);
        const rows = await this.feed.messagesAfter(tx, caller.branchId, s.acknowledgedSeq, limit + 1);
        return { subscription: subscriptionView(s), items: rows.slice(0, limit).map(messageView), hasMore: rows.length > limit };
      },
      { readOnly: true },
    );
  }
}
