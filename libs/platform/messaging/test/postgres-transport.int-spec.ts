import { randomUUID } from 'node:crypto';
import { Client, Pool } from 'pg';
import type { EventEnvelope } from '@hms/contracts-common';
import { uuidv7 } from '@hms/platform-persistence';
import { createTestDatabase, eventually, withDatabase, type TestDatabase } from '@hms/platform-testing';
import { PostgresTransport, type PostgresTransportOptions } from '../src/postgres-transport';
import { transportContract, type TransportFixture } from './transport-contract';

function testPool(url: string): Pool {
  const pool = new Pool({ connectionString: url, max: 4 });
  // A dropped test database terminates idle clients; that must not surface as an unhandled error.
  pool.on('error', () => undefined);
  return pool;
}

function fixtureOn(db: TestDatabase, options: Partial<PostgresTransportOptions> = {}) {
  const pools: Pool[] = [];
  const transports: PostgresTransport[] = [];
  const errors: { where: string; error: unknown }[] = [];
  // Each transport gets its own pool, as each process would.
  const newTransport = async () => {
    const pool = testPool(db.url);
    pools.push(pool);
    const transport = new PostgresTransport({
      pool,
      connectionString: db.url,
      pollIntervalMs: 50,
      leaseMs: 1500,
      onError: (error, where) => errors.push({ where, error }),
      ...options,
    });
    transports.push(transport);
    await transport.init();
    return transport;
  };
  const close = async () => {
    await Promise.all(transports.map((t) => t.close()));
    await Promise.all(pools.map((p) => p.end()));
  };
  return { newTransport, close, errors };
}

/** The postgres leg of the transport contract, on a database of its own. */
transportContract('postgres', async (): Promise<TransportFixture> => {
  const db = await createTestDatabase(`${__filename}#contract`);
  const fx = fixtureOn(db);
  const transport = await fx.newTransport();
  return {
    transport,
    newTransport: fx.newTransport,
    async cleanup() {
      await fx.close();
      await db.drop();
    },
  };
});

describe('postgres transport specifics', () => {
  let db: TestDatabase;
  let fx: ReturnType<typeof fixtureOn>;

  beforeAll(async () => {
    db = await createTestDatabase(`${__filename}#specifics`);
    fx = fixtureOn(db);
  });
  afterAll(async () => {
    await fx?.close();
    await db?.drop();
  });

  const envelope = (key: string): EventEnvelope => ({
    id: uuidv7(),
    type: 'bus.test.happened',
    version: 1,
    occurredAt: new Date().toISOString(),
    source: 'bus-test',
    branchId: null,
    key,
    actor: { type: 'system', id: 'bus-test' },
    correlationId: null,
    causationId: null,
    data: {},
  });

  it('publishes the first message of a topic that another process is registering at that moment', async () => {
    const publisher = await fx.newTransport();
    const topic = `hms.bus.first.${randomUUID().slice(0, 8)}`;
    const watcher = testPool(db.url);
    try {
      // Another member registers the topic in a transaction still open while the publisher starts.
      await db.admin('BEGIN');
      await db.admin('INSERT INTO hms_bus.topics (topic, partitions) VALUES ($1, 8)', [topic]);
      const publishing = publisher.publish([{ topic, envelope: envelope('k1') }]).then(
        () => null,
        (error: unknown) => error,
      );
      await eventually(
        async () => {
          const { rows } = await watcher.query<{ n: string }>(
            `SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%INSERT INTO hms_bus.topics%'`,
          );
          expect(Number(rows[0].n)).toBe(1);
        },
        { timeoutMs: 5000, intervalMs: 20, what: 'the publisher to wait on the topic row' },
      );
      await db.admin('COMMIT');
      expect(await publishing).toBeNull();
      const rows = await db.admin<{ n: string }>('SELECT count(*) AS n FROM hms_bus.messages WHERE topic = $1', [topic]);
      expect(Number(rows[0].n)).toBe(1);
    } finally {
      await db.admin('ROLLBACK').catch(() => undefined);
      await watcher.end();
    }
  });

  it('reconnects its LISTEN connection after the server drops it, is ready again, and is woken at once', async () => {
    const consumerSide = await fx.newTransport();
    const publisher = await fx.newTransport();
    const topic = `hms.bus.listen.${randomUUID().slice(0, 8)}`;
    const got: string[] = [];
    await consumerSide.subscribe({ group: `g-${randomUUID().slice(0, 8)}`, topics: [topic], handler: async (m) => void got.push(m.envelope.key) });
    await publisher.publish([{ topic, envelope: envelope('before') }]);
    await eventually(async () => expect(got).toEqual(['before']));
    // What a database restart does: the listener's connection is terminated, and for a few
    // seconds no new connection is accepted (the admin connection stays open meanwhile).
    const server = new Client({ connectionString: withDatabase(db.url, 'postgres') });
    await server.connect();
    await server.query(`ALTER DATABASE "${db.name}" ALLOW_CONNECTIONS false`);
    try {
      await db.admin(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'hms-bus-listener'`);
      await new Promise((r) => setTimeout(r, 2500));
      expect(await consumerSide.healthy()).toBe(false);
    } finally {
      await server.query(`ALTER DATABASE "${db.name}" ALLOW_CONNECTIONS true`);
      await server.end();
    }
    await eventually(async () => expect(await consumerSide.healthy()).toBe(true), { timeoutMs: 5000, what: 'the transport to be ready again' });
    const listeners = await db.admin<{ n: string }>(
      `SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'hms-bus-listener' AND query LIKE 'LISTEN%'`,
    );
    expect(Number(listeners[0].n)).toBeGreaterThanOrEqual(1);
    await publisher.publish([{ topic, envelope: envelope('after') }]);
    await eventually(async () => expect(got).toEqual(['before', 'after']), { timeoutMs: 3000 });
    expect(fx.errors.some((e) => e.where === 'bus listener')).toBe(true);
  });
});
