import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { defineEvent, type EventEnvelope } from '@hms/contracts-common';
import { createLogger } from '@hms/platform-observability';
import { Database, createDataSource, runMigrations, uuidv7, type Tx } from '@hms/platform-persistence';
import type { DataSource, QueryRunner } from 'typeorm';
import { createTestDatabase, eventually, type TestDatabase } from '@hms/platform-testing';
import { EventConsumer } from '../src/consumer';
import { createEnvelope, SYSTEM_ACTOR } from '../src/envelope';
import { messagingMigrations } from '../src/migrations';
import { Outbox, OutboxRelay, type AppendMeta } from '../src/outbox';
import { PostgresTransport } from '../src/postgres-transport';
import type { DeliveredMessage, EventTransport, OutgoingMessage, Subscription } from '../src/transport';

interface Thing {
  n: number;
  poison?: boolean;
}

const SCHEMA = 'svc';

/** The test's own table, recording each handler's effects. */
class Effects1767225700000 {
  readonly name = 'Effects1767225700000';
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('CREATE TABLE effects (seq bigserial PRIMARY KEY, grp text NOT NULL, event_id uuid NOT NULL, key text NOT NULL, n int NOT NULL)');
  }
  async down(): Promise<void> {
    throw new Error('forward only');
  }
}
const logger = createLogger('test', 'silent');

/** A transport that remembers what was handed to it, in order, and passes it on. */
class RecordingTransport implements EventTransport {
  readonly name = 'postgres' as const;
  readonly published: OutgoingMessage[] = [];
  constructor(private readonly inner: EventTransport) {}
  async publish(messages: readonly OutgoingMessage[]): Promise<void> {
    await this.inner.publish(messages);
    this.published.push(...messages);
  }
  subscribe(subscription: Subscription): Promise<void> {
    return this.inner.subscribe(subscription);
  }
  healthy(): Promise<boolean> {
    return this.inner.healthy();
  }
  close(): Promise<void> {
    return this.inner.close();
  }
}

function testPool(url: string): Pool {
  const pool = new Pool({ connectionString: url, max: 6 });
  pool.on('error', () => undefined);
  return pool;
}

let tdb: TestDatabase;
let pool: Pool;
let dataSource: DataSource;
let busPool: Pool;
let db: Database;
let bus: PostgresTransport;
const busErrors: unknown[] = [];

beforeAll(async () => {
  tdb = await createTestDatabase(__filename);
  ({ dataSource, pool } = await createDataSource({
    url: tdb.url,
    schema: SCHEMA,
    poolSize: 6,
    applicationName: 'outbox-consumer-test',
    entities: [],
    migrations: [...messagingMigrations, Effects1767225700000],
  }));
  busPool = testPool(tdb.url);
  await runMigrations(dataSource, { schema: SCHEMA, role: 'hms_svc' });
  db = new Database(pool, { schema: SCHEMA, role: 'hms_svc', dataSource });
  bus = new PostgresTransport({ pool: busPool, connectionString: tdb.url, pollIntervalMs: 50, leaseMs: 1500, onError: (e) => busErrors.push(e) });
  await bus.init();
});

/** A transport of its own for a test that subscribes, so that its consumers stop with the test. */
const extraPools: Pool[] = [];
async function newBusTransport(): Promise<PostgresTransport> {
  const p = testPool(tdb.url);
  extraPools.push(p);
  const t = new PostgresTransport({ pool: p, connectionString: tdb.url, pollIntervalMs: 50, leaseMs: 1500, onError: (e) => busErrors.push(e) });
  await t.init();
  return t;
}

afterAll(async () => {
  await Promise.all(extraPools.map((p) => p.end()));
  await bus?.close();
  await busPool?.end();
  await dataSource?.destroy();
  await tdb?.drop();
});

const unique = (what: string) => `${what}-${randomUUID().slice(0, 8)}`;
const meta = (key: string): AppendMeta => ({ key, branchId: null, actor: SYSTEM_ACTOR('test') });
const definition = (what: string) => defineEvent<Thing>(`test.${what}.happened`, `hms.test.${unique(what)}.v1`);

async function effects(grp: string): Promise<{ event_id: string; key: string; n: number }[]> {
  return tdb.admin('SELECT event_id, key, n FROM svc.effects WHERE grp = $1 ORDER BY seq', [grp]);
}
async function busIds(topic: string): Promise<string[]> {
  const rows = await tdb.admin<{ id: string }>(`SELECT envelope->>'id' AS id FROM hms_bus.messages WHERE topic = $1 ORDER BY partition, "offset"`, [topic]);
  return rows.map((r) => r.id);
}
const recordEffect = (grp: string) => async (envelope: EventEnvelope, tx: Tx) => {
  await tx.query('INSERT INTO effects (grp, event_id, key, n) VALUES ($1, $2, $3, $4)', [grp, envelope.id, envelope.key, (envelope.data as Thing).n]);
};

describe('outbox and relay', () => {
  it('never publishes events of a transaction that rolled back, and publishes committed ones in commit order', async () => {
    const def = definition('order');
    const transport = new RecordingTransport(bus);
    const relay = new OutboxRelay(db, transport, { batchSize: 2 });
    const outbox = new Outbox('test');
    outbox.attach(relay); // not started: passes are driven by hand below

    const first = await db.transaction('all', async (tx) => [
      await outbox.append(tx, def, { n: 1 }, meta('agg-1')),
      await outbox.append(tx, def, { n: 2 }, meta('agg-1')),
      await outbox.append(tx, def, { n: 3 }, meta('agg-2')),
    ]);
    let rolledBack: EventEnvelope | null = null;
    await expect(
      db.transaction('all', async (tx) => {
        rolledBack = await outbox.append(tx, def, { n: 99 }, meta('agg-1'));
        throw new Error('the state change failed');
      }),
    ).rejects.toThrow('the state change failed');
    const second = await db.transaction('all', async (tx) => [
      await outbox.append(tx, def, { n: 4 }, meta('agg-2')),
      await outbox.append(tx, def, { n: 5 }, meta('agg-1')),
    ]);

    const passes: number[] = [];
    for (let published = -1; published !== 0; ) passes.push((published = await relay.publishPending()));
    expect(passes).toEqual([2, 2, 1, 0]);

    const committed = [...first, ...second].map((e) => e.id);
    expect(transport.published.map((m) => m.envelope.id)).toEqual(committed);
    expect(transport.published.every((m) => m.topic === def.topic)).toBe(true);
    expect(rolledBack).not.toBeNull();
    const rolledBackId = (rolledBack as EventEnvelope | null)?.id;
    const onBus = await busIds(def.topic);
    expect([...onBus].sort()).toEqual([...committed].sort());
    expect(onBus).not.toContain(rolledBackId);
    // Per aggregate, the bus holds them in the order they were committed.
    const agg1 = [first[0].id, first[1].id, second[1].id];
    expect(onBus.filter((id) => agg1.includes(id))).toEqual(agg1);
    expect(await tdb.admin('SELECT 1 FROM svc.outbox WHERE event_id = $1', [rolledBackId])).toHaveLength(0);
    expect(await tdb.admin('SELECT 1 FROM svc.outbox WHERE published_at IS NULL')).toHaveLength(0);
  });

  it('publishes an event of a still-open transaction only once that transaction commits', async () => {
    const def = definition('open');
    const transport = new RecordingTransport(bus);
    const relay = new OutboxRelay(db, transport);
    const outbox = new Outbox('test');
    let release: () => void = () => undefined;
    const released = new Promise<void>((r) => (release = r));
    let appended: () => void = () => undefined;
    const wasAppended = new Promise<void>((r) => (appended = r));

    const open = db.transaction('all', async (tx) => {
      const e = await outbox.append(tx, def, { n: 1 }, meta('agg-open'));
      appended();
      await released;
      return e;
    });
    await wasAppended;
    expect(await relay.publishPending()).toBe(0);
    expect(transport.published).toHaveLength(0);
    release();
    const event = await open;
    expect(await relay.publishPending()).toBe(1);
    expect(transport.published.map((m) => m.envelope.id)).toEqual([event.id]);
    expect(await busIds(def.topic)).toEqual([event.id]);
  });
});

describe('consumer', () => {
  const delivered = (topic: string, envelope: EventEnvelope, offset = '0'): DeliveredMessage => ({ topic, partition: 0, offset, envelope });

  it('applies a redelivered event once (inbox), whether the copies arrive one after another or together', async () => {
    const grp = unique('inbox');
    const def = definition('inbox');
    const consumer = new EventConsumer(db, bus, grp, logger, { maxAttempts: 2, backoffMs: 5 });
    let calls = 0;
    consumer.on(def.type, async (envelope, tx) => {
      calls++;
      await recordEffect(grp)(envelope, tx);
    });
    const envelope = createEnvelope(def, { n: 1 }, { ...meta('agg-1'), source: 'test' });
    await consumer.deliver(delivered(def.topic, envelope));
    await consumer.deliver(delivered(def.topic, structuredClone(envelope)));
    expect(await effects(grp)).toHaveLength(1);
    expect(calls).toBe(1);

    const other = createEnvelope(def, { n: 2 }, { ...meta('agg-1'), source: 'test' });
    await Promise.all([consumer.deliver(delivered(def.topic, other, '1')), consumer.deliver(delivered(def.topic, structuredClone(other), '1'))]);
    expect((await effects(grp)).map((e) => e.event_id)).toEqual([envelope.id, other.id]);
    expect(await tdb.admin('SELECT event_id FROM svc.inbox WHERE consumer_group = $1', [grp])).toHaveLength(2);
    expect(await consumer.listDeadLetters(10)).toEqual([]);
  });

  it('retries a failing handler with backoff, parks it as a dead letter while later events go on, and replays it once fixed', async () => {
    const grp = unique('dlq');
    const def = definition('dlq');
    const transport = await newBusTransport();
    const consumer = new EventConsumer(db, transport, grp, logger, { maxAttempts: 3, backoffMs: 20 });
    let fixed = false;
    const attemptsAt = new Map<number, number[]>();
    consumer.on(def.type, async (envelope, tx) => {
      const data = envelope.data as Thing;
      attemptsAt.set(data.n, [...(attemptsAt.get(data.n) ?? []), Date.now()]);
      // The effect is written before the failure: a failed attempt must leave nothing behind.
      await recordEffect(grp)(envelope, tx);
      if (data.poison && !fixed) throw new Error(`cannot apply event ${data.n}`);
    });
    try {
      await consumer.start([def.topic]);
      const envelopes = [1, 2, 3].map((n) => createEnvelope(def, { n, poison: n === 2 }, { ...meta('agg-1'), source: 'test' }));
      await bus.publish(envelopes.map((envelope) => ({ topic: def.topic, envelope })));

      await eventually(async () => expect((await effects(grp)).map((e) => e.n)).toEqual([1, 3]), { what: 'events 1 and 3 applied' });
      const [parked, ...more] = await consumer.listDeadLetters(10);
      expect(more).toEqual([]);
      expect(parked).toMatchObject({ consumerGroup: grp, topic: def.topic, eventId: envelopes[1].id, eventType: def.type, attempts: 3, replayedAt: null });
      expect(parked.error).toContain('cannot apply event 2');
      // Three attempts, spaced by the doubling backoff (20 ms, then 40 ms).
      const times = attemptsAt.get(2) ?? [];
      expect(times).toHaveLength(3);
      expect(times[1] - times[0]).toBeGreaterThanOrEqual(18);
      expect(times[2] - times[1]).toBeGreaterThanOrEqual(38);

      // Replaying while the handler is still broken changes nothing.
      await expect(consumer.replay(parked.id)).rejects.toThrow('cannot apply event 2');
      expect((await consumer.listDeadLetters(10)).map((d) => d.id)).toEqual([parked.id]);

      fixed = true;
      expect(await consumer.replay(parked.id)).toBe('replayed');
      expect((await effects(grp)).map((e) => e.n)).toEqual([1, 3, 2]);
      expect(await consumer.listDeadLetters(10)).toEqual([]);
      const [history] = await consumer.listDeadLetters(10, true);
      expect(history.id).toBe(parked.id);
      expect(history.replayedAt).not.toBeNull();
      expect(await consumer.replay(parked.id)).toBe('already-replayed');
      expect(await consumer.replay('987654321')).toBe('not-found');
      expect((await effects(grp)).map((e) => e.n)).toEqual([1, 3, 2]);
    } finally {
      await transport.close();
    }
  });

  it('never parks an event because the database could not be reached: the transport gets it back to deliver again', async () => {
    const grp = unique('outage');
    const def = definition('outage');
    const consumer = new EventConsumer(db, bus, grp, logger, { maxAttempts: 2, backoffMs: 5 });
    let down = true;
    consumer.on(def.type, async (envelope, tx) => {
      // What pg reports while the server restarts.
      if (down) throw Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' });
      await recordEffect(grp)(envelope, tx);
    });
    const envelope = createEnvelope(def, { n: 1 }, { ...meta('agg-1'), source: 'test' });
    for (let i = 0; i < 3; i++) await expect(consumer.deliver(delivered(def.topic, envelope))).rejects.toMatchObject({ code: '57P01' });
    expect(await consumer.listDeadLetters(10)).toEqual([]);
    down = false;
    await consumer.deliver(delivered(def.topic, envelope));
    expect((await effects(grp)).map((e) => e.n)).toEqual([1]);
  });

  it('lists and replays a branch’s dead letters for that branch only; every branch’s for the platform', async () => {
    const grp = unique('dlq-branch');
    const def = definition('dlq-branch');
    const consumer = new EventConsumer(db, bus, grp, logger, { maxAttempts: 1, backoffMs: 1 });
    consumer.on(def.type, async () => {
      throw new Error('cannot apply');
    });
    const [a, b] = ['01a20000-0000-7000-8000-0000000000a1', '01a20000-0000-7000-8000-0000000000b2'];
    const ofA = createEnvelope(def, { n: 1 }, { ...meta('k'), branchId: a, source: 'test' });
    const ofB = createEnvelope(def, { n: 2 }, { ...meta('k'), branchId: b, source: 'test' });
    const global = createEnvelope(def, { n: 3 }, { ...meta('k'), source: 'test' });
    for (const [i, e] of [ofA, ofB, global].entries()) await consumer.deliver(delivered(def.topic, e, String(i)));
    expect((await consumer.listDeadLetters(10, false, { branchId: a })).map((d) => d.eventId)).toEqual([ofA.id]);
    expect((await consumer.listDeadLetters(10, false, { branchId: b })).map((d) => [d.eventId, d.branchId])).toEqual([[ofB.id, b]]);
    expect((await consumer.listDeadLetters(10, false, 'all')).map((d) => d.eventId)).toEqual([ofA.id, ofB.id, global.id]);
    const parkedB = (await consumer.listDeadLetters(10, false, 'all'))[1];
    expect(await consumer.replay(parkedB.id, { branchId: a })).toBe('not-found');
  });

  it('parks malformed envelopes at once, without retries and without calling a handler', async () => {
    const grp = unique('malformed');
    const consumer = new EventConsumer(db, bus, grp, logger, { maxAttempts: 5, backoffMs: 2000 });
    let calls = 0;
    consumer.onAny(async () => {
      calls++;
    });
    const topic = `hms.test.${unique('malformed')}.v1`;
    const lacksType = { id: uuidv7(), version: 1, occurredAt: new Date().toISOString(), source: 'x', key: 'k', actor: { type: 'system', id: 'x' } };
    const started = Date.now();
    await consumer.deliver(delivered(topic, lacksType as unknown as EventEnvelope));
    await consumer.deliver(delivered(topic, null as unknown as EventEnvelope, '1'));
    await consumer.deliver(delivered(topic, 'not an event' as unknown as EventEnvelope, '2'));
    // One retry would have waited two seconds.
    expect(Date.now() - started).toBeLessThan(1500);
    expect(calls).toBe(0);

    const parked = await consumer.listDeadLetters(10);
    expect(parked.map((d) => [d.eventId, d.error, d.attempts])).toEqual([
      [lacksType.id, 'event lacks type', 1],
      [null, 'event is not an object', 1],
      [null, 'event is not an object', 1],
    ]);
    await expect(consumer.replay(parked[1].id)).rejects.toThrow('event is not an object');
  });
});

describe('relay and consumer end to end', () => {
  it('delivers 100 events appended through the outbox to the consumer, each applied once and in order per aggregate', async () => {
    const grp = unique('e2e');
    const def = definition('e2e');
    const transport = await newBusTransport();
    const relay = new OutboxRelay(db, transport, { pollIntervalMs: 50, batchSize: 30 });
    const outbox = new Outbox('test');
    outbox.attach(relay);
    const consumer = new EventConsumer(db, transport, grp, logger, { maxAttempts: 3, backoffMs: 10 });
    const calls = new Map<string, number>();
    consumer.on(def.type, async (envelope, tx) => {
      calls.set(envelope.id, (calls.get(envelope.id) ?? 0) + 1);
      await recordEffect(grp)(envelope, tx);
    });

    const appended: EventEnvelope<Thing>[] = [];
    for (let t = 0; t < 10; t++) {
      await db.transaction('all', async (tx) => {
        for (let i = 0; i < 10; i++) appended.push(await outbox.append(tx, def, { n: t * 10 + i }, meta(`agg-${i}`)));
      });
    }
    try {
      await consumer.start([def.topic]);
      relay.start();
      await eventually(async () => expect(await effects(grp)).toHaveLength(100), { what: '100 events applied' });
    } finally {
      await relay.stop();
      await transport.close();
    }

    const applied = await effects(grp);
    expect(new Set(applied.map((e) => e.event_id)).size).toBe(100);
    expect([...calls.values()].every((c) => c === 1)).toBe(true);
    expect(calls.size).toBe(100);
    for (let i = 0; i < 10; i++) {
      const key = `agg-${i}`;
      expect({ key, n: applied.filter((e) => e.key === key).map((e) => e.n) }).toEqual({ key, n: appended.filter((e) => e.key === key).map((e) => e.data.n) });
    }
    expect(await tdb.admin('SELECT 1 FROM svc.inbox WHERE consumer_group = $1', [grp])).toHaveLength(100);
    expect(await tdb.admin('SELECT 1 FROM svc.outbox WHERE published_at IS NULL')).toHaveLength(0);
    expect(await consumer.listDeadLetters(10)).toEqual([]);
    expect(busErrors).toEqual([]);
  });
});

