/**
 * Reading docker-compose.yml the way `docker compose` does (short and long syntaxes, `${VAR:-default}`
 * interpolation with an empty environment, i.e. what a fresh checkout gets) and the rules the HMS
 * stack must keep.
 */
import { isPlainObject } from './kustomize-lite';
import type { Obj } from './k8s-schema';

export const APP_DOCKERFILE = 'deploy/Dockerfile';
const SECRET_NAME = /PASSWORD|SECRET|PRIVATE_KEY|TOKEN|CREDENTIAL/;

/** `${VAR}`, `${VAR:-default}`, `${VAR-default}`, `$VAR` and `$$`, with the variables in `env`. */
export function interpolate(value: string, env: Record<string, string> = {}): string {
  return value.replace(/\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (whole, name, op, arg, bare) => {
    if (whole === '$$') return '$';
    if (bare) return env[bare] ?? '';
    const v = env[name];
    if (op === ':-') return v ? v : arg;
    if (op === '-') return v ?? arg;
    if (op === ':?' || op === '?') {
      if (op === ':?' ? !v : v === undefined) throw new Error(`${name} must be set: ${arg}`);
      return v!;
    }
    return v ?? '';
  });
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

/** Services built from deploy/Dockerfile: the HMS apps. */
export function appServices(compose: Obj): string[] {
  return Object.entries((compose.services ?? {}) as Record<string, Obj>)
    .filter(([, s]) => s.build?.dockerfile === APP_DOCKERFILE)
    .map(([name]) => name)
    .sort();
}

/**
 * The stack's rules. `publicApp` is the one app with a published port; `appPorts` maps app name
 * to the port it listens on (from the Kubernetes manifests) so both stay the same.
 */
export function composeProblems(compose: Obj, appPorts: Record<string, number>, publicApp = 'gateway'): string[] {
  const problems: string[] = [];
  const services: Record<string, Obj> = compose.services ?? {};
  const env = (name: string) => Object.fromEntries(Object.entries(environmentOf(services[name] ?? {})).map(([k, v]) => [k, v === null ? null : interpolate(v)]));

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

  for (const [name, s] of Object.entries(services)) {
    if (!healthcheckText(s)) problems.push(`${name}: needs a healthcheck`);
    if (name !== publicApp && (s.ports ?? []).length) problems.push(`${name}: publishes a port; only ${publicApp} may`);
    for (const [key, value] of Object.entries(environmentOf(s))) {
      if (value === null) continue;
      for (const d of secretDefaults(value)) {
        if (d.fallback !== undefined && !/change-?me/i.test(d.fallback)) problems.push(`${name}: ${key} defaults \${${d.name}} to something that is not an obvious placeholder ("change-me...")`);
      }
      if (SECRET_NAME.test(key) && !value.includes('${')) problems.push(`${name}: ${key} is a literal secret; take it from the environment (\${${key}:-change-me...})`);
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
    try {
      const db = new URL(e.DATABASE_URL ?? '');
      if (db.hostname !== 'postgres' || !/^postgres(ql)?:$/.test(db.protocol)) p('DATABASE_URL must point at the postgres service');
    } catch {
      p('DATABASE_URL is not a URL');
    }
    if (e.AUTH_JWKS_URL !== `http://${publicApp}:${appPorts[publicApp]}/.well-known/jwks.json`) p(`AUTH_JWKS_URL must be the ${publicApp}'s JWKS`);
    if (!(healthcheckText(s) ?? '').includes(`:${port}/health/`)) p(`healthcheck must call /health/... on port ${port}`);
    const deps = dependsOn(s);
    for (const infra of ['postgres', 'kafka']) if (deps[infra] !== 'service_healthy') p(`depends_on ${infra} must have condition service_healthy`);
    if (s.read_only !== true) p('read_only must be true (as readOnlyRootFilesystem in Kubernetes)');
  }
  const gw = services[publicApp];
  if (gw) {
    const e = env(publicApp);
    if (dependsOn(gw).redis !== 'service_healthy') problems.push(`${publicApp}: depends_on redis must have condition service_healthy`);
    if (!/^redis:\/\/redis(:\d+)?(\/|$)/.test(e.REDIS_URL ?? '')) problems.push(`${publicApp}: REDIS_URL must point at the redis service`);
    for (const app of apps.filter((a) => a !== publicApp)) {
      const url = `http://${app}:${appPorts[app]}`;
      if (e[`${app.toUpperCase()}_URL`] !== url) problems.push(`${publicApp}: ${app.toUpperCase()}_URL must be ${url}`);
    }
    const ports = publishedPorts(gw);
    if (ports.length !== 1 || ports[0].target !== appPorts[publicApp]) problems.push(`${publicApp}: must publish exactly its port ${appPorts[publicApp]}`);
  }
  return problems;
}
