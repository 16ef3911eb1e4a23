import { randomUUID } from 'node:crypto';
import { Client, Pool } from 'pg';
import { migrate, type Migration } from '@hms/platform-persistence';
import type { EventEnvelope } from '@hms/contracts-common';
import { partitionFor, type DeliveredMessage, type EventTransport, type OutgoingMessage, type Subscription } from './transport';

const BUS_SCHEMA = 'hms_bus';
const CHANNEL = 'hms_bus';

const busMigrations: Migration[] = [
  {
    id: '0001_bus',
    up: `
      CREATE TABLE topics (topic text PRIMARY KEY, partitions int NOT NULL CHECK (partitions > 0), created_at timestamptz NOT NULL DEFAULT now());
      CREATE TABLE partition_heads (topic text NOT NULL, partition int NOT NULL, next_offset bigint NOT NULL, PRIMARY KEY (topic, partition));
      CREATE TABLE messages (
        topic text NOT NULL, partition int NOT NULL, "offset" bigint NOT NULL,
        key text NOT NULL, event_id uuid NOT NULL, envelope jsonb NOT NULL,
        published_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (topic, partition, "offset")
      );
      CREATE TABLE consumer_offsets (group_id text NOT NULL, topic text NOT NULL, partition int NOT NULL, next_offset bigint NOT NULL, PRIMARY KEY (group_id, topic, partition));
      CREATE TABLE group_members (group_id text NOT NULL, member_id text NOT NULL, heartbeat_at timestamptz NOT NULL, PRIMARY KEY (group_id, member_id));
      CREATE TABLE partition_leases (group_id text NOT NULL, topic text NOT NULL, partition int NOT NULL, member_id text NOT NULL, expires_at timestamptz NOT NULL, PRIMARY KEY (group_id, topic, partition));
    `,
  },
];

export interface PostgresTransportOptions {
  /** Pool on the database that holds the bus (usually the platform's own database). */
  pool: Pool;
  /** Used for the LISTEN connection, which must not come from the pool. */
  connectionString: string;
  partitions?: number;
  pollIntervalMs?: number;
  leaseMs?: number;
  batchSize?: number;
  onError?: (error: unknown, where: string) => void;
}

interface PartitionRef {
  topic: string;
  partition: number;
}
const refKey = (r: PartitionRef) => `${r.topic}#${r.partition}`;

/**
 * An event bus in PostgreSQL with the semantics the platform takes from Kafka: topics split
 * into partitions by key, offsets assigned in commit order per partition, consumer groups with
 * committed offsets and leased partitions, redelivery of anything not committed, replay from the
 * start for a new group. Publishers of one partition serialise on its head row, so a reader
 * never sees offset n+1 committed before offset n.
 */
export class PostgresTransport implements EventTransport {
  readonly name = 'postgres' as const;
  private readonly partitions: number;
  private readonly topicPartitions = new Map<string, number>();
  private readonly consumers: GroupConsumer[] = [];
  private listener: Client | null = null;
  private listening: Promise<void> | null = null;
  private ready: Promise<void> | null = null;
  private closed = false;

  constructor(private readonly options: PostgresTransportOptions) {
    this.partitions = options.partitions ?? 8;
  }

  /** Creates the bus schema if needed. Idempotent; publish and subscribe call it. */
  init(): Promise<void> {
    this.ready ??= migrate(this.options.pool, { schema: BUS_SCHEMA, role: 'hms_bus', migrations: busMigrations }).then(
      () => undefined,
      (error: unknown) => {
        // A database that was down at start-up must not leave the transport broken for good.
        this.ready = null;
        throw error;
      },
    );
    return this.ready;
  }

  async publish(messages: readonly OutgoingMessage[]): Promise<void> {
    if (!messages.length) return;
    await this.init();
    const client = await this.options.pool.connect();
    try {
      await client.query('BEGIN');
      const byPartition = new Map<string, { topic: string; partition: number; envelopes: EventEnvelope[] }>();
      for (const m of messages) {
        const partitions = await this.partitionsOf(client, m.topic);
        const partition = partitionFor(m.envelope.key, partitions);
        const k = `${m.topic}#${partition}`;
        let bucket = byPartition.get(k);
        if (!bucket) byPartition.set(k, (bucket = { topic: m.topic, partition, envelopes: [] }));
        bucket.envelopes.push(m.envelope);
      }
      // Lock partition heads in a fixed order so that concurrent publishers cannot deadlock.
      const buckets = [...byPartition.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, b]) => b);
      for (const b of buckets) {
        const n = b.envelopes.length;
        const { rows } = await client.query<{ next_offset: string }>(
          `INSERT INTO ${BUS_SCHEMA}.partition_heads (topic, partition, next_offset) VALUES ($1, $2, $3)
           ON CONFLICT (topic, partition) DO UPDATE SET next_offset = partition_heads.next_offset + EXCLUDED.next_offset
           RETURNING next_offset`,
          [b.topic, b.partition, n],
        );
        const first = BigInt(rows[0].next_offset) - BigInt(n);
        await client.query(
          `INSERT INTO ${BUS_SCHEMA}.messages (topic, partition, "offset", key, event_id, envelope)
           SELECT $1, $2, $3::bigint + ord - 1, e->>'key', (e->>'id')::uuid, e
           FROM jsonb_array_elements($4::jsonb) WITH ORDINALITY AS t(e, ord)`,
          [b.topic, b.partition, first.toString(), JSON.stringify(b.envelopes)],
        );
      }
      for (const topic of new Set(messages.map((m) => m.topic))) {
        await client.query('SELECT pg_notify($1, $2)', [CHANNEL, topic]);
      }
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  async subscribe(subscription: Subscription): Promise<void> {
    await this.init();
    await this.ensureListener();
    const consumer = new GroupConsumer(this.options, subscription, this.partitions);
    this.consumers.push(consumer);
    consumer.start();
  }

  async healthy(): Promise<boolean> {
    try {
      await this.options.pool.query('SELECT 1');
      return this.consumers.length === 0 || this.listener !== null;
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.consumers.map((c) => c.stop()));
    const listener = this.listener;
    this.listener = null;
    await listener?.end().catch(() => undefined);
  }

  private async partitionsOf(client: { query: Pool['query'] }, topic: string): Promise<number> {
    const known = this.topicPartitions.get(topic);
    if (known) return known;
    const { rows } = await client.query<{ partitions: number }>(
      `WITH ins AS (INSERT INTO ${BUS_SCHEMA}.topics (topic, partitions) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING partitions)
       SELECT partitions FROM ins UNION ALL SELECT partitions FROM ${BUS_SCHEMA}.topics WHERE topic = $1 LIMIT 1`,
      [topic, this.partitions],
    );
    let n = rows[0]?.partitions;
    if (n === undefined) {
      // Another transaction created the topic while this statement waited on it: the statement's
      // snapshot predates that commit, a new statement sees it.
      const again = await client.query<{ partitions: number }>(`SELECT partitions FROM ${BUS_SCHEMA}.topics WHERE topic = $1`, [topic]);
      n = again.rows[0].partitions;
    }
    this.topicPartitions.set(topic, n);
    return n;
  }

  /**
   * Keeps one LISTEN connection open for as long as the transport runs: after the database
   * restarts or the connection drops, it reconnects with backoff (0.25 s doubling to 5 s) and
   * wakes every consumer, which may have missed notifications meanwhile. Consumers poll anyway.
   */
  private ensureListener(): Promise<void> {
    this.listening ??= this.connectListener().finally(() => {
      this.listening = null;
    });
    return this.listening;
  }

  private async connectListener(): Promise<void> {
    let delay = 250;
    while (!this.listener && !this.closed) {
      const client = new Client({ connectionString: this.options.connectionString, application_name: 'hms-bus-listener', connectionTimeoutMillis: 5_000 });
      let lost = false;
      const onLost = (error?: Error) => {
        if (lost) return;
        lost = true;
        if (error) this.options.onError?.(error, 'bus listener');
        if (this.listener === client) this.listener = null;
        client.end().catch(() => undefined);
        if (!this.closed) void this.ensureListener();
      };
      client.on('error', onLost);
      client.on('end', () => onLost());
      client.on('notification', (n) => {
        for (const c of this.consumers) c.wake(n.payload ?? '');
      });
      try {
        await client.connect();
        await client.query(`LISTEN ${CHANNEL}`);
        if (lost) continue;
        if (this.closed) {
          await client.end().catch(() => undefined);
          return;
        }
        this.listener = client;
        for (const c of this.consumers) c.wake('*');
        return;
      } catch (error) {
        onLost(error as Error);
        await new Promise((r) => setTimeout(r, delay).unref());
        delay = Math.min(delay * 2, 5_000);
      }
    }
  }
}

class GroupConsumer {
  private readonly memberId = randomUUID();
  private readonly pollMs: number;
  private readonly leaseMs: number;
  private readonly batch: number;
  private owned = new Map<string, PartitionRef & { next: bigint }>();
  private lastRebalance = 0;
  private stopping = false;
  private loop: Promise<void> | null = null;
  private sleeper: { timer: NodeJS.Timeout; resolve: () => void } | null = null;
  private woken = false;
  private heartbeat: NodeJS.Timeout | null = null;

  constructor(
    private readonly options: PostgresTransportOptions,
    private readonly sub: Subscription,
    private readonly defaultPartitions: number,
  ) {
    this.pollMs = options.pollIntervalMs ?? 1000;
    this.leaseMs = options.leaseMs ?? 6000;
    this.batch = options.batchSize ?? 200;
  }

  start(): void {
    this.loop = this.run();
    // Leases are renewed on a timer of their own, so a long batch does not lose its partitions.
    this.heartbeat = setInterval(() => void this.renewLeases().catch((e) => this.options.onError?.(e, `consumer ${this.sub.group} heartbeat`)), this.leaseMs / 3);
    this.heartbeat.unref();
  }

  private async renewLeases(): Promise<void> {
    if (this.stopping || !this.owned.size) return;
    const pool = this.options.pool;
    await pool.query(`UPDATE ${BUS_SCHEMA}.group_members SET heartbeat_at = now() WHERE group_id = $1 AND member_id = $2`, [this.sub.group, this.memberId]);
    await pool.query(
      `UPDATE ${BUS_SCHEMA}.partition_leases SET expires_at = now() + $3::interval WHERE group_id = $1 AND member_id = $2`,
      [this.sub.group, this.memberId, `${this.leaseMs} milliseconds`],
    );
  }

  /** Wakes the loop for news on `topic` (`*`: anything may have arrived). */
  wake(topic: string): void {
    if (topic !== '*' && this.sub.topics !== '*' && !this.sub.topics.includes(topic)) return;
    this.woken = true;
    if (this.sleeper) {
      clearTimeout(this.sleeper.timer);
      this.sleeper.resolve();
      this.sleeper = null;
    }
  }

  async stop(): Promise<void> {
    this.stopping = true;
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.wake('*');
    await this.loop;
    const pool = this.options.pool;
    await pool
      .query(`DELETE FROM ${BUS_SCHEMA}.partition_leases WHERE group_id = $1 AND member_id = $2`, [this.sub.group, this.memberId])
      .catch(() => undefined);
    await pool
      .query(`DELETE FROM ${BUS_SCHEMA}.group_members WHERE group_id = $1 AND member_id = $2`, [this.sub.group, this.memberId])
      .catch(() => undefined);
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      let more = false;
      try {
        if (Date.now() - this.lastRebalance > this.leaseMs / 3) await this.rebalance();
        more = await this.consumeOnce();
      } catch (error) {
        this.options.onError?.(error, `consumer ${this.sub.group}`);
        this.lastRebalance = 0;
      }
      if (!more && !this.stopping) await this.sleep();
    }
  }

  private sleep(): Promise<void> {
    if (this.woken) {
      this.woken = false;
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.sleeper = null;
        resolve();
      }, this.pollMs);
      this.sleeper = { timer, resolve };
    }).then(() => {
      this.woken = false;
    });
  }

  /** Heartbeat, then claim a fair share of the group's partitions and renew the leases held. */
  private async rebalance(): Promise<void> {
    const pool = this.options.pool;
    const g = this.sub.group;
    const lease = `${this.leaseMs} milliseconds`;
    await pool.query(
      `INSERT INTO ${BUS_SCHEMA}.group_members (group_id, member_id, heartbeat_at) VALUES ($1, $2, now())
       ON CONFLICT (group_id, member_id) DO UPDATE SET heartbeat_at = now()`,
      [g, this.memberId],
    );
    await pool.query(`DELETE FROM ${BUS_SCHEMA}.group_members WHERE group_id = $1 AND heartbeat_at < now() - $2::interval`, [g, `${this.leaseMs * 2} milliseconds`]);

    if (this.sub.topics !== '*') {
      for (const topic of this.sub.topics) {
        await pool.query(`INSERT INTO ${BUS_SCHEMA}.topics (topic, partitions) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [topic, this.defaultPartitions]);
      }
    }
    const topicRows = (
      await pool.query<{ topic: string; partitions: number }>(
        this.sub.topics === '*'
          ? `SELECT topic, partitions FROM ${BUS_SCHEMA}.topics ORDER BY topic`
          : `SELECT topic, partitions FROM ${BUS_SCHEMA}.topics WHERE topic = ANY($1) ORDER BY topic`,
        this.sub.topics === '*' ? [] : [this.sub.topics],
      )
    ).rows;
    const all: PartitionRef[] = topicRows.flatMap((t) => Array.from({ length: t.partitions }, (_, partition) => ({ topic: t.topic, partition })));
    const members = Number(
      (await pool.query<{ n: string }>(`SELECT count(*) AS n FROM ${BUS_SCHEMA}.group_members WHERE group_id = $1`, [g])).rows[0].n,
    );
    const fair = Math.ceil(all.length / Math.max(1, members));

    const renewed = (
      await pool.query<PartitionRef>(
        `UPDATE ${BUS_SCHEMA}.partition_leases SET expires_at = now() + $3::interval
         WHERE group_id = $1 AND member_id = $2 RETURNING topic, partition`,
        [g, this.memberId, lease],
      )
    ).rows;
    let mine = renewed;
    if (mine.length > fair) {
      const extra = mine.slice(fair);
      await pool.query(
        `DELETE FROM ${BUS_SCHEMA}.partition_leases l USING unnest($3::text[], $4::int[]) AS x(topic, partition)
         WHERE l.group_id = $1 AND l.member_id = $2 AND l.topic = x.topic AND l.partition = x.partition`,
        [g, this.memberId, extra.map((e) => e.topic), extra.map((e) => e.partition)],
      );
      mine = mine.slice(0, fair);
    } else if (mine.length < fair) {
      const held = new Set(
        (
          await pool.query<PartitionRef>(`SELECT topic, partition FROM ${BUS_SCHEMA}.partition_leases WHERE group_id = $1 AND expires_at > now()`, [g])
        ).rows.map(refKey),
      );
      const free = all.filter((r) => !held.has(refKey(r))).slice(0, fair - mine.length);
      if (free.length) {
        const claimed = (
          await pool.query<PartitionRef>(
            `INSERT INTO ${BUS_SCHEMA}.partition_leases (group_id, topic, partition, member_id, expires_at)
             SELECT $1, x.topic, x.partition, $2, now() + $5::interval FROM unnest($3::text[], $4::int[]) AS x(topic, partition)
             ON CONFLICT (group_id, topic, partition) DO UPDATE SET member_id = EXCLUDED.member_id, expires_at = EXCLUDED.expires_at
               WHERE partition_leases.expires_at <= now() OR partition_leases.member_id = EXCLUDED.member_id
             RETURNING topic, partition`,
            [g, this.memberId, free.map((f) => f.topic), free.map((f) => f.partition), lease],
          )
        ).rows;
        mine = [...mine, ...claimed];
      }
    }

    const next = new Map<string, PartitionRef & { next: bigint }>();
    const fresh = mine.filter((r) => !this.owned.has(refKey(r)));
    const offsets = new Map<string, bigint>();
    if (fresh.length) {
      const rows = (
        await pool.query<PartitionRef & { next_offset: string }>(
          `SELECT topic, partition, next_offset FROM ${BUS_SCHEMA}.consumer_offsets WHERE group_id = $1`,
          [g],
        )
      ).rows;
      for (const r of rows) offsets.set(refKey(r), BigInt(r.next_offset));
    }
    for (const r of mine) {
      const k = refKey(r);
      next.set(k, this.owned.get(k) ?? { ...r, next: offsets.get(k) ?? 0n });
    }
    this.owned = next;
    this.lastRebalance = Date.now();
  }

  /** Reads one batch from every owned partition and hands it over in order. True if more may be waiting. */
  private async consumeOnce(): Promise<boolean> {
    if (!this.owned.size) return false;
    const parts = [...this.owned.values()];
    const { rows } = await this.options.pool.query<{ topic: string; partition: number; offset: string; envelope: EventEnvelope }>(
      `SELECT m.topic, m.partition, m."offset", m.envelope
       FROM unnest($1::text[], $2::int[], $3::bigint[]) AS o(topic, partition, next)
       CROSS JOIN LATERAL (
         SELECT topic, partition, "offset", envelope FROM ${BUS_SCHEMA}.messages m
         WHERE m.topic = o.topic AND m.partition = o.partition AND m."offset" >= o.next
         ORDER BY m."offset" LIMIT $4
       ) m`,
      [parts.map((p) => p.topic), parts.map((p) => p.partition), parts.map((p) => p.next.toString()), this.batch],
    );
    if (!rows.length) return false;
    const byPartition = new Map<string, DeliveredMessage[]>();
    for (const r of rows) {
      const k = `${r.topic}#${r.partition}`;
      let list = byPartition.get(k);
      if (!list) byPartition.set(k, (list = []));
      list.push({ topic: r.topic, partition: r.partition, offset: r.offset, envelope: r.envelope });
    }
    let full = false;
    // allSettled, not all: when one partition's handler throws, the others must finish (and commit)
    // before the loop reads again, or their uncommitted messages would be handed out a second time
    // while the first handlers are still running.
    const outcomes = await Promise.allSettled(
      [...byPartition.entries()].map(async ([k, messages]) => {
        const state = this.owned.get(k);
        if (!state) return;
        let done: bigint | null = null;
        try {
          for (const m of messages) {
            if (this.stopping) break;
            await this.sub.handler(m);
            done = BigInt(m.offset);
          }
        } finally {
          if (done !== null) await this.commit(state, done + 1n);
        }
        if (messages.length >= this.batch) full = true;
      }),
    );
    const failed = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
    if (failed) throw failed.reason;
    return full && !this.stopping;
  }

  private async commit(state: PartitionRef & { next: bigint }, next: bigint): Promise<void> {
    // Only a member still holding the lease may move the offset; a member that lost it
    // leaves the work to the new owner, which may redeliver (the inbox makes that harmless).
    const { rowCount } = await this.options.pool.query(
      `INSERT INTO ${BUS_SCHEMA}.consumer_offsets (group_id, topic, partition, next_offset)
       SELECT $1, $2, $3, $4 WHERE EXISTS (
         SELECT 1 FROM ${BUS_SCHEMA}.partition_leases WHERE group_id = $1 AND topic = $2 AND partition = $3 AND member_id = $5)
       ON CONFLICT (group_id, topic, partition) DO UPDATE SET next_offset = GREATEST(consumer_offsets.next_offset, EXCLUDED.next_offset)`,
      [this.sub.group, state.topic, state.partition, next.toString(), this.memberId],
    );
    if (rowCount) state.next = next;
    else {
      this.owned.delete(refKey(state));
      this.lastRebalance = 0;
    }
  }
}
