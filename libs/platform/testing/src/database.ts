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

function dockerAvailable(): boolean {
  try {
    execSync('docker info', { stdio: 'ignore', timeout: 5000 });
    return true;
  } catch {
    return false;
  }
}

async function startContainer(): Promise<string> {
  // Loaded only where a Docker engine runs; `npm install -D @testcontainers/postgresql` adds it.
  const moduleName = '@testcontainers/postgresql';
  let mod: { PostgreSqlContainer: new (image: string) => { start(): Promise<{ getConnectionUri(): string }> } };
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    mod = require(moduleName);
  } catch {
    throw new Error('A Docker engine is available but @testcontainers/postgresql is not installed; install it or set TEST_DATABASE_URL');
  }
  const container = await new mod.PostgreSqlContainer('postgres:16-alpine').start();
  return container.getConnectionUri();
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
  await adminClient.connect();
  return {
    name,
    url,
    admin: async <T>(sql: string, params?: unknown[]) => (await adminClient.query(sql, params)).rows as T[],
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
