import { createHash } from 'node:crypto';
import type { EventDefinition, EventEnvelope } from '@hms/contracts-common';
import type { Database, Tx } from '@hms/platform-persistence';
import { eventsPublished, outboxBacklog } from '@hms/platform-observability';
import { createEnvelope, type EnvelopeMeta } from './envelope';
import type { EventTransport } from './transport';

export type AppendMeta = Omit<EnvelopeMeta, 'source'>;

/**
 * Writes events in the same transaction as the state change they describe. Nothing is
 * published from a request handler: the relay publishes committed rows afterwards.
 */
export class Outbox {
  private relay: OutboxRelay | null = null;

  constructor(private readonly source: string) {}

  attach(relay: OutboxRelay): void {
    this.relay = relay;
  }

  async append<T>(tx: Tx, definition: EventDefinition<T>, data: T, meta: AppendMeta): Promise<EventEnvelope<T>> {
    const envelope = createEnvelope(definition, data, { ...meta, source: this.source });
    await tx.query('INSERT INTO outbox (event_id, topic, key, envelope) VALUES ($1, $2, $3, $4)', [
      envelope.id,
      definition.topic,
      envelope.key,
      JSON.stringify(envelope),
    ]);
    tx.afterCommit(() => this.relay?.kick());
    return envelope;
  }
}

export interface RelayOptions {
  batchSize?: number;
  pollIntervalMs?: number;
  /** Published rows older than this are deleted. */
  retentionHours?: number;
  onError?: (error: unknown) => void;
}

/**
 * Publishes committed outbox rows in order. One relay per service works at a time (an advisory
 * lock per schema); a crash between publish and mark publishes the batch again, and consumers'
 * inboxes drop the copies.
 */
export class OutboxRelay {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = true;
  private lastCleanup = 0;
  private readonly lockKey: string;

  constructor(
    private readonly db: Database,
    private readonly transport: EventTransport,
    private readonly options: RelayOptions = {},
  ) {
    this.lockKey = BigInt.asIntN(64, BigInt('0x' + createHash('sha256').update(`hms-relay:${db.schema}`).digest('hex').slice(0, 16))).toString();
  }

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  /** Asks for a pass soon (after a commit that wrote events). */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.schedule(0);
  }

  /** One pass: publishes up to a batch; returns how many rows it published. */
  async publishPending(): Promise<number> {
    const batch = this.options.batchSize ?? 200;
    return this.db.transaction('all', async (tx) => {
      const [{ locked }] = await tx.query<{ locked: boolean }>('SELECT pg_try_advisory_xact_lock($1) AS locked', [this.lockKey]);
      if (!locked) return 0;
      const rows = await tx.query<{ seq: string; topic: string; envelope: EventEnvelope }>(
        'SELECT seq, topic, envelope FROM outbox WHERE published_at IS NULL ORDER BY seq LIMIT $1',
        [batch],
      );
      if (!rows.length) {
        outboxBacklog.set(0);
        return 0;
      }
      await this.transport.publish(rows.map((r) => ({ topic: r.topic, envelope: r.envelope })));
      await tx.query('UPDATE outbox SET published_at = now() WHERE seq = ANY($1::bigint[])', [rows.map((r) => r.seq)]);
      for (const r of rows) eventsPublished.inc({ topic: r.topic });
      outboxBacklog.set(rows.length === batch ? batch : 0);
      return rows.length;
    });
  }

  private schedule(delay: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.running = this.pass().finally(() => {
        this.running = null;
      });
    }, delay);
    this.timer.unref();
  }

  private async pass(): Promise<void> {
    let next = this.options.pollIntervalMs ?? 500;
    try {
      this.again = false;
      const published = await this.publishPending();
      if (published > 0 || this.again) next = 0;
      await this.cleanup();
    } catch (error) {
      this.options.onError?.(error);
      next = 1000;
    }
    if (!this.stopped) this.schedule(next);
  }

  private async cleanup(): Promise<void> {
    if (Date.now() - this.lastCleanup < 60_000) return;
    this.lastCleanup = Date.now();
    const hours = this.options.retentionHours ?? 24 * 7;
    await this.db.query('all', `DELETE FROM outbox WHERE published_at < now() - make_interval(hours => $1)`, [hours]);
  }
}
