/**
 * Reading docker-compose.yml the way `docker compose` does (short and long syntaxes, `${VAR:-default}`
 * interpolation with an empty environment, i.e. what a fresh checkout gets) and the rules the HMS
 * stack must keep.
 */
import { isPlainObject } from './kustomize-lite';
import type { Obj } from './k8s-schema';

export const APP_DOCKERFILE = 'deploy/Dockerfile';
/** The one-shot service that makes each app's database login before the apps start. */
export const PROVISION_SERVICE = 'db-provision';
export const PROVISION_COMMAND = 'node -r ./dist/tools/runtime/register-paths.js dist/tools/db/provision.js';
export const GATEWAY_ONLY_ENV: readonly string[] = ['HMS_SECRETS_KEY', 'HMS_SECRETS_KEY_FILE', 'HMS_ADMIN_PASSWORD', 'HMS_JWT_PRIVATE_KEY'];
const PROVISION_ONLY_ENV = /^(DATABASE_ADMIN_URL|[A-Z][A-Z0-9_]*_DB_PASSWORD)$/;
const SECRET_NAME = /PASSWORD|SECRET|PRIVATE_KEY|TOKEN|CREDENTIAL/;

/**
 * `${VAR}`, `${VAR:-default}`, `${VAR-default}`, `${VAR:?error}`, `$VAR` and `$$`, with the
 * variables in `env`. A required variable that is missing throws, as compose refuses to start,
 * unless `onMissing` says what to put in its place.
 */
export function interpolate(value: string, env: Record<string, string> = {}, onMissing?: (name: string) => string): string {
  return value.replace(/\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (whole, name, op, arg, bare) => {
    if (whole === '$$') return '$';
    if (bare) return env[bare] ?? '';
    const v = env[name];
    if (op === ':-') return v ? v : arg;
    if (op === '-') return v ?? arg;
    if (op === ':?' || op === '?') {
      if (op === ':?' ? !v : v === undefined) {
        if (onMissing) return onMissing(name);
        throw new Error(`${name} must be set: ${arg}`);
      }
      return v!;
    }
    return v ?? '';
  });
}

/** Variables a value requires (`${VAR:?...}` or `${VAR?...}`): compose refuses to start without them. */
export function requiredVariables(value: string): string[] {
  return [...value.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*):?\?/g)].map((m) => m[1]);
}

/** Every variable a value reads. */
export function variablesOf(value: string): string[] {
  return [...value.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)|\$([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1] ?? m[2]);
}

/** Interpolations whose variable looks secret, with their defaults. */
export function secretDefaults(value: string): { name: string; fallback?: string }[] {
  return [...value.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?-([^}]*))?\}/g)].filter((m) => SECRET_NAME.test(m[1])).map((m) => ({ name: m[1], fallback: m[2] }));
}

/** environment as a map; a variable without a value (pass-through) maps to null. */
export function environmentOf(service: Obj): Record<string, string | null> {
  const env = service.environment;
  const out: Record<string, string | null> = {};
  if (Array.isArray(env)) {
    for (const item of env) {
      const s = String(item);
      const i = s.indexOf('=');
      if (i < 0) out[s] = null;
      else out[s.slice(0, i)] = s.slice(i + 1);
    }
  } else if (isPlainObject(env)) {
    for (const [k, v] of Object.entries(env)) out[k] = v === null || v === undefined ? null : String(v);
  }
  return out;
}

/** depends_on as service -> condition. */
export function dependsOn(service: Obj): Record<string, string> {
  const d = service.depends_on;
  if (Array.isArray(d)) return Object.fromEntries(d.map((s) => [String(s), 'service_started']));
  if (isPlainObject(d)) return Object.fromEntries(Object.entries(d).map(([k, v]) => [k, (v as Obj)?.condition ?? 'service_started']));
  return {};
}

export function buildArgs(service: Obj): Record<string, string> {
  const args = service.build?.args;
  if (Array.isArray(args)) return Object.fromEntries(args.map((a) => String(a).split(/=(.*)/s).slice(0, 2)));
  if (isPlainObject(args)) return Object.fromEntries(Object.entries(args).map(([k, v]) => [k, String(v)]));
  return {};
}

/** Published ports as { host, container } (container port as number). */
export function publishedPorts(service: Obj): { published: string; target: number }[] {
  return (service.ports ?? []).map((p: unknown) => {
    if (isPlainObject(p)) return { published: String(p.published ?? ''), target: Number(p.target) };
    const parts = interpolate(String(p)).replace(/\/(tcp|udp)$/, '').split(':');
    return { published: parts.slice(0, -1).join(':'), target: Number(parts[parts.length - 1]) };
  });
}

export function healthcheckText(service: Obj): string | null {
  const h = service.healthcheck;
  if (!isPlainObject(h) || h.disable) return null;
  const t = h.test;
  if (Array.isArray(t)) return t[0] === 'NONE' ? null : t.slice(1).join(' ');
  return typeof t === 'string' ? t : null;
}

/** Services built from deploy/Dockerfile: the HMS apps (the provisioning step is none). */
export function appServices(compose: Obj): string[] {
  return Object.entries((compose.services ?? {}) as Record<string, Obj>)
    .filter(([name, s]) => s.build?.dockerfile === APP_DOCKERFILE && name !== PROVISION_SERVICE)
    .map(([name]) => name)
    .sort();
}

/** Services another one waits for to finish (condition service_completed_successfully). */
export function oneShotServices(compose: Obj): string[] {
  const out = new Set<string>();
  for (const s of Object.values((compose.services ?? {}) as Record<string, Obj>)) {
    for (const [dep, condition] of Object.entries(dependsOn(s))) if (condition === 'service_completed_successfully') out.add(dep);
  }
  return [...out].sort();
}

/** The command a service runs, space-joined (the image's when it sets none). */
export function commandOf(service: Obj): string {
  const c = service.command;
  if (Array.isArray(c)) return c.map(String).join(' ');
  return typeof c === 'string' ? c : '';
}

/** A postgres URL from the environment, split; null when it is none. */
function postgresUrl(value: string | null | undefined): { user: string; password: string; host: string; database: string } | null {
  try {
    const u = new URL(value ?? '');
    if (!/^postgres(ql)?:$/.test(u.protocol)) return null;
    return { user: decodeURIComponent(u.username), password: decodeURIComponent(u.password), host: u.hostname, database: decodeURIComponent(u.pathname.slice(1)) };
  } catch {
    return null;
  }
}

/** The raw password part of a URL as written in the file (before interpolation). */
function rawPasswordOf(value: string | null | undefined): string | null {
  const m = /^postgres(?:ql)?:\/\/[^:@/]*:(.*)@[^@]*$/.exec(value ?? '');
  return m ? m[1] : null;
}

/**
 * The stack's rules. `publicApp` is the one app with a published port; `appPorts` maps app name
 * to the port it listens on (from the Kubernetes manifests) so both stay the same.
 */
export function composeProblems(compose: Obj, appPorts: Record<string, number>, publicApp = 'gateway'): string[] {
  const problems: string[] = [];
  const services: Record<string, Obj> = compose.services ?? {};
  // As compose would see them on a fresh checkout; a required variable shows as <NAME>.
  const env = (name: string) =>
    Object.fromEntries(Object.entries(environmentOf(services[name] ?? {})).map(([k, v]) => [k, v === null ? null : interpolate(v, {}, (n) => `<${n}>`)]));
  const rawEnv = (name: string) => environmentOf(services[name] ?? {});
  const oneShots = new Set(oneShotServices(compose));

  // infrastructure
  const pg = services.postgres;
  if (!pg) problems.push('service postgres is missing');
  else if (!/^postgres:16([.-]|$)/.test(String(pg.image))) problems.push(`postgres must run PostgreSQL 16, image is ${pg.image}`);
  const kafka = services.kafka;
  if (!kafka) problems.push('service kafka is missing');
  else {
    if (!/^(apache|bitnami)\/kafka:/.test(String(kafka.image))) problems.push(`kafka image must be apache/kafka or bitnami/kafka, is ${kafka.image}`);
    const kenv = env('kafka');
    const roles = kenv.KAFKA_PROCESS_ROLES ?? kenv.KAFKA_CFG_PROCESS_ROLES ?? '';
    if (!/controller/.test(roles) || !/broker/.test(roles)) problems.push('kafka must run in KRaft mode as broker and controller (KAFKA_PROCESS_ROLES)');
    if (Object.keys(kenv).some((k) => /ZOOKEEPER/.test(k))) problems.push('kafka must not use ZooKeeper');
  }
  if (Object.entries(services).some(([n, s]) => /zookeeper/i.test(n) || /zookeeper/i.test(String(s.image ?? '')))) problems.push('no ZooKeeper service: Kafka runs in KRaft mode');
  const redis = services.redis;
  if (!redis) problems.push('service redis is missing');
  else if (!/^redis:7([.-]|$)/.test(String(redis.image))) problems.push(`redis must run Redis 7, image is ${redis.image}`);
  const pgEnv = env('postgres');

  for (const [name, s] of Object.entries(services)) {
    if (!healthcheckText(s) && !oneShots.has(name)) problems.push(`${name}: needs a healthcheck`);
    if (name !== publicApp && (s.ports ?? []).length) problems.push(`${name}: publishes a port; only ${publicApp} may`);
    for (const [key, value] of Object.entries(environmentOf(s))) {
      if (value === null) continue;
      for (const d of secretDefaults(value)) {
        if (d.fallback !== undefined && !/change-?me/i.test(d.fallback)) problems.push(`${name}: ${key} defaults \${${d.name}} to something that is not an obvious placeholder ("change-me...")`);
      }
      if (SECRET_NAME.test(key) && !value.includes('${')) problems.push(`${name}: ${key} is a literal secret; take it from the environment (\${${key}:-change-me...})`);
    }
    // who may have what
    for (const [key, value] of Object.entries(environmentOf(s))) {
      if (GATEWAY_ONLY_ENV.includes(key) && name !== publicApp) problems.push(`${name}: ${key} is the ${publicApp}'s alone`);
      if (PROVISION_ONLY_ENV.test(key) && name !== PROVISION_SERVICE) problems.push(`${name}: ${key} is the ${PROVISION_SERVICE} service's alone`);
      const reads = variablesOf(value ?? '');
      if (name !== 'postgres' && name !== PROVISION_SERVICE && reads.includes('POSTGRES_PASSWORD')) problems.push(`${name}: ${key} uses POSTGRES_PASSWORD, the database administrator's; only ${PROVISION_SERVICE} may`);
      if (name !== publicApp && reads.some((v) => GATEWAY_ONLY_ENV.includes(v))) problems.push(`${name}: ${key} uses the ${publicApp}'s secrets`);
    }
  }

  // apps
  const apps = appServices(compose);
  const expected = Object.keys(appPorts).sort();
  if (JSON.stringify(apps) !== JSON.stringify(expected)) problems.push(`apps built from ${APP_DOCKERFILE} are [${apps}], the Kubernetes base has [${expected}]`);
  for (const app of apps) {
    const s = services[app];
    const e = env(app);
    const p = (msg: string) => problems.push(`${app}: ${msg}`);
    if (s.build?.context !== '.') p('build.context must be the repository root "."');
    if (buildArgs(s).APP !== app) p(`build.args.APP must be "${app}"`);
    if (e.EVENT_TRANSPORT !== 'kafka') p(`EVENT_TRANSPORT must be kafka, is ${e.EVENT_TRANSPORT}`);
    if (!(e.KAFKA_BROKERS ?? '').split(',').some((b) => b.trim().startsWith('kafka:'))) p('KAFKA_BROKERS must point at the kafka service');
    if (e.HOST !== '0.0.0.0') p('HOST must be 0.0.0.0');
    const port = appPorts[app];
    if (e.PORT !== String(port)) p(`PORT must be ${port} (as in k8s/), is ${e.PORT}`);
    if (e.METRICS_PORT !== undefined && (e.METRICS_PORT === e.PORT || !/^[1-9]\d{0,4}$/.test(String(e.METRICS_PORT)))) p(`METRICS_PORT must be a port other than PORT, is ${e.METRICS_PORT}`);
    // its own database login, with the password the provisioning step gives that login
    const db = postgresUrl(e.DATABASE_URL);
    const login = `hms_${app}_login`;
    if (!db) p('DATABASE_URL is not a postgres URL');
    else {
      if (db.host !== 'postgres') p('DATABASE_URL must point at the postgres service');
      if (db.user !== login) p(`DATABASE_URL logs in as ${db.user || '(nobody)'}; ${app} must use its own login ${login}`);
      if (pgEnv.POSTGRES_DB !== undefined && db.database !== pgEnv.POSTGRES_DB) p(`DATABASE_URL must name the database ${pgEnv.POSTGRES_DB}, names ${db.database}`);
      const raw = rawPasswordOf(rawEnv(app).DATABASE_URL);
      const own = `${app.toUpperCase()}_DB_PASSWORD`;
      if (!raw || JSON.stringify(variablesOf(raw)) !== JSON.stringify([own])) p(`DATABASE_URL's password must be \${${own}...} alone, is ${raw}`);
      else if (rawEnv(PROVISION_SERVICE)[own] !== raw) p(`DATABASE_URL's password ${raw} must be exactly what ${PROVISION_SERVICE} gets as ${own} (${rawEnv(PROVISION_SERVICE)[own] ?? 'nothing'})`);
      if (db.password.length < 16) p(`DATABASE_URL's password must have at least 16 characters (the provisioning step refuses shorter ones)`);
    }
    if (!/^redis:\/\/redis(:\d+)?(\/|$)/.test(e.REDIS_URL ?? '')) p('REDIS_URL must point at the redis service (every app checks token revocations there)');
    if (!(healthcheckText(s) ?? '').includes(`:${port}/health/`)) p(`healthcheck must call /health/... on port ${port}`);
    const deps = dependsOn(s);
    for (const infra of ['postgres', 'kafka', 'redis']) if (deps[infra] !== 'service_healthy') p(`depends_on ${infra} must have condition service_healthy`);
    if (deps[PROVISION_SERVICE] !== 'service_completed_successfully') p(`depends_on ${PROVISION_SERVICE} must have condition service_completed_successfully (its login must exist first)`);
    if (s.read_only !== true) p('read_only must be true (as readOnlyRootFilesystem in Kubernetes)');
    if (e.AUTH_JWKS_URL !== `http://${publicApp}:${appPorts[publicApp]}/.well-known/jwks.json`) p(`AUTH_JWKS_URL must be the ${publicApp}'s JWKS`);
  }
  const gw = services[publicApp];
  if (gw) {
    const e = rawEnv(publicApp);
    const ge = env(publicApp);
    for (const key of ['HMS_SECRETS_KEY', 'HMS_ADMIN_PASSWORD']) {
      if (!variablesOf(e[key] ?? '').includes(key)) problems.push(`${publicApp}: ${key} must come from the environment (.env), \${${key}:?...}`);
    }
    for (const app of apps.filter((a) => a !== publicApp)) {
      const url = `http://${app}:${appPorts[app]}`;
      if (ge[`${app.toUpperCase()}_URL`] !== url) problems.push(`${publicApp}: ${app.toUpperCase()}_URL must be ${url}`);
    }
    const ports = publishedPorts(gw);
    if (ports.length !== 1 || ports[0].target !== appPorts[publicApp]) problems.push(`${publicApp}: must publish exactly its port ${appPorts[publicApp]}`);
  }

  // the provisioning step
  const prov = services[PROVISION_SERVICE];
  if (!prov) problems.push(`service ${PROVISION_SERVICE} is missing: it makes each app's database login before the apps start`);
  else {
    const p = (msg: string) => problems.push(`${PROVISION_SERVICE}: ${msg}`);
    const e = env(PROVISION_SERVICE);
    if (!commandOf(prov).endsWith(PROVISION_COMMAND)) p(`command must run ${PROVISION_COMMAND}`);
    const appImages = apps.map((a) => services[a].image);
    if (!appImages.includes(prov.image)) p(`image ${prov.image} must be one an app builds (${appImages.join(', ')})`);
    if (dependsOn(prov).postgres !== 'service_healthy') p('depends_on postgres must have condition service_healthy');
    if (!oneShots.has(PROVISION_SERVICE)) p('no app waits for it (depends_on condition service_completed_successfully)');
    if (![undefined, 'no'].includes(prov.restart) && !/^on-failure/.test(String(prov.restart))) p(`restart must be "no" or on-failure (it runs once), is ${prov.restart}`);
    if (prov.read_only !== true) p('read_only must be true');
    if (!(prov.cap_drop ?? []).includes('ALL')) p('cap_drop must include ALL');
    if (!(prov.security_opt ?? []).some((o: string) => /^no-new-privileges(:true)?$/.test(o))) p('security_opt must include no-new-privileges:true');
    const admin = postgresUrl(e.DATABASE_ADMIN_URL);
    if (!admin) p('DATABASE_ADMIN_URL is not a postgres URL');
    else if (admin.host !== 'postgres' || admin.user !== pgEnv.POSTGRES_USER || admin.password !== pgEnv.POSTGRES_PASSWORD) {
      p('DATABASE_ADMIN_URL must be the postgres service\'s administrator (POSTGRES_USER, POSTGRES_PASSWORD)');
    }
    for (const app of apps) {
      const key = `${app.toUpperCase()}_DB_PASSWORD`;
      if (!e[key]) p(`${key} is missing`);
      else if (e[key]!.length < 16) p(`${key} must have at least 16 characters`);
    }
    for (const key of Object.keys(e)) {
      const m = /^([A-Z][A-Z0-9_]*)_DB_PASSWORD$/.exec(key);
      if (m && !apps.includes(m[1].toLowerCase())) p(`${key} names no app`);
    }
  }
  return problems;
}
