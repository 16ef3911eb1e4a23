/**
 * Rules for a rendered set of HMS Kubernetes objects, beyond what the schemas can say. Each
 * function returns the list of problems (empty when all is well), so a test can show all of them
 * at once and a negative test can feed a deliberately broken object in.
 */
import { isPlainObject, parseImage } from './kustomize-lite';
import type { Obj } from './k8s-schema';

export const PART_OF = 'hms';
export const NAMESPACE = 'hms';
export const CONFIG_MAP = 'hms-config';
/** What every app shares (REDIS_URL). */
export const SECRET = 'hms-secrets';
/** The gateway's own secrets (secrets key, first administrator's password, signing key). */
export const GATEWAY_SECRET = 'hms-gateway-secrets';
/** The database administrator's URL: the provisioning Job's alone. */
export const ADMIN_SECRET = 'hms-db-admin';
/** An app's database password: read by that app's Deployment and the provisioning Job only. */
export const dbSecretOf = (app: string) => `hms-db-${app}`;
/** The PostgreSQL login an app connects as (made by the provisioning step). */
export const loginOf = (app: string) => `hms_${app}_login`;
export const MONITORING_NAMESPACE = 'monitoring';
export const GATEWAY = 'gateway';
/** Apps whose pods may be reached from outside the namespace. */
export const PUBLIC_APPS: ReadonlySet<string> = new Set([GATEWAY]);
/** Variables only the gateway may get: they open its signing key and make the first administrator. */
export const GATEWAY_ONLY_ENV: readonly string[] = ['HMS_SECRETS_KEY', 'HMS_SECRETS_KEY_FILE', 'HMS_ADMIN_PASSWORD', 'HMS_JWT_PRIVATE_KEY'];
/** Variables only the provisioning step may get. */
export const PROVISION_ONLY_ENV = /^(DATABASE_ADMIN_URL|[A-Z][A-Z0-9_]*_DB_PASSWORD)$/;
export const PROVISION_JOB = 'db-provision';
/** tools/db/provision.ts as the image runs it. */
export const PROVISION_COMMAND = 'node -r ./dist/tools/runtime/register-paths.js dist/tools/db/provision.js';
/** Every Deployment's init container runs this (ConfigMap hms-wait-for-database) before the app. */
export const WAIT_SCRIPT_CONFIG_MAP = 'hms-wait-for-database';
export const WAIT_SCRIPT_KEY = 'wait-for-database.js';
export const WAIT_SCRIPT_DIR = '/opt/hms';
/** The hms-config key holding host:port/database, which each app's DATABASE_URL appends to its login. */
export const DATABASE_ADDRESS = 'HMS_DATABASE_ADDRESS';

const NAME = 'app.kubernetes.io/name';
const PART = 'app.kubernetes.io/part-of';

export const byKind = (objects: Obj[], kind: string) => objects.filter((o) => o.kind === kind);
const find = (objects: Obj[], kind: string, name: string) => objects.find((o) => o.kind === kind && o.metadata?.name === name);

/** matchLabels selects the labels (matchExpressions are not used here and count as a problem). */
export function selects(selector: Obj | undefined, labels: Record<string, string> | undefined): boolean {
  if (!isPlainObject(selector)) return false;
  if (selector.matchExpressions?.length) return false;
  return Object.entries(selector.matchLabels ?? {}).every(([k, v]) => labels?.[k] === v);
}

/** Kubernetes quantity to a number (cores for cpu, bytes for memory). */
export function quantity(q: unknown): number {
  const m = /^([0-9.]+)(m|k|M|G|T|Ki|Mi|Gi|Ti)?$/.exec(String(q));
  if (!m) return NaN;
  const factor: Record<string, number> = { '': 1, m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3, Ti: 1024 ** 4 };
  return Number(m[1]) * factor[m[2] ?? ''];
}

// ---------------------------------------------------------------------------------------------

export function labelProblems(objects: Obj[]): string[] {
  const problems: string[] = [];
  for (const o of objects) {
    const id = `${o.kind}/${o.metadata?.name}`;
    const labels = o.metadata?.labels ?? {};
    if (labels[PART] !== PART_OF) problems.push(`${id}: label ${PART} must be "${PART_OF}"`);
    if (!labels[NAME]) problems.push(`${id}: label ${NAME} is missing`);
    else if (labels[NAME] !== PART_OF && labels[NAME] !== o.metadata.name) problems.push(`${id}: label ${NAME}=${labels[NAME]} must be "${PART_OF}" (shared) or its own name`);
    if (['Deployment', 'Service', 'HorizontalPodAutoscaler', 'PodDisruptionBudget'].includes(o.kind) && labels[NAME] !== o.metadata.name) {
      problems.push(`${id}: label ${NAME} must be the app's name "${o.metadata.name}"`);
    }
    const template = o.spec?.template?.metadata?.labels;
    if (o.kind === 'Deployment' && (template?.[NAME] !== o.metadata.name || template?.[PART] !== PART_OF)) {
      problems.push(`${id}: pod template needs labels ${NAME}=${o.metadata.name} and ${PART}=${PART_OF}`);
    }
  }
  return problems;
}

export function namespaceProblems(objects: Obj[]): string[] {
  const problems: string[] = [];
  if (!objects.some((o) => o.kind === 'Namespace' && o.metadata.name === NAMESPACE)) problems.push(`Namespace ${NAMESPACE} is missing`);
  for (const o of objects) {
    if (o.kind !== 'Namespace' && o.metadata?.namespace !== NAMESPACE) problems.push(`${o.kind}/${o.metadata?.name}: must be in namespace ${NAMESPACE}, is in ${o.metadata?.namespace ?? '(none)'}`);
  }
  const ns = find(objects, 'Namespace', NAMESPACE);
  if (ns && ns.metadata.labels?.['pod-security.kubernetes.io/enforce'] !== 'restricted') problems.push(`Namespace ${NAMESPACE}: enforce the restricted Pod Security Standard`);
  return problems;
}

/** The value a variable gets in a container: a literal, or the key of a known ConfigMap. */
function envValue(objects: Obj[], container: Obj, name: string): string | undefined {
  const direct = (container.env ?? []).find((e: Obj) => e.name === name);
  if (direct) {
    if (direct.value !== undefined) return String(direct.value);
    const ref = direct.valueFrom?.configMapKeyRef;
    if (ref) return find(objects, 'ConfigMap', ref.name)?.data?.[ref.key];
    return undefined;
  }
  // later envFrom entries win over earlier ones
  for (const from of [...(container.envFrom ?? [])].reverse()) {
    const prefix: string = from.prefix ?? '';
    const cm = from.configMapRef && find(objects, 'ConfigMap', from.configMapRef.name);
    const v = name.startsWith(prefix) ? cm?.data?.[name.slice(prefix.length)] : undefined;
    if (v !== undefined) return String(v);
  }
  return undefined;
}

function definesEnv(container: Obj, name: string): Obj | undefined {
  return (container.env ?? []).find((e: Obj) => e.name === name);
}

/** A probe's or Service's port (number or name) resolved against the container's ports. */
export function resolvePort(container: Obj, port: unknown): number | undefined {
  const ports: Obj[] = container.ports ?? [];
  if (typeof port === 'number') return ports.find((p) => p.containerPort === port)?.containerPort;
  return ports.find((p) => p.name === port)?.containerPort;
}

/** The command line a container runs (command, then args), space-joined. */
export function commandLine(container: Obj): string {
  return [...(container.command ?? []), ...(container.args ?? [])].map(String).join(' ');
}

/** Every container of a pod spec, init containers first, with what kind each is. */
function podContainersOf(pod: Obj): { c: Obj; init: boolean }[] {
  return [...(pod.initContainers ?? []).map((c: Obj) => ({ c, init: true })), ...(pod.containers ?? []).map((c: Obj) => ({ c, init: false }))];
}

/** Every Secret a pod reads: env keys, whole-Secret envFrom, and volumes. */
export function secretsReadBy(pod: Obj): { name: string; where: string }[] {
  const out: { name: string; where: string }[] = [];
  for (const { c, init } of podContainersOf(pod)) {
    const which = `${init ? 'init container' : 'container'} ${c.name}`;
    for (const e of c.env ?? []) if (e.valueFrom?.secretKeyRef) out.push({ name: e.valueFrom.secretKeyRef.name, where: `${which}: env ${e.name}` });
    for (const f of c.envFrom ?? []) if (f.secretRef) out.push({ name: f.secretRef.name, where: `${which}: envFrom` });
  }
  for (const v of pod.volumes ?? []) {
    if (v.secret) out.push({ name: v.secret.secretName, where: `volume ${v.name}` });
    for (const src of v.projected?.sources ?? []) if (src.secret) out.push({ name: src.secret.name, where: `volume ${v.name}` });
  }
  return out;
}

const SECRET_LIKE = /PASSWORD|SECRET|PRIVATE_KEY|TOKEN|CREDENTIAL|DATABASE_URL|REDIS_URL/;
const DATABASE_URL_TEMPLATE = /^postgres(?:ql)?:\/\/([^:@/]+):\$\(([A-Za-z_][A-Za-z0-9_]*)\)@(.+)$/;

/**
 * Kubernetes expands `$(VAR)` in env values only for variables defined before (envFrom, then the
 * env entries above); anything else stays in the value as it is.
 */
function expansionProblems(objects: Obj[], c: Obj): string[] {
  const problems: string[] = [];
  const defined = new Set<string>();
  for (const f of c.envFrom ?? []) {
    const cm = f.configMapRef && find(objects, 'ConfigMap', f.configMapRef.name);
    for (const key of Object.keys(cm?.data ?? {})) defined.add(`${f.prefix ?? ''}${key}`);
  }
  for (const e of c.env ?? []) {
    for (const m of String(e.value ?? '').matchAll(/\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g)) {
      if (!defined.has(m[1])) problems.push(`env ${e.name} refers to $(${m[1]}), which is not defined above it (Kubernetes would leave it as it is)`);
    }
    defined.add(e.name);
  }
  return problems;
}

/**
 * DATABASE_URL must log in as the app's own login with the password from the app's own Secret:
 * `postgres://hms_<app>_login:$(VAR)@$(HMS_DATABASE_ADDRESS)`, VAR defined above it from Secret
 * hms-db-<app>. Returns the Secret key the password comes from, and the problems.
 */
export function databaseUrlProblems(objects: Obj[], app: string, c: Obj): { problems: string[]; passwordKey?: string } {
  const problems: string[] = [];
  const env: Obj[] = c.env ?? [];
  const i = env.findIndex((e) => e.name === 'DATABASE_URL');
  const expected = `postgres://${loginOf(app)}:$(<password from Secret ${dbSecretOf(app)}>)@$(${DATABASE_ADDRESS})`;
  if (i < 0) return { problems: [`DATABASE_URL is missing (${expected})`] };
  const e = env[i];
  if (e.value === undefined) return { problems: [`DATABASE_URL must name its own login: ${expected}, not a whole URL from ${e.valueFrom?.secretKeyRef ? `Secret ${e.valueFrom.secretKeyRef.name}` : 'elsewhere'}`] };
  const m = DATABASE_URL_TEMPLATE.exec(String(e.value));
  if (!m) return { problems: [`DATABASE_URL must be ${expected}, is ${e.value}`] };
  const [, login, passwordVar, rest] = m;
  if (login !== loginOf(app)) problems.push(`DATABASE_URL logs in as ${login}; ${app} must use its own login ${loginOf(app)}`);
  const pw = env.slice(0, i).find((x) => x.name === passwordVar);
  const ref = pw?.valueFrom?.secretKeyRef;
  if (!ref) problems.push(`DATABASE_URL's password $(${passwordVar}) must be defined above it from Secret ${dbSecretOf(app)}`);
  else {
    if (ref.name !== dbSecretOf(app)) problems.push(`DATABASE_URL's password comes from Secret ${ref.name}; ${app}'s is in ${dbSecretOf(app)}`);
    if (ref.optional) problems.push(`DATABASE_URL's password (${passwordVar}) must not be optional`);
  }
  if (rest !== `$(${DATABASE_ADDRESS})`) problems.push(`DATABASE_URL must end in @$(${DATABASE_ADDRESS}) (hms-config), not @${rest}`);
  else {
    const address = envValue(objects, c, DATABASE_ADDRESS);
    if (!address) problems.push(`${DATABASE_ADDRESS} must come from ConfigMap ${CONFIG_MAP}`);
  }
  return { problems, passwordKey: ref?.name === dbSecretOf(app) ? ref.key : undefined };
}

/** Non-root, read-only root, no privileges, no capabilities: for every container of every pod. */
function hardeningProblems(c: Obj, pod: Obj): string[] {
  const problems: string[] = [];
  const sc = c.securityContext ?? {};
  if (sc.runAsNonRoot !== true && pod.securityContext?.runAsNonRoot !== true) problems.push('runAsNonRoot must be true');
  if (sc.runAsUser === 0 || (sc.runAsUser === undefined && pod.securityContext?.runAsUser === 0)) problems.push('must not run as uid 0');
  if (sc.readOnlyRootFilesystem !== true) problems.push('readOnlyRootFilesystem must be true');
  if (sc.allowPrivilegeEscalation !== false) problems.push('allowPrivilegeEscalation must be false');
  if (!(sc.capabilities?.drop ?? []).includes('ALL')) problems.push('capabilities.drop must include ALL');
  if ((sc.capabilities?.add ?? []).length) problems.push(`must not add capabilities (${sc.capabilities.add})`);
  if (sc.privileged) problems.push('must not be privileged');
  const image = parseImage(String(c.image ?? ''));
  if (!image.tag && !image.digest) problems.push(`image ${c.image} has neither tag nor digest`);
  if (image.tag === 'latest') problems.push(`image ${c.image} uses :latest`);
  for (const res of ['cpu', 'memory']) {
    const req = c.resources?.requests?.[res];
    const lim = c.resources?.limits?.[res];
    if (req === undefined) problems.push(`resources.requests.${res} is missing`);
    if (lim === undefined) problems.push(`resources.limits.${res} is missing`);
    if (req !== undefined && lim !== undefined && !(quantity(req) <= quantity(lim))) problems.push(`requests.${res} ${req} exceeds limits.${res} ${lim}`);
  }
  const volumes = new Set((pod.volumes ?? []).map((v: Obj) => v.name));
  const mounts: Obj[] = c.volumeMounts ?? [];
  for (const m of mounts) if (!volumes.has(m.name)) problems.push(`volumeMount ${m.name} has no volume`);
  if (!mounts.some((m) => m.mountPath === '/tmp')) problems.push('mount a writable volume at /tmp (the root filesystem is read-only)');
  return problems;
}

function podSecurityProblems(pod: Obj): string[] {
  const problems: string[] = [];
  if (pod.automountServiceAccountToken !== false) problems.push('automountServiceAccountToken must be false (the apps never call the Kubernetes API)');
  if (pod.securityContext?.seccompProfile?.type !== 'RuntimeDefault') problems.push('pod securityContext.seccompProfile.type must be RuntimeDefault');
  if (pod.hostNetwork || pod.hostPID || pod.hostIPC) problems.push('must not share the host\'s network, PIDs or IPC');
  return problems;
}

/** Secrets, and what only the gateway or only the provisioning step may get. */
function secretProblems(app: string, pod: Obj): string[] {
  const problems: string[] = [];
  const allowed = new Set([SECRET, dbSecretOf(app), ...(app === GATEWAY ? [GATEWAY_SECRET] : [])]);
  for (const { name, where } of secretsReadBy(pod)) {
    if (name === ADMIN_SECRET) problems.push(`${where}: reads Secret ${ADMIN_SECRET}, the database administrator's, which only Job/${PROVISION_JOB} may`);
    else if (!allowed.has(name)) problems.push(`${where}: reads Secret ${name}; ${app} may read only ${[...allowed].join(', ')}`);
  }
  for (const { c, init } of podContainersOf(pod)) {
    const which = `${init ? 'init container' : 'container'} ${c.name}`;
    for (const f of c.envFrom ?? []) if (f.secretRef) problems.push(`${which}: envFrom takes all of Secret ${f.secretRef.name}; reference each key with secretKeyRef`);
    for (const e of c.env ?? []) {
      const ref = e.valueFrom?.secretKeyRef;
      if (init && ref && ref.name !== dbSecretOf(app)) problems.push(`${which}: env ${e.name} reads Secret ${ref.name}; an init container needs only ${dbSecretOf(app)}`);
      if (PROVISION_ONLY_ENV.test(e.name)) problems.push(`${which}: env ${e.name} is the provisioning Job's alone`);
      if (GATEWAY_ONLY_ENV.includes(e.name) && app !== GATEWAY) problems.push(`${which}: env ${e.name} is the gateway's alone`);
      if (GATEWAY_ONLY_ENV.includes(e.name) && app === GATEWAY && init) problems.push(`${which}: env ${e.name} is for the gateway itself, not its init container`);
      if (SECRET_LIKE.test(e.name) && e.name !== 'DATABASE_URL' && !e.valueFrom?.secretKeyRef) problems.push(`${which}: env ${e.name} looks secret: take it from a Secret, never a literal`);
    }
  }
  return problems;
}

export function workloadProblems(objects: Obj[]): string[] {
  const problems: string[] = [];
  for (const d of byKind(objects, 'Deployment')) {
    const name = d.metadata.name;
    const p = (msg: string) => problems.push(`Deployment/${name}: ${msg}`);
    const podLabels: Record<string, string> = d.spec?.template?.metadata?.labels ?? {};
    const pod: Obj = d.spec?.template?.spec ?? {};
    const ann = d.spec?.template?.metadata?.annotations ?? {};

    if (!Object.keys(d.spec?.selector?.matchLabels ?? {}).length) p('selector.matchLabels is empty');
    if (!selects(d.spec?.selector, podLabels)) p('selector does not match the pod template labels');
    if (d.spec?.replicas !== undefined) p('spec.replicas is set, but the HorizontalPodAutoscaler owns the replica count');
    podSecurityProblems(pod).forEach(p);
    secretProblems(name, pod).forEach(p);

    const containers: Obj[] = pod.containers ?? [];
    if (containers.length !== 1) p(`expected exactly one container, found ${containers.length}`);
    const metricsPorts = new Set<number>();
    for (const c of containers) {
      const cp = (msg: string) => p(`container ${c.name}: ${msg}`);
      hardeningProblems(c, pod).forEach(cp);
      expansionProblems(objects, c).forEach(cp);

      const http = (c.ports ?? []).find((port: Obj) => port.name === 'http');
      if (!http) cp('needs a port named "http"');
      const metrics = (c.ports ?? []).find((port: Obj) => port.name === 'metrics');
      if (metrics) metricsPorts.add(metrics.containerPort);

      for (const [probe, path] of [
        ['livenessProbe', '/health/live'],
        ['readinessProbe', '/health/ready'],
        ['startupProbe', '/health/live'],
      ] as const) {
        const pr = c[probe];
        if (!pr) {
          cp(`${probe} is missing`);
          continue;
        }
        if (pr.httpGet?.path !== path) cp(`${probe} must GET ${path}`);
        const port = resolvePort(c, pr.httpGet?.port);
        if (port === undefined) cp(`${probe} port ${pr.httpGet?.port} is not a container port`);
        else if (http && port !== http.containerPort) cp(`${probe} must use the http port, where /health is served`);
      }

      // configuration: hms-config, and secrets never literal
      if (!(c.envFrom ?? []).some((f: Obj) => f.configMapRef?.name === CONFIG_MAP)) cp(`envFrom must include configMapRef ${CONFIG_MAP}`);
      for (const f of c.envFrom ?? []) {
        if (f.configMapRef && !find(objects, 'ConfigMap', f.configMapRef.name)) cp(`envFrom ConfigMap ${f.configMapRef.name} does not exist`);
      }
      for (const e of c.env ?? []) {
        const cmRef = e.valueFrom?.configMapKeyRef;
        if (cmRef && find(objects, 'ConfigMap', cmRef.name)?.data?.[cmRef.key] === undefined && !cmRef.optional) cp(`env ${e.name}: ConfigMap ${cmRef.name} has no key ${cmRef.key}`);
      }
      databaseUrlProblems(objects, name, c).problems.forEach(cp);
      const redis = definesEnv(c, 'REDIS_URL')?.valueFrom?.secretKeyRef;
      if (redis?.name !== SECRET || redis?.key !== 'REDIS_URL' || redis?.optional) cp(`REDIS_URL must come from Secret ${SECRET} key REDIS_URL, not optional (every app checks token revocations there)`);
      if (name === GATEWAY) {
        const key = definesEnv(c, 'HMS_SECRETS_KEY')?.valueFrom?.secretKeyRef;
        if (key?.name !== GATEWAY_SECRET || key?.optional) cp(`HMS_SECRETS_KEY must come from Secret ${GATEWAY_SECRET}, not optional (it seals the signing key kept in the database)`);
        const admin = definesEnv(c, 'HMS_ADMIN_PASSWORD')?.valueFrom?.secretKeyRef;
        if (admin?.name !== GATEWAY_SECRET) cp(`HMS_ADMIN_PASSWORD must come from Secret ${GATEWAY_SECRET} (the first start needs it)`);
      }

      const port = envValue(objects, c, 'PORT');
      if (http && port !== String(http.containerPort)) cp(`PORT (${port ?? 'unset'}) must equal the http containerPort ${http.containerPort}`);
      if (envValue(objects, c, 'HOST') !== '0.0.0.0') cp('HOST must be 0.0.0.0 (the default 127.0.0.1 is unreachable in a pod)');
      if (envValue(objects, c, 'EVENT_TRANSPORT') !== 'kafka') cp('EVENT_TRANSPORT must be kafka');
      if (!envValue(objects, c, 'KAFKA_BROKERS')) cp('KAFKA_BROKERS must be set');
      if (!envValue(objects, c, 'AUTH_JWKS_URL')) cp('AUTH_JWKS_URL must be set');

      // /metrics: a listener of its own (METRICS_PORT), the container port named "metrics"
      if (!metrics) cp('needs a port named "metrics" (METRICS_PORT), where /metrics is served');
      else {
        if (http && metrics.containerPort === http.containerPort) cp('the metrics port must differ from the http port: /metrics is never served beside the API');
        const mp = envValue(objects, c, 'METRICS_PORT');
        if (mp !== String(metrics.containerPort)) cp(`METRICS_PORT (${mp ?? 'unset'}) must equal the metrics containerPort ${metrics.containerPort}`);
        if (ann['prometheus.io/port'] !== String(metrics.containerPort)) cp(`annotation prometheus.io/port must be the metrics port ${metrics.containerPort}, where /metrics is served`);
      }
      if (ann['prometheus.io/scrape'] !== 'true') cp('annotation prometheus.io/scrape must be "true"');
      if (ann['prometheus.io/path'] !== '/metrics') cp('annotation prometheus.io/path must be /metrics');
    }

    // The init container that waits for the provisioning step, with the app's own login only.
    const main = containers[0];
    const inits: Obj[] = pod.initContainers ?? [];
    for (const c of inits) {
      const ip = (msg: string) => p(`init container ${c.name}: ${msg}`);
      hardeningProblems(c, pod).forEach(ip);
      expansionProblems(objects, c).forEach(ip);
      if (main && c.image !== main.image) ip(`image ${c.image} must be the app's own, ${main.image}`);
      if ((c.ports ?? []).length) ip('must not open ports');
    }
    const wait = inits.find((c) => commandLine(c).includes(`${WAIT_SCRIPT_DIR}/${WAIT_SCRIPT_KEY}`));
    if (!wait) p(`needs the init container that waits for its database login (node ${WAIT_SCRIPT_DIR}/${WAIT_SCRIPT_KEY})`);
    else {
      const ip = (msg: string) => p(`init container ${wait.name}: ${msg}`);
      if (envValue(objects, wait, 'HMS_SERVICE') !== name) ip(`HMS_SERVICE must be ${name}`);
      if (envValue(objects, wait, 'NODE_PATH') !== '/app/node_modules') ip('NODE_PATH must be /app/node_modules (where the image keeps pg)');
      databaseUrlProblems(objects, name, wait).problems.forEach(ip);
      const mount = (wait.volumeMounts ?? []).find((m: Obj) => m.mountPath === WAIT_SCRIPT_DIR);
      const volume = mount && (pod.volumes ?? []).find((v: Obj) => v.name === mount.name);
      const cm = volume?.configMap && find(objects, 'ConfigMap', volume.configMap.name);
      if (!cm?.data?.[WAIT_SCRIPT_KEY]) ip(`mount ConfigMap ${WAIT_SCRIPT_CONFIG_MAP} (with ${WAIT_SCRIPT_KEY}) at ${WAIT_SCRIPT_DIR}`);
      if (mount && !mount.readOnly) ip(`mount ${WAIT_SCRIPT_DIR} read-only`);
    }

    // Service
    const svc = find(objects, 'Service', name);
    if (!svc) p('has no Service of the same name');
    else {
      if ((svc.spec?.type ?? 'ClusterIP') !== 'ClusterIP') p(`Service type must be ClusterIP, is ${svc.spec.type}`);
      const sel: Record<string, string> = svc.spec?.selector ?? {};
      if (!Object.keys(sel).length || !Object.entries(sel).every(([k, v]) => podLabels[k] === v)) p('Service selector does not match the pod labels');
      for (const other of byKind(objects, 'Deployment')) {
        if (other !== d && Object.keys(sel).length && Object.entries(sel).every(([k, v]) => other.spec?.template?.metadata?.labels?.[k] === v)) {
          p(`Service selector also selects Deployment/${other.metadata.name}'s pods`);
        }
      }
      for (const sp of svc.spec?.ports ?? []) {
        const target = sp.targetPort ?? sp.port;
        const resolved = containers.map((c) => resolvePort(c, target)).find((n) => n !== undefined);
        if (resolved === undefined) p(`Service port ${sp.name ?? sp.port} targetPort ${target} is not a container port`);
        else if (metricsPorts.has(resolved)) p(`Service port ${sp.name ?? sp.port} exposes the metrics port: Prometheus scrapes the pods, and nothing else may reach /metrics`);
      }
    }

    // HorizontalPodAutoscaler
    const hpa = byKind(objects, 'HorizontalPodAutoscaler').find((h) => h.spec?.scaleTargetRef?.kind === 'Deployment' && h.spec?.scaleTargetRef?.name === name);
    if (!hpa) p('has no HorizontalPodAutoscaler');
    else {
      if (hpa.spec.scaleTargetRef.apiVersion !== 'apps/v1') p('HPA scaleTargetRef.apiVersion must be apps/v1');
      const min = hpa.spec.minReplicas ?? 1;
      if (!(min >= 1 && min <= hpa.spec.maxReplicas)) p(`HPA minReplicas ${min} / maxReplicas ${hpa.spec.maxReplicas} are inconsistent`);
      const cpu = (hpa.spec.metrics ?? []).find((m: Obj) => m.type === 'Resource' && m.resource?.name === 'cpu');
      if (cpu?.resource?.target?.type !== 'Utilization' || !(cpu.resource.target.averageUtilization > 0)) p('HPA must scale on CPU utilization');
    }

    // PodDisruptionBudget
    const pdb = byKind(objects, 'PodDisruptionBudget').find((b) => selects(b.spec?.selector, podLabels));
    if (!pdb) p('has no PodDisruptionBudget selecting its pods');
    else {
      if (pdb.spec.minAvailable === undefined && pdb.spec.maxUnavailable === undefined) p('PDB needs minAvailable or maxUnavailable');
      const min = hpa?.spec?.minReplicas ?? 1;
      if (typeof pdb.spec.minAvailable === 'number' && pdb.spec.minAvailable >= min) p(`PDB minAvailable ${pdb.spec.minAvailable} >= HPA minReplicas ${min}: nodes could never be drained`);
    }

    // NetworkPolicy of its own
    const np = byKind(objects, 'NetworkPolicy').find((n) => Object.keys(n.spec?.podSelector?.matchLabels ?? {}).length && selects(n.spec.podSelector, podLabels));
    if (!np) p('has no NetworkPolicy selecting its pods');
    else {
      if (!(np.spec.policyTypes ?? []).includes('Ingress')) p(`NetworkPolicy ${np.metadata.name} must have policyType Ingress`);
      for (const rule of np.spec.ingress ?? []) {
        for (const port of rule.ports ?? []) {
          if (port.port !== undefined && !containers.some((c) => resolvePort(c, port.port) !== undefined)) p(`NetworkPolicy ${np.metadata.name} admits port ${port.port}, which no container has`);
        }
      }
    }
  }
  return problems;
}

type Origin = 'anywhere' | 'other-namespaces' | 'monitoring' | 'same-namespace';

/** Where a peer of an ingress rule admits traffic from. */
function peerOrigin(peer: Obj): Origin {
  if (peer.ipBlock) return 'anywhere';
  if (peer.namespaceSelector) {
    const ns = peer.namespaceSelector;
    const names = ns.matchLabels ?? {};
    if (!ns.matchExpressions?.length && Object.keys(names).length === 1 && names['kubernetes.io/metadata.name'] === MONITORING_NAMESPACE) return 'monitoring';
    return 'other-namespaces';
  }
  return 'same-namespace';
}

/** Whether a rule's ports include a container port (a rule without ports admits every port). */
function admitsPort(rule: Obj, port: Obj | undefined): boolean {
  if (!port) return false;
  const ports: Obj[] = rule.ports ?? [];
  if (!ports.length) return true;
  return ports.some((p) => p.port === undefined || p.port === port.name || p.port === port.containerPort);
}

/**
 * Only the public apps (the gateway) admit traffic from outside the namespace, and only on the
 * API port. Every other app admits only the gateway's pods, on its API port. /metrics has a port
 * of its own ("metrics"), which only Prometheus from the monitoring namespace may reach, and
 * must be able to. A namespace-wide default deny keeps new workloads closed, and nothing may
 * connect to the provisioning Job.
 */
export function networkProblems(objects: Obj[]): string[] {
  const problems: string[] = [];
  const policies = byKind(objects, 'NetworkPolicy');
  const deny = policies.find(
    (n) => !Object.keys(n.spec?.podSelector ?? {}).length && (n.spec?.policyTypes ?? []).includes('Ingress') && !(n.spec?.ingress ?? []).length,
  );
  if (!deny) problems.push('no default-deny ingress NetworkPolicy (podSelector {}, policyTypes [Ingress], no rules)');

  for (const d of byKind(objects, 'Deployment')) {
    const app = d.metadata.name;
    const labels = d.spec?.template?.metadata?.labels ?? {};
    const ports: Obj[] = (d.spec?.template?.spec?.containers ?? []).flatMap((c: Obj) => c.ports ?? []);
    const httpPort = ports.find((p) => p.name === 'http');
    const metricsPort = ports.find((p) => p.name === 'metrics');
    const admitted: Origin[] = [];
    let scraped = false;
    for (const np of policies.filter((n) => selects(n.spec?.podSelector ?? {}, labels))) {
      const id = `NetworkPolicy/${np.metadata.name} (for ${app})`;
      for (const rule of np.spec?.ingress ?? []) {
        const peers: Obj[] = rule.from ?? [];
        const origins: Origin[] = peers.length ? peers.map(peerOrigin) : ['anywhere'];
        admitted.push(...origins);
        for (const [i, origin] of origins.entries()) {
          if (origin === 'monitoring') {
            const rulePorts: Obj[] = rule.ports ?? [];
            const onlyMetrics = rulePorts.length > 0 && rulePorts.every((p) => p.port !== undefined && (p.port === 'metrics' || p.port === metricsPort?.containerPort));
            if (!onlyMetrics) problems.push(`${id}: the monitoring namespace may reach only the metrics port`);
            else scraped = true;
            continue;
          }
          if (admitsPort(rule, metricsPort)) problems.push(`${id}: admits ${origin === 'same-namespace' ? 'pods of the namespace' : `traffic from ${origin}`} to the metrics port; only the monitoring namespace may scrape it`);
          if (PUBLIC_APPS.has(app)) continue;
          if (origin === 'anywhere' || origin === 'other-namespaces') problems.push(`${id}: admits traffic from ${origin}; only ${[...PUBLIC_APPS].join(', ')} may`);
          if (origin === 'same-namespace') {
            const sel = peers[i].podSelector;
            const fromApp = sel?.matchLabels?.['app.kubernetes.io/name'];
            if (!sel || sel.matchExpressions?.length || !fromApp || !PUBLIC_APPS.has(fromApp)) {
              problems.push(`${id}: admits pods other than ${[...PUBLIC_APPS].join(', ')} (${JSON.stringify(sel ?? {})})`);
            }
            if (!(rule.ports ?? []).length || !(rule.ports ?? []).every((p: Obj) => p.port === 'http' || p.port === httpPort?.containerPort)) {
              problems.push(`${id}: the gateway may reach only the http port`);
            }
          }
        }
      }
    }
    if (PUBLIC_APPS.has(app) && !admitted.includes('anywhere')) problems.push(`${app}: no NetworkPolicy admits traffic from outside, so it is unreachable`);
    if (!PUBLIC_APPS.has(app) && !admitted.includes('same-namespace')) problems.push(`${app}: no NetworkPolicy admits the gateway, so it is unreachable`);
    if (metricsPort && !scraped) problems.push(`${app}: no NetworkPolicy lets Prometheus (namespace ${MONITORING_NAMESPACE}) reach the metrics port`);
  }

  // nothing connects to the provisioning Job
  for (const job of byKind(objects, 'Job')) {
    const labels = job.spec?.template?.metadata?.labels ?? {};
    for (const np of policies.filter((n) => selects(n.spec?.podSelector ?? {}, labels))) {
      if ((np.spec?.ingress ?? []).length) problems.push(`NetworkPolicy/${np.metadata.name}: admits traffic to Job/${job.metadata.name}'s pods; nothing may connect to them`);
    }
  }
  return problems;
}

/** host:port/database[?options] of hms-config's HMS_DATABASE_ADDRESS, parsed. */
export function databaseAddress(objects: Obj[]): { host: string; port: number; database: string } | null {
  const value = find(objects, 'ConfigMap', CONFIG_MAP)?.data?.[DATABASE_ADDRESS];
  if (typeof value !== 'string') return null;
  try {
    const u = new URL(`postgres://login:password@${value}`);
    const database = decodeURIComponent(u.pathname.slice(1));
    if (!u.hostname || !database || database.includes('/') || u.username !== 'login' || u.password !== 'password') return null;
    return { host: u.hostname, port: Number(u.port || 5432), database };
  } catch {
    return null;
  }
}

/**
 * The provisioning Job: runs tools/db/provision.js with the administrator's URL (which no other
 * pod reads) and every app's password (from the Secret that app's DATABASE_URL uses), as
 * hardened as the apps, from an app's image of the same release; it reaches only PostgreSQL and
 * DNS, and nothing reaches it.
 */
export function jobProblems(objects: Obj[]): string[] {
  const problems: string[] = [];
  const job = find(objects, 'Job', PROVISION_JOB);
  if (!job) return [`Job/${PROVISION_JOB} is missing: it makes each service's database login before the apps start`];
  const jp = (msg: string) => problems.push(`Job/${PROVISION_JOB}: ${msg}`);
  const spec = job.spec ?? {};
  const pod: Obj = spec.template?.spec ?? {};
  const labels: Record<string, string> = spec.template?.metadata?.labels ?? {};
  const deployments = byKind(objects, 'Deployment');

  if (labels['app.kubernetes.io/name'] !== PROVISION_JOB || labels['app.kubernetes.io/part-of'] !== PART_OF) jp(`pod template needs labels app.kubernetes.io/name=${PROVISION_JOB} and part-of=${PART_OF}`);
  if (!['Never', 'OnFailure'].includes(pod.restartPolicy)) jp('restartPolicy must be Never or OnFailure');
  if (!(typeof spec.backoffLimit === 'number' && spec.backoffLimit <= 10)) jp('backoffLimit must be set (at most 10)');
  if (!(spec.activeDeadlineSeconds > 0)) jp('activeDeadlineSeconds must be set: a Job that cannot reach PostgreSQL must fail, not hang');
  if (!(typeof spec.ttlSecondsAfterFinished === 'number' && spec.ttlSecondsAfterFinished >= 0)) jp('ttlSecondsAfterFinished must be set, so that a finished Job is removed and the next deployment runs it again');
  if (spec.parallelism !== undefined && spec.parallelism !== 1) jp('parallelism must be 1');
  podSecurityProblems(pod).forEach(jp);
  if (pod.enableServiceLinks !== false) jp('enableServiceLinks must be false');

  const containers: Obj[] = pod.containers ?? [];
  if (containers.length !== 1 || (pod.initContainers ?? []).length) jp(`expected exactly one container and no init containers, found ${containers.length} and ${(pod.initContainers ?? []).length}`);
  const c = containers[0] ?? {};
  const cp = (msg: string) => jp(`container ${c.name}: ${msg}`);
  hardeningProblems(c, pod).forEach(cp);
  expansionProblems(objects, c).forEach(cp);
  if (!commandLine(c).endsWith(PROVISION_COMMAND)) cp(`must run ${PROVISION_COMMAND}, runs ${commandLine(c) || 'the image\'s command (an app)'}`);
  if ((c.ports ?? []).length) cp('must not open ports');
  const appImages = deployments.map((d) => d.spec?.template?.spec?.containers?.[0]?.image);
  if (!appImages.includes(c.image)) cp(`image ${c.image} must be one of the apps' images of this release (${appImages.join(', ')})`);

  // secrets: the administrator's URL and each app's password, nothing else
  const allowed = new Set([ADMIN_SECRET, ...deployments.map((d) => dbSecretOf(d.metadata.name))]);
  for (const { name, where } of secretsReadBy(pod)) if (!allowed.has(name)) jp(`${where}: reads Secret ${name}; the Job may read only ${[...allowed].join(', ')}`);
  for (const f of c.envFrom ?? []) if (f.secretRef) cp(`envFrom takes all of Secret ${f.secretRef.name}; reference each key with secretKeyRef`);
  for (const e of c.env ?? []) {
    if (GATEWAY_ONLY_ENV.includes(e.name)) cp(`env ${e.name} is the gateway's alone`);
    if (SECRET_LIKE.test(e.name) && !e.valueFrom?.secretKeyRef) cp(`env ${e.name} looks secret: take it from a Secret, never a literal`);
  }
  const admin = definesEnv(c, 'DATABASE_ADMIN_URL')?.valueFrom?.secretKeyRef;
  if (admin?.name !== ADMIN_SECRET || admin?.key !== 'DATABASE_ADMIN_URL' || admin?.optional) cp(`DATABASE_ADMIN_URL must come from Secret ${ADMIN_SECRET} key DATABASE_ADMIN_URL, not optional`);
  const apps = new Set(deployments.map((d) => d.metadata.name));
  for (const d of deployments) {
    const app = d.metadata.name;
    const variable = `${app.toUpperCase()}_DB_PASSWORD`;
    const ref = definesEnv(c, variable)?.valueFrom?.secretKeyRef;
    const used = databaseUrlProblems(objects, app, d.spec?.template?.spec?.containers?.[0] ?? {}).passwordKey;
    if (ref?.name !== dbSecretOf(app) || ref?.optional) cp(`${variable} must come from Secret ${dbSecretOf(app)}, not optional (${app}'s login)`);
    else if (used !== undefined && ref.key !== used) cp(`${variable} reads key ${ref.key} of ${dbSecretOf(app)}, but Deployment/${app} logs in with key ${used}`);
  }
  for (const e of c.env ?? []) {
    const m = /^([A-Z][A-Z0-9_]*)_DB_PASSWORD$/.exec(e.name);
    if (m && !apps.has(m[1].toLowerCase())) cp(`env ${e.name} names no Deployment`);
  }

  // network: nothing in, only PostgreSQL and DNS out
  const address = databaseAddress(objects);
  if (!address) jp(`${CONFIG_MAP} needs ${DATABASE_ADDRESS} as host:port/database`);
  const own = byKind(objects, 'NetworkPolicy').filter((n) => Object.keys(n.spec?.podSelector?.matchLabels ?? {}).length && selects(n.spec.podSelector, labels));
  if (!own.length) jp('has no NetworkPolicy of its own (nothing in; only PostgreSQL and DNS out)');
  let reachesDatabase = false;
  for (const np of own) {
    const id = `NetworkPolicy/${np.metadata.name}`;
    const types: string[] = np.spec?.policyTypes ?? [];
    if (!types.includes('Ingress') || !types.includes('Egress')) jp(`${id} must have policyTypes Ingress and Egress`);
    for (const rule of np.spec?.egress ?? []) {
      const ports: Obj[] = rule.ports ?? [];
      if (!ports.length) jp(`${id}: an egress rule without ports lets the Job (which holds the administrator's URL) connect anywhere`);
      for (const port of ports) {
        const protocol = port.protocol ?? 'TCP';
        const dns = port.port === 53 && ['UDP', 'TCP'].includes(protocol);
        const db = protocol === 'TCP' && address !== null && port.port === address.port && port.endPort === undefined;
        if (db) reachesDatabase = true;
        if (!dns && !db) jp(`${id}: egress to ${protocol} ${port.port}${port.endPort ? `-${port.endPort}` : ''}; only PostgreSQL (${address?.port ?? '?'}) and DNS (53)`);
      }
    }
  }
  if (own.length && !reachesDatabase) jp(`no egress rule lets it reach PostgreSQL on port ${address?.port ?? '?'} (${DATABASE_ADDRESS})`);
  for (const svc of byKind(objects, 'Service')) {
    const sel: Record<string, string> = svc.spec?.selector ?? {};
    if (Object.keys(sel).length && Object.entries(sel).every(([k, v]) => labels[k] === v)) jp(`Service/${svc.metadata.name} selects its pods`);
  }
  return problems;
}

/** Ingress backends exist, and only public apps are published. */
export function ingressProblems(objects: Obj[]): string[] {
  const problems: string[] = [];
  for (const ing of byKind(objects, 'Ingress')) {
    const backends: Obj[] = [
      ...(ing.spec?.defaultBackend ? [ing.spec.defaultBackend] : []),
      ...(ing.spec?.rules ?? []).flatMap((r: Obj) => (r.http?.paths ?? []).map((p: Obj) => p.backend)),
    ];
    if (!backends.length) problems.push(`Ingress/${ing.metadata.name}: no backends`);
    for (const b of backends) {
      const svc = b?.service && find(objects, 'Service', b.service.name);
      if (!svc) {
        problems.push(`Ingress/${ing.metadata.name}: backend Service ${b?.service?.name} does not exist`);
        continue;
      }
      if (!PUBLIC_APPS.has(svc.metadata.name)) problems.push(`Ingress/${ing.metadata.name}: publishes ${svc.metadata.name}, which is internal`);
      const port = b.service.port ?? {};
      if (!(svc.spec.ports ?? []).some((p: Obj) => (port.name !== undefined ? p.name === port.name : p.port === port.number))) {
        problems.push(`Ingress/${ing.metadata.name}: Service ${svc.metadata.name} has no port ${port.name ?? port.number}`);
      }
    }
    const paths = (ing.spec?.rules ?? []).flatMap((r: Obj) => (r.http?.paths ?? []).map((p: Obj) => String(p.path)));
    for (const path of paths) {
      if (path === '/' || path.startsWith('/metrics') || path.startsWith('/health')) problems.push(`Ingress/${ing.metadata.name}: path ${path} would publish /metrics or /health`);
    }
  }
  return problems;
}

/** hms-config: what every service needs, and every in-cluster URL points at an existing Service port. */
export function configProblems(objects: Obj[]): string[] {
  const problems: string[] = [];
  const cm = find(objects, 'ConfigMap', CONFIG_MAP);
  if (!cm) return [`ConfigMap ${CONFIG_MAP} is missing`];
  const data: Record<string, string> = cm.data ?? {};
  for (const key of ['HOST', 'LOG_LEVEL', 'DB_POOL_SIZE', 'EVENT_TRANSPORT', 'KAFKA_BROKERS', 'AUTH_JWKS_URL', 'AUTH_ISSUER', 'AUTH_AUDIENCE', 'METRICS_PORT', DATABASE_ADDRESS]) {
    if (!data[key]) problems.push(`${CONFIG_MAP}: ${key} is missing`);
  }
  if (data[DATABASE_ADDRESS] && !databaseAddress(objects)) problems.push(`${CONFIG_MAP}: ${DATABASE_ADDRESS} must be host:port/database (no credentials), is ${data[DATABASE_ADDRESS]}`);
  if (data.METRICS_PORT && !/^[1-9]\d{0,4}$/.test(data.METRICS_PORT)) problems.push(`${CONFIG_MAP}: METRICS_PORT must be a port number, is ${data.METRICS_PORT}`);
  if (data.REDIS_PREFIX !== undefined && !/^[A-Za-z0-9:_.-]{1,40}$/.test(data.REDIS_PREFIX)) problems.push(`${CONFIG_MAP}: REDIS_PREFIX ${data.REDIS_PREFIX} is not a valid prefix`);
  for (const [key, value] of Object.entries(data)) {
    if (GATEWAY_ONLY_ENV.includes(key)) problems.push(`${CONFIG_MAP}: ${key} is the gateway's alone; it belongs in Secret ${GATEWAY_SECRET}`);
    else if (PROVISION_ONLY_ENV.test(key)) problems.push(`${CONFIG_MAP}: ${key} is the provisioning Job's alone; it belongs in its Secret`);
    else if (SECRET_LIKE.test(key)) problems.push(`${CONFIG_MAP}: ${key} looks secret; it belongs in a Secret`);
    if (!/_URL$/.test(key)) continue;
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      problems.push(`${CONFIG_MAP}: ${key} is not a URL`);
      continue;
    }
    if (url.hostname.includes('.')) continue; // outside the namespace
    const svc = find(objects, 'Service', url.hostname);
    const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
    if (!svc) problems.push(`${CONFIG_MAP}: ${key} points at Service ${url.hostname}, which does not exist`);
    else if (!(svc.spec.ports ?? []).some((p: Obj) => p.port === port)) problems.push(`${CONFIG_MAP}: ${key} uses port ${port}, Service ${url.hostname} has no such port`);
  }
  // the gateway routes to every other app
  for (const d of byKind(objects, 'Deployment')) {
    const app = d.metadata.name;
    if (PUBLIC_APPS.has(app)) continue;
    if (!data[`${app.toUpperCase()}_URL`]) problems.push(`${CONFIG_MAP}: ${app.toUpperCase()}_URL is missing, so the gateway cannot route to ${app}`);
  }
  return problems;
}

export function allProblems(objects: Obj[]): string[] {
  return [
    ...labelProblems(objects),
    ...namespaceProblems(objects),
    ...workloadProblems(objects),
    ...jobProblems(objects),
    ...networkProblems(objects),
    ...ingressProblems(objects),
    ...configProblems(objects),
  ];
}

