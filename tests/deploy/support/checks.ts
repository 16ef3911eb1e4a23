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
export const SECRET = 'hms-secrets';
export const MONITORING_NAMESPACE = 'monitoring';
/** Apps whose pods may be reached from outside the namespace. */
export const PUBLIC_APPS: ReadonlySet<string> = new Set(['gateway']);

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

const SECRET_LIKE = /PASSWORD|SECRET|PRIVATE_KEY|TOKEN|CREDENTIAL|DATABASE_URL|REDIS_URL/;

export function workloadProblems(objects: Obj[]): string[] {
  const problems: string[] = [];
  for (const d of byKind(objects, 'Deployment')) {
    const name = d.metadata.name;
    const p = (msg: string) => problems.push(`Deployment/${name}: ${msg}`);
    const podLabels: Record<string, string> = d.spec?.template?.metadata?.labels ?? {};
    const pod: Obj = d.spec?.template?.spec ?? {};

    if (!Object.keys(d.spec?.selector?.matchLabels ?? {}).length) p('selector.matchLabels is empty');
    if (!selects(d.spec?.selector, podLabels)) p('selector does not match the pod template labels');
    if (d.spec?.replicas !== undefined) p('spec.replicas is set, but the HorizontalPodAutoscaler owns the replica count');
    if (pod.automountServiceAccountToken !== false) p('automountServiceAccountToken must be false (the apps never call the Kubernetes API)');

    const containers: Obj[] = pod.containers ?? [];
    if (containers.length !== 1) p(`expected exactly one container, found ${containers.length}`);
    const volumes = new Set((pod.volumes ?? []).map((v: Obj) => v.name));
    for (const c of containers) {
      const cp = (msg: string) => p(`container ${c.name}: ${msg}`);
      const image = parseImage(String(c.image ?? ''));
      if (!image.tag && !image.digest) cp(`image ${c.image} has neither tag nor digest`);
      if (image.tag === 'latest') cp(`image ${c.image} uses :latest`);

      const http = (c.ports ?? []).find((port: Obj) => port.name === 'http');
      if (!http) cp('needs a port named "http"');

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
        if (resolvePort(c, pr.httpGet?.port) === undefined) cp(`${probe} port ${pr.httpGet?.port} is not a container port`);
      }

      for (const res of ['cpu', 'memory']) {
        const req = c.resources?.requests?.[res];
        const lim = c.resources?.limits?.[res];
        if (req === undefined) cp(`resources.requests.${res} is missing`);
        if (lim === undefined) cp(`resources.limits.${res} is missing`);
        if (req !== undefined && lim !== undefined && !(quantity(req) <= quantity(lim))) cp(`requests.${res} ${req} exceeds limits.${res} ${lim}`);
      }

      const sc = c.securityContext ?? {};
      if (sc.runAsNonRoot !== true && pod.securityContext?.runAsNonRoot !== true) cp('runAsNonRoot must be true');
      if (sc.readOnlyRootFilesystem !== true) cp('readOnlyRootFilesystem must be true');
      if (sc.allowPrivilegeEscalation !== false) cp('allowPrivilegeEscalation must be false');
      if (!(sc.capabilities?.drop ?? []).includes('ALL')) cp('capabilities.drop must include ALL');
      if (sc.privileged) cp('must not be privileged');
      const mounts: Obj[] = c.volumeMounts ?? [];
      for (const m of mounts) if (!volumes.has(m.name)) cp(`volumeMount ${m.name} has no volume`);
      if (!mounts.some((m) => m.mountPath === '/tmp')) cp('mount a writable volume at /tmp (the root filesystem is read-only)');

      // configuration: hms-config and hms-secrets only, secrets never literal
      if (!(c.envFrom ?? []).some((f: Obj) => f.configMapRef?.name === CONFIG_MAP)) cp(`envFrom must include configMapRef ${CONFIG_MAP}`);
      for (const f of c.envFrom ?? []) {
        if (f.configMapRef && !find(objects, 'ConfigMap', f.configMapRef.name)) cp(`envFrom ConfigMap ${f.configMapRef.name} does not exist`);
        if (f.secretRef && f.secretRef.name !== SECRET) cp(`envFrom Secret ${f.secretRef.name}: only ${SECRET} is used`);
      }
      for (const e of c.env ?? []) {
        const cmRef = e.valueFrom?.configMapKeyRef;
        if (cmRef && find(objects, 'ConfigMap', cmRef.name)?.data?.[cmRef.key] === undefined && !cmRef.optional) cp(`env ${e.name}: ConfigMap ${cmRef.name} has no key ${cmRef.key}`);
        const sRef = e.valueFrom?.secretKeyRef;
        if (sRef && sRef.name !== SECRET) cp(`env ${e.name}: Secret ${sRef.name}: only ${SECRET} is used`);
        if (SECRET_LIKE.test(e.name) && !sRef) cp(`env ${e.name} looks secret: take it from Secret ${SECRET}, never a literal`);
      }
      const db = definesEnv(c, 'DATABASE_URL');
      if (db?.valueFrom?.secretKeyRef?.name !== SECRET) cp(`DATABASE_URL must come from Secret ${SECRET}`);
      if (db?.valueFrom?.secretKeyRef?.optional) cp('DATABASE_URL must not be optional');

      const port = envValue(objects, c, 'PORT');
      if (http && port !== String(http.containerPort)) cp(`PORT (${port ?? 'unset'}) must equal the http containerPort ${http.containerPort}`);
      if (envValue(objects, c, 'HOST') !== '0.0.0.0') cp('HOST must be 0.0.0.0 (the default 127.0.0.1 is unreachable in a pod)');
      if (envValue(objects, c, 'EVENT_TRANSPORT') !== 'kafka') cp('EVENT_TRANSPORT must be kafka');
      if (!envValue(objects, c, 'KAFKA_BROKERS')) cp('KAFKA_BROKERS must be set');
      if (!envValue(objects, c, 'AUTH_JWKS_URL')) cp('AUTH_JWKS_URL must be set');

      const ann = d.spec?.template?.metadata?.annotations ?? {};
      if (http && ann['prometheus.io/port'] !== String(http.containerPort)) cp('annotation prometheus.io/port must be the http port, where /metrics is served');
      if (ann['prometheus.io/path'] !== '/metrics') cp('annotation prometheus.io/path must be /metrics');
    }
    if (pod.securityContext?.seccompProfile?.type !== 'RuntimeDefault') p('pod securityContext.seccompProfile.type must be RuntimeDefault');

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
        if (!containers.some((c) => resolvePort(c, target) !== undefined)) p(`Service port ${sp.name ?? sp.port} targetPort ${target} is not a container port`);
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

/**
 * Only the public apps (the gateway) admit traffic from outside the namespace. Every other app
 * admits only the gateway's pods, plus Prometheus from the monitoring namespace on its http port
 * (where /metrics is served). A namespace-wide default deny keeps new workloads closed.
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
    const httpPort = (d.spec?.template?.spec?.containers ?? []).flatMap((c: Obj) => c.ports ?? []).find((p: Obj) => p.name === 'http');
    const admitted: Origin[] = [];
    for (const np of policies.filter((n) => selects(n.spec?.podSelector ?? {}, labels))) {
      const id = `NetworkPolicy/${np.metadata.name} (for ${app})`;
      for (const rule of np.spec?.ingress ?? []) {
        const peers: Obj[] = rule.from ?? [];
        const origins: Origin[] = peers.length ? peers.map(peerOrigin) : ['anywhere'];
        admitted.push(...origins);
        if (PUBLIC_APPS.has(app)) continue;
        for (const [i, origin] of origins.entries()) {
          if (origin === 'anywhere' || origin === 'other-namespaces') problems.push(`${id}: admits traffic from ${origin}; only ${[...PUBLIC_APPS].join(', ')} may`);
          if (origin === 'monitoring') {
            const ports: Obj[] = rule.ports ?? [];
            const onlyMetrics = ports.length > 0 && ports.every((p) => p.port === 'http' || p.port === httpPort?.containerPort);
            if (!onlyMetrics) problems.push(`${id}: the monitoring namespace may reach only the metrics (http) port`);
          }
          if (origin === 'same-namespace') {
            const sel = peers[i].podSelector;
            const fromApp = sel?.matchLabels?.['app.kubernetes.io/name'];
            if (!sel || sel.matchExpressions?.length || !fromApp || !PUBLIC_APPS.has(fromApp)) {
              problems.push(`${id}: admits pods other than ${[...PUBLIC_APPS].join(', ')} (${JSON.stringify(sel ?? {})})`);
            }
          }
        }
      }
    }
    if (PUBLIC_APPS.has(app) && !admitted.includes('anywhere')) problems.push(`${app}: no NetworkPolicy admits traffic from outside, so it is unreachable`);
    if (!PUBLIC_APPS.has(app) && !admitted.includes('same-namespace')) problems.push(`${app}: no NetworkPolicy admits the gateway, so it is unreachable`);
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
  for (const key of ['HOST', 'LOG_LEVEL', 'DB_POOL_SIZE', 'EVENT_TRANSPORT', 'KAFKA_BROKERS', 'AUTH_JWKS_URL', 'AUTH_ISSUER', 'AUTH_AUDIENCE']) {
    if (!data[key]) problems.push(`${CONFIG_MAP}: ${key} is missing`);
  }
  for (const [key, value] of Object.entries(data)) {
    if (SECRET_LIKE.test(key)) problems.push(`${CONFIG_MAP}: ${key} looks secret; it belongs in Secret ${SECRET}`);
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
  return [...labelProblems(objects), ...namespaceProblems(objects), ...workloadProblems(objects), ...networkProblems(objects), ...ingressProblems(objects), ...configProblems(objects)];
}

