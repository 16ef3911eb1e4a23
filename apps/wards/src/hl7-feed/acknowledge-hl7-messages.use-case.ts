import { Injectable } from '@nestjs/common';
import type { Caller } from '@hms/platform-auth';
import { Database } from '@hms/platform-persistence';
import { Hl7FeedRepository } from '../data/hl7-feed.repository';
import { subscriptionOf, subscriptionView, type SubscriptionView } from './feed-views';
import { scopeOf } from '@hms/platform-service';
import { conflict, wardsError } from '../domain/errors';

/**
 * Moves the cursor to `upToSeq`: acknowledging the same point again is harmless (a retried
 * request), an earlier point is refused (the cursor never goes back), and so is a point past
 * the last message (nothing there has been read).
 */
@Injectable()
export class AcknowledgeHl7MessagesUseCase {
  constructor(
    private readonly db: Database,
    private readonly feed: Hl7FeedRepository,
  ) {}

  execute(caller: Caller, id: string, upToSeq: number): Promise<SubscriptionView> {
    return this.db.transaction(scopeOf(caller), async (tx) => {
      const s = await subscriptionOf(this.feed, tx, id, caller.branchId, true);
      const current = s.acknowledgedSeq;
      if (upToSeq === current) return subscriptionView(s);
      if (upToSeq < current) {
        throw conflict('ack-behind-cursor', `The subscription has acknowledged up to ${current} already; its cursor never moves back`, { acknowledgedSeq: current });
      }
      const lastSeq = await this.feed.lastSeq(tx, caller.branchId);
      if (upToSeq > lastSeq) {
        throw wardsError('unprocessable', 'ack-beyond-feed', `The feed ends at ${lastSeq}: a message not yet in it cannot be acknowledged`, { lastSeq });
      }
      await this.feed.moveCursor(tx, id, upToSeq);
      return subscriptionView({ ...s, acknowledgedSeq: upToSeq });
    });
  }
}
