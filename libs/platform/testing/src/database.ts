import { createHash, randomBytes } from 'node:crypto';
import { execSync } from 'node:child_process';
import { Client } from 'pg';

const LOCAL_SERVER = 'postgres://postgres@127.0.0.1:5432/postgres';

let serverUrl: Promise<string> | null = null;

/**
 * The PostgreSQL server tests use: TEST_DATABASE_URL or DATABASE_URL when given; otherwise the
 * local server when one answers; otherwise, where a Docker engine runs, a container started with
 * testcontainers. Never an in-memory imitation.
 */
export function testServerUrl(): Promise<string> {
  serverUrl ??= (async () => {
    const given = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL;
    if (given) return given;
    if (await reachable(LOCAL_SERVER)) return LOCAL_SERVER;
    if (dockerAvailable()) return startContainer();
    throw new Error('No PostgreSQL for tests: set TEST_DATABASE_URL, run one on 127.0.0.1:5432, or run a Docker engine');
  })();
  return serverUrl;
}

async function reachable(url: string): Promise<boolean> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Whether a Docker engine answers here (testcontainers can start servers for the tests). */
export function dockerAvailable(): boolean {
  try {
    execSync('docker info', { stdio: 'ignore', timeout: 5000 });
    return true;
  } catch {
    return false;
  }
}

async function startContainer(): Promise<string> {
  // Loaded only where it is needed: testcontainers pulls in a Docker client.
  const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
  const container = await new PostgreSqlContainer('postgres:16-alpine').start();
  return container.getConnectionUri();
}

let kafka: Promise<string[] | null> | null = null;

/**
 * Kafka brokers for the Kafka leg of the transport contract tests: KAFKA_BROKERS when set,
 * otherwise a KRaft broker started with testcontainers where a Docker engine runs, otherwise
 * none (the caller reports the leg as skipped).
 */
export function testKafkaBrokers(): Promise<string[] | null> {
  kafka ??= (async () => {
    const given = process.env.KAFKA_BROKERS;
    if (given) return given.split(',').map((b) => b.trim()).filter(Boolean);
    if (!dockerAvailable()) return null;
    const { KafkaContainer } = await import('@testcontainers/kafka');
    const container = await new KafkaContainer('confluentinc/cp-kafka:7.7.1').withKraft().start();
    return [`${container.getHost()}:${container.getMappedPort(9093)}`];
  })();
  return kafka;
}

export interface TestDatabase {
  name: string;
  url: string;
  /** Runs SQL as the server's administrator (to tamper with data, inspect, or set up). */
  admin<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  drop(): Promise<void>;
}

/** A fresh database for one test file on the real server; dropped when the file is done. */
export async function createTestDatabase(label: string): Promise<TestDatabase> {
  const server = await testServerUrl();
  const slug = label.replace(/[^a-z0-9]+/gi, '_').toLowerCase().slice(-30);
  const name = `hms_t_${slug}_${createHash('sha1').update(label).digest('hex').slice(0, 6)}_${randomBytes(3).toString('hex')}`;
  const root = new Client({ connectionString: server });
  await root.connect();
  try {
    await root.query(`CREATE DATABASE "${name}"`);
  } finally {
    await root.end();
  }
  const url = withDatabase(server, name);
  const adminClient = new Client({ connectionString: url });
  adminClient.on('error', () => undefined);
  await adminClient.connect();
  // One client runs one query at a time (pg 9 refuses overlapping ones): calls made together queue up.
  let queue: Promise<unknown> = Promise.resolve();
  return {
    name,
    url,
    admin: <T>(sql: string, params?: unknown[]) => {
      const run = queue.then(async () => (await adminClient.query(sql, params)).rows as T[]);
      queue = run.catch(() => undefined);
      return run;
    },
    async drop() {
      await adminClient.end().catch(() => undefined);
      const c = new Client({ connectionString: server });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}
