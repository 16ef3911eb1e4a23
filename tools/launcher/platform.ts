import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { provisionDatabase } from '@hms/platform-service';
import { databasePassword } from './secrets';

/** Every app of the platform, in the order they are described (the gateway first). */
export const APP_NAMES = ['gateway', 'patients', 'audit', 'wards', 'pharmacy'] as const;
/** The services behind the gateway: each is routed at `/api/v1/<name>` through `<NAME>_URL`. */
export type ServiceName = Exclude<(typeof APP_NAMES)[number], 'gateway'>;
export const SERVICE_NAMES = APP_NAMES.filter((n): n is ServiceName => n !== 'gateway');

/** One app of the platform as a process: its name, port and environment of its own. */
export interface AppProcessSpec {
  name: string;
  port: number;
  env: Record<string, string>;
}

export interface PlatformOptions {
  /** The database every app uses unless `serviceDatabaseUrls` names its own login. */
  databaseUrl: string;
  /** Per app, the URL of its own database login (see `provisionLogins`). */
  serviceDatabaseUrls?: Record<string, string>;
  /** The secrets key file (the gateway seals its signing key with it). */
  secretsKeyFile?: string;
  /** The gateway's port; services default to the next ports up, in APP_NAMES order. */
  port: number;
  /** A service's own port instead of its default (`PATIENTS_PORT` and so on at `npm start`). */
  ports?: Partial<Record<ServiceName, number>>;
  host?: string;
  /** Extra variables for every process (LOG_LEVEL, REDIS_URL, ...). */
  env?: Record<string, string | undefined>;
  /** Where each process's log goes (`<name>.log`); logs are kept out of the terminal. */
  logDir: string;
  /** Repository root (where dist/ is). */
  root: string;
  /** Restart a process that exits on its own (the launcher does; tests that kill on purpose do not). */
  supervise?: boolean;
  onOutput?: (app: string, line: string) => void;
}

export interface RunningApp {
  spec: AppProcessSpec;
  child: ChildProcess | null;
  url: string;
}

export interface RunningPlatform {
  gatewayUrl: string;
  apps: Map<string, RunningApp>;
  /** Stops one app (SIGTERM, or SIGKILL to simulate a crash) and waits for it to exit. */
  stopApp(name: string, signal?: NodeJS.Signals): Promise<void>;
  startApp(name: string): Promise<void>;
  stop(): Promise<void>;
}

/** The apps in start order, with the environment each needs to find the others. */
export function appSpecs(options: PlatformOptions): AppProcessSpec[] {
  const host = options.host ?? '127.0.0.1';
  const gatewayUrl = `http://${host}:${options.port}`;
  const services = SERVICE_NAMES.map((name, i) => ({ name, port: options.ports?.[name] ?? options.port + 1 + i, env: {} }));
  const gateway: AppProcessSpec = {
    name: 'gateway',
    port: options.port,
    env: Object.fromEntries(services.map((s) => [`${s.name.toUpperCase()}_URL`, `http://${host}:${s.port}`])),
  };
  return [gateway, ...services].map((s) => ({ ...s, env: { ...s.env, AUTH_JWKS_URL: `${gatewayUrl}/.well-known/jwks.json`, HOST: host } }));
}

/**
 * Starts the gateway and every service as separate Node processes on the compiled output and
 * waits until each answers /health/ready. Used by `npm start` and by the end-to-end tests.
 */
export async function startPlatform(options: PlatformOptions): Promise<RunningPlatform> {
  fs.mkdirSync(options.logDir, { recursive: true });
  const specs = appSpecs(options);
  const host = options.host ?? '127.0.0.1';
  const apps = new Map<string, RunningApp>(specs.map((spec) => [spec.name, { spec, child: null, url: `http://${host}:${spec.port}` }]));
  let stopping = false;
  const restarts = new Map<string, number[]>();

  const launch = (app: RunningApp) => {
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries({ ...process.env, ...(options.env ?? {}) })) if (v !== undefined) env[k] = v;
    Object.assign(env, { DATABASE_URL: options.serviceDatabaseUrls?.[app.spec.name] ?? options.databaseUrl, PORT: String(app.spec.port) }, app.spec.env);
    if (app.spec.name === 'gateway' && options.secretsKeyFile) env.HMS_SECRETS_KEY_FILE = options.secretsKeyFile;
    const log = fs.createWriteStream(path.join(options.logDir, `${app.spec.name}.log`), { flags: 'a' });
    const child = spawn(
      process.execPath,
      ['-r', path.join(options.root, 'dist/tools/runtime/register-paths.js'), path.join(options.root, `dist/apps/${app.spec.name}/src/main.js`)],
      { env, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    app.child = child;
    const forward = (chunk: Buffer) => {
      log.write(chunk);
      if (options.onOutput) for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) options.onOutput(app.spec.name, line);
    };
    child.stdout?.on('data', forward);
    child.stderr?.on('data', forward);
    child.on('exit', (code, signal) => {
      log.end();
      if (app.child === child) app.child = null;
      if (stopping || !options.supervise || (child as ChildProcess & { intentional?: boolean }).intentional) return;
      const now = Date.now();
      const recent = (restarts.get(app.spec.name) ?? []).filter((t) => now - t < 60_000);
      recent.push(now);
      restarts.set(app.spec.name, recent);
      if (recent.length > 5) {
        options.onOutput?.(app.spec.name, `{"level":"fatal","msg":"exited ${recent.length} times in a minute (last: ${code ?? signal}); not restarting"}`);
        return;
      }
      options.onOutput?.(app.spec.name, `{"level":"warn","msg":"exited (${code ?? signal}); restarting"}`);
      setTimeout(() => !stopping && launch(app), 1000 * recent.length).unref();
    });
  };

  const waitReady = async (app: RunningApp, timeoutMs = 90_000) => {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (!app.child && !options.supervise) throw new Error(`${app.spec.name} exited during start-up; see ${path.join(options.logDir, `${app.spec.name}.log`)}`);
      const ok = await fetch(`${app.url}/health/ready`, { signal: AbortSignal.timeout(2000) }).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) return;
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`${app.spec.name} was not ready within ${timeoutMs / 1000} s; see ${path.join(options.logDir, `${app.spec.name}.log`)}`);
  };

  const stopApp = async (name: string, signal: NodeJS.Signals = 'SIGTERM') => {
    const app = apps.get(name);
    const child = app?.child;
    if (!app || !child) return;
    (child as ChildProcess & { intentional?: boolean }).intentional = true;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
  };

  const gateway = apps.get('gateway');
  if (!gateway) throw new Error('the platform has no gateway');
  const platform: RunningPlatform = {
    gatewayUrl: gateway.url,
    apps,
    stopApp,
    async startApp(name: string) {
      const app = apps.get(name);
      if (!app) throw new Error(`no app ${name}`);
      launch(app);
      await waitReady(app);
    },
    async stop() {
      stopping = true;
      await Promise.all([...apps.keys()].map((name) => stopApp(name)));
    },
  };

  try {
    // Services first, so that the gateway's readiness (which includes theirs) settles quickly.
    for (const app of [...apps.values()].reverse()) launch(app);
    await Promise.all([...apps.values()].map((app) => waitReady(app)));
  } catch (error) {
    await platform.stop();
    throw error;
  }
  return platform;
}

/**
 * Gives every app its own database login (see provisionDatabase), with passwords derived from
 * the secrets key, and returns each app's URL. Needs an administrator's URL.
 */
export async function provisionLogins(adminUrl: string, secretsKey: Buffer): Promise<Record<string, string>> {
  const logins = await provisionDatabase(adminUrl, APP_NAMES, (service) => databasePassword(secretsKey, service));
  return Object.fromEntries(logins.map((l) => [l.service, l.url]));
}

/**
 * `count` consecutive free ports on 127.0.0.1, for a platform of one's own beside others (tests,
 * the bench). Chosen below the kernel's ephemeral range, so that an outgoing connection cannot
 * take one between this check and the apps binding it.
 */
export async function freePortBlock(count: number): Promise<number> {
  let ephemeralLow = 32768;
  try {
    ephemeralLow = Number(fs.readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]) || ephemeralLow;
  } catch {
    /* not Linux: keep the usual default */
  }
  const low = 20000;
  const high = Math.max(low + 1000, ephemeralLow) - count;
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = low + Math.floor(Math.random() * (high - low));
    const held: net.Server[] = [];
    try {
      for (let p = base; p < base + count; p++) {
        const server = net.createServer();
        await new Promise<void>((resolve, reject) => {
          server.once('error', reject);
          server.listen(p, '127.0.0.1', () => resolve());
        });
        held.push(server);
      }
      return base;
    } catch {
      /* taken: try another block */
    } finally {
      await Promise.all(held.map((s) => new Promise<void>((r) => s.close(() => r()))));
    }
  }
  throw new Error(`no block of ${count} free ports found`);
}
