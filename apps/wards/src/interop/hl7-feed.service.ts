import { Injectable } from '@nestjs/common';
import { DomainError, conflict, notFound } from '@hms/contracts-common';
import type { Caller } from '@hms/platform-auth';
import { Database, PG, pgCode, pgConstraint, uuidv7, type Tx } from '@hms/platform-persistence';
import type { AdtTrigger } from './domain/hl7';

const scopeOf = (caller: Caller) => ({ branchId: caller.branchId });

export const FEED_PAGE_DEFAULT = 50;
export const FEED_PAGE_MAX = 500;

interface SubscriptionRow {
  id: string;
  name: string;
  acknowledged_seq: string;
  created_at: Date;
}

interface MessageRow {
  seq: string;
  control_id: string;
  trigger_event: AdtTrigger;
  admission_id: string;
  patient_id: string | null;
  message: string;
  created_at: Date;
}

export interface SubscriptionView {
  id: string;
  name: string;
  acknowledgedSeq: number;
  createdAt: string;
}

export interface FeedMessageView {
  seq: number;
  controlId: string;
  triggerEvent: AdtTrigger;
  messageType: string;
  admissionId: string;
  /** Names the patient whose data the message carries, so the gateway's access trail records the read. */
  patientId: string | null;
  createdAt: string;
  message: string;
}

const subscriptionView = (r: SubscriptionRow): SubscriptionView => ({
  id: r.id,
  name: r.name,
  acknowledgedSeq: Number(r.acknowledged_seq),
  createdAt: r.created_at.toISOString(),
});

const messageView = (r: MessageRow): FeedMessageView => ({
  seq: Number(r.seq),
  controlId: r.control_id,
  triggerEvent: r.trigger_event,
  messageType: `ADT^${r.trigger_event}`,
  admissionId: r.admission_id,
  patientId: r.patient_id,
  createdAt: r.created_at.toISOString(),
  message: r.message,
});

const MESSAGE_COLUMNS = `m.seq, m.control_id, m.trigger_event, m.admission_id, a.patient_id, m.message, m.created_at`;

/**
 * The HL7 v2 ADT feed as subscribed systems read it: each subscription has a cursor, the last
 * sequence number it acknowledged, which only moves forward and never past the feed's end.
 */
@Injectable()
export class Hl7FeedService {
  constructor(private readonly db: Database) {}

  async createSubscription(caller: Caller, name: string): Promise<SubscriptionView> {
    try {
      return await this.db.transaction(scopeOf(caller), (tx) =>
        tx.one<SubscriptionRow>(
          `INSERT INTO hl7_subscriptions (id, branch_id, name) VALUES ($1, $2, $3) RETURNING id, name, acknowledged_seq, created_at`,
          [uuidv7(), caller.branchId, name],
        ),
      ).then(subscriptionView);
    } catch (error) {
      if (pgCode(error) === PG.uniqueViolation && pgConstraint(error) === 'hl7_subscriptions_branch_id_name_key') {
        throw conflict('subscription-name-taken', `A subscription named ${name} exists already in this branch`);
      }
      throw error;
    }
  }

  async listSubscriptions(caller: Caller): Promise<SubscriptionView[]> {
    const rows = await this.db.transaction(
      scopeOf(caller),
      (tx) => tx.query<SubscriptionRow>('SELECT id, name, acknowledged_seq, created_at FROM hl7_subscriptions WHERE branch_id = $1 ORDER BY name', [caller.branchId]),
      { readOnly: true },
    );
    return rows.map(subscriptionView);
  }

  getSubscription(caller: Caller, id: string): Promise<SubscriptionView> {
    return this.db.transaction(scopeOf(caller), async (tx) => subscriptionView(await this.subscription(tx, caller, id)), { readOnly: true });
  }

  /** The next messages the subscription has not acknowledged, oldest first. */
  async pending(caller: Caller, id: string, limit: number) {
    return this.db.transaction(
      scopeOf(caller),
      async (tx) => {
        const s = await this.subscription(tx, caller, id);
        const rows = await tx.query<MessageRow>(
          `SELECT ${MESSAGE_COLUMNS} FROM hl7_messages m LEFT JOIN admissions a ON a.id = m.admission_id
           WHERE m.branch_id = $1 AND m.seq > $2 ORDER BY m.seq LIMIT $3`,
          [caller.branchId, s.acknowledged_seq, limit + 1],
        );
        return {
          subscription: subscriptionView(s),
          items: rows.slice(0, limit).map(messageView),
          hasMore: rows.length > limit,
        };
      },
      { readOnly: true },
    );
  }

  /**
   * Moves the cursor to `upToSeq`: acknowledging the same point again is harmless (a retried
   * request), an earlier point is refused (the cursor never goes back), and so is a point past
   * the last message (nothing there has been read).
   */
  async acknowledge(caller: Caller, id: string, upToSeq: number): Promise<SubscriptionView> {
    return this.db.transaction(scopeOf(caller), async (tx) => {
      const s = await this.subscription(tx, caller, id, true);
      const current = Number(s.acknowledged_seq);
      if (upToSeq === current) return subscriptionView(s);
      if (upToSeq < current) {
        throw conflict('ack-behind-cursor', `The subscription has acknowledged up to ${current} already; its cursor never moves back`, { acknowledgedSeq: current });
      }
      const last = await tx.one<{ seq: string | null }>('SELECT max(seq) AS seq FROM hl7_messages WHERE branch_id = $1', [caller.branchId]);
      const lastSeq = last.seq === null ? 0 : Number(last.seq);
      if (upToSeq > lastSeq) {
        throw new DomainError('unprocessable', 'ack-beyond-feed', `The feed ends at ${lastSeq}: a message not yet in it cannot be acknowledged`, { lastSeq });
      }
      const updated = await tx.one<SubscriptionRow>(
        'UPDATE hl7_subscriptions SET acknowledged_seq = $2 WHERE id = $1 RETURNING id, name, acknowledged_seq, created_at',
        [id, upToSeq],
      );
      return subscriptionView(updated);
    });
  }

  /** Every message about one admission, in feed order. */
  async forAdmission(caller: Caller, admissionId: string): Promise<FeedMessageView[]> {
    return this.db.transaction(
      scopeOf(caller),
      async (tx) => {
        if (!(await tx.maybeOne('SELECT 1 FROM admissions WHERE id = $1', [admissionId]))) throw notFound('The admission', 'admission-not-found');
        const rows = await tx.query<MessageRow>(
          `SELECT ${MESSAGE_COLUMNS} FROM hl7_messages m LEFT JOIN admissions a ON a.id = m.admission_id
           WHERE m.branch_id = $1 AND m.admission_id = $2 ORDER BY m.seq`,
          [caller.branchId, admissionId],
        );
        return rows.map(messageView);
      },
      { readOnly: true },
    );
  }

  private async subscription(tx: Tx, caller: Caller, id: string, lock = false): Promise<SubscriptionRow> {
    const s = await tx.maybeOne<SubscriptionRow>(
      `SELECT id, name, acknowledged_seq, created_at FROM hl7_subscriptions WHERE id = $1 AND branch_id = $2${lock ? ' FOR UPDATE' : ''}`,
      [id, caller.branchId],
    );
    if (!s) throw notFound('The HL7 subscription', 'subscription-not-found');
    return s;
  }
}
