import type { EventEnvelope } from '@hms/contracts-common';
import { isDatabaseUnavailable, type BranchScope, type Database, type Tx } from '@hms/platform-persistence';
import { deadLetters, eventsConsumed, runInContext, type Logger } from '@hms/platform-observability';
import { assertEnvelope } from './envelope';
import type { DeliveredMessage, EventTransport } from './transport';

/** Handles one event inside the transaction that also records it in the inbox. */
export type EventHandler = (envelope: EventEnvelope, tx: Tx) => Promise<void>;

export interface ConsumerOptions {
  /** Attempts before an event is parked as a dead letter. */
  maxAttempts?: number;
  /** First retry delay; doubles each attempt. */
  backoffMs?: number;
}

export interface DeadLetter {
  id: string;
  consumerGroup: string;
  /** The branch the event was about, if any. */
  branchId: string | null;
  topic: string;
  eventId: string | null;
  eventType: string | null;
  error: string;
  attempts: number;
  parkedAt: string;
  replayedAt: string | null;
}

/**
 * A service's consumer group: the inbox makes redelivery harmless, failed handlers are retried
 * with backoff and then parked as dead letters (counted, listable, replayable) while the
 * partition moves on.
 */
export class EventConsumer {
  private readonly handlers = new Map<string, EventHandler>();
  private fallback: EventHandler | null = null;

  constructor(
    private readonly db: Database,
    private readonly transport: EventTransport,
    readonly group: string,
    private readonly logger: Logger,
    private readonly options: ConsumerOptions = {},
  ) {}

  /** One handler per event type: registering a second is an error, never a silent replacement. */
  on(type: string, handler: EventHandler): this {
    if (this.handlers.has(type)) throw new Error(`two handlers are registered for the event ${type} in consumer group ${this.group}`);
    this.handlers.set(type, handler);
    return this;
  }

  /** Receives every event that has no handler of its own (the audit service). */
  onAny(handler: EventHandler): this {
    if (this.fallback) throw new Error(`two handlers are registered for every event in consumer group ${this.group}`);
    this.fallback = handler;
    return this;
  }

  async start(topics: readonly string[] | '*'): Promise<void> {
    await this.transport.subscribe({ group: this.group, topics, handler: (m) => this.deliver(m) });
  }

  /**
   * Processes one delivered message. It throws only when the database cannot be reached (the
   * transport then stops the partition and delivers again later), so one bad event cannot stall
   * a partition: that one is retried and parked.
   */
  async deliver(message: DeliveredMessage): Promise<void> {
    const maxAttempts = this.options.maxAttempts ?? 5;
    const backoff = this.options.backoffMs ?? 100;
    let lastError: unknown;
    let attempts = 0;
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      attempts = attempt;
      try {
        assertEnvelope(message.envelope);
      } catch (error) {
        lastError = error;
        break; // a malformed envelope will not get better by retrying
      }
      try {
        const outcome = await this.handleOnce(message.envelope);
        eventsConsumed.inc({ group: this.group, outcome });
        return;
      } catch (error) {
        // An unreachable database is no fault of the event: the transport delivers it again
        // once the database is back, instead of parking it after a few quick attempts.
        if (isDatabaseUnavailable(error)) throw error;
        lastError = error;
        eventsConsumed.inc({ group: this.group, outcome: 'failed' });
        this.logger.warn({ err: describe(error), eventId: message.envelope?.id, type: message.envelope?.type, attempt }, 'event handler failed');
        if (attempt < maxAttempts) await new Promise((r) => setTimeout(r, backoff * 2 ** (attempt - 1)));
      }
    }
    // The attempts actually made: a malformed envelope is parked after its first.
    await this.park(message, lastError, attempts);
  }

  private handleOnce(envelope: EventEnvelope): Promise<'handled' | 'duplicate' | 'ignored'> {
    const handler = this.handlers.get(envelope.type) ?? this.fallback;
    return runInContext({ correlationId: envelope.correlationId ?? envelope.id, causationId: envelope.id }, () =>
      this.db.transaction('all', async (tx) => {
        const fresh = await tx.query('INSERT INTO inbox (consumer_group, event_id) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING 1', [
          this.group,
          envelope.id,
        ]);
        if (!fresh.length) return 'duplicate';
        if (!handler) return 'ignored';
        await handler(envelope, tx);
        return 'handled';
      }),
    );
  }

  private async park(message: DeliveredMessage, error: unknown, attempts: number): Promise<void> {
    const env = message.envelope as Partial<EventEnvelope> | null;
    deadLetters.inc({ group: this.group, type: env?.type ?? 'unknown' });
    this.logger.error({ err: describe(error), eventId: env?.id, type: env?.type, topic: message.topic }, 'event parked as a dead letter');
    const uuidOrNull = (value: unknown) => (typeof value === 'string' && UUID.test(value) ? value : null);
    await this.db.query(
      'all',
      `INSERT INTO dead_letters (consumer_group, topic, event_id, event_type, envelope, error, attempts, branch_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [
        this.group,
        message.topic,
        uuidOrNull(env?.id),
        env?.type ?? null,
        JSON.stringify(message.envelope ?? null),
        describe(error).message,
        attempts,
        uuidOrNull(env && typeof env === 'object' ? env.branchId : null),
      ],
    );
  }

  /** Parked events, oldest first (`limit` from `offset`): of one branch, or of every branch (and none) for `all`. */
  async listDeadLetters(limit: number, includeReplayed = false, scope: BranchScope = 'all', offset = 0): Promise<DeadLetter[]> {
    const rows = await this.db.query<{
      id: string;
      consumer_group: string;
      branch_id: string | null;
      topic: string;
      event_id: string | null;
      event_type: string | null;
      error: string;
      attempts: number;
      parked_at: Date;
      replayed_at: Date | null;
    }>(
      'all',
      `SELECT * FROM dead_letters WHERE consumer_group = $1 AND ($2 OR replayed_at IS NULL) AND ($4::uuid IS NULL OR branch_id = $4) ORDER BY id LIMIT $3 OFFSET $5`,
      [this.group, includeReplayed, limit, scope === 'all' ? null : scope.branchId, offset],
    );
    return rows.map((r) => ({
      id: r.id,
      consumerGroup: r.consumer_group,
      branchId: r.branch_id,
      topic: r.topic,
      eventId: r.event_id,
      eventType: r.event_type,
      error: r.error,
      attempts: r.attempts,
      parkedAt: r.parked_at.toISOString(),
      replayedAt: r.replayed_at?.toISOString() ?? null,
    }));
  }

  /** Runs a parked event's handler again; on success the dead letter is marked replayed. Another branch's is not found. */
  async replay(id: string, scope: BranchScope = 'all'): Promise<'replayed' | 'not-found' | 'already-replayed'> {
    const row = await this.db.transaction('all', (tx) =>
      tx.maybeOne<{ envelope: EventEnvelope; replayed_at: Date | null }>(
        'SELECT envelope, replayed_at FROM dead_letters WHERE id = $1 AND consumer_group = $2 AND ($3::uuid IS NULL OR branch_id = $3)',
        [id, this.group, scope === 'all' ? null : scope.branchId],
      ),
    );
    if (!row) return 'not-found';
    if (row.replayed_at) return 'already-replayed';
    assertEnvelope(row.envelope);
    await this.handleOnce(row.envelope);
    await this.db.query('all', 'UPDATE dead_letters SET replayed_at = now() WHERE id = $1', [id]);
    return 'replayed';
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function describe(error: unknown): { message: string; name?: string } {
  if (error instanceof Error) return { message: error.message, name: error.name };
  return { message: String(error) };
}
