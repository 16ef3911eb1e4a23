/**
 * Deployment manifests, checked offline: k8s/ (kustomize base and overlays), docker-compose.yml
 * and deploy/Dockerfile.
 *
 * - Every YAML document under k8s/ is schema-validated with kubernetes-models and checked for
 *   unknown fields; an unknown kind fails.
 * - Every kustomization renders (tests/deploy/support/kustomize-lite.ts): listed files exist,
 *   patches hit existing resources, image overrides hit containers, and no file is orphaned.
 * - The rendered base and overlays keep the platform's rules (support/checks.ts): probes,
 *   resources, security context, config and secret references, a matching Service, HPA, PDB and
 *   NetworkPolicy per Deployment, and only the gateway reachable from outside the namespace.
 * - Database logins: the provisioning Job runs tools/db/provision.js with the administrator's URL,
 *   which no app gets; each app's DATABASE_URL names its own login and password Secret, and the
 *   gateway alone gets the secrets key and the first administrator's password.
 * - /metrics: a container port "metrics" = METRICS_PORT = prometheus.io/port, reachable only from
 *   the monitoring namespace, never through a Service or the Ingress.
 * - Where kubectl is installed, real kustomize must render the same objects (skipped otherwise).
 *
 * Run alone: npx jest -c tests/deploy/jest.config.js
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Deployment } from 'kubernetes-models/apps/v1';
import { parseAllDocuments, type Document } from 'yaml';
import {
  ADMIN_SECRET,
  GATEWAY_ONLY_ENV,
  GATEWAY_SECRET,
  PROVISION_JOB,
  WAIT_SCRIPT_CONFIG_MAP,
  WAIT_SCRIPT_KEY,
  byKind,
  configProblems,
  ingressProblems,
  jobProblems,
  labelProblems,
  namespaceProblems,
  networkProblems,
  secretsReadBy,
  workloadProblems,
} from './support/checks';
import { launcherAppNames } from './support/apps';
import { PROVISION_SERVICE, appServices, composeProblems, environmentOf, interpolate, requiredVariables, secretDefaults } from './support/compose';
import { modelFor, unknownFields, validateObject, type Obj } from './support/k8s-schema';
import { isPlainObject, kustomizationFile, parseImage, readYamlDocuments, render, type RenderResult } from './support/kustomize-lite';

const ROOT = path.resolve(__dirname, '..', '..');
const K8S = path.join(ROOT, 'k8s');
const rel = (p: string) => path.relative(ROOT, p);
/** The launcher's APP_NAMES (the generator adds a new service there), sorted. */
const EXPECTED_APPS = launcherAppNames(ROOT);

function yamlFilesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...yamlFilesUnder(p));
    else if (/\.ya?ml$/.test(entry.name)) out.push(p);
  }
  return out.sort();
}

const allFiles = yamlFilesUnder(K8S);
const kustomizationDirs = allFiles.filter((f) => /^kustomization\.ya?ml$/.test(path.basename(f))).map((f) => path.dirname(f));
const renderErrors = new Map<string, Error>();
const renders = new Map<string, RenderResult>();
for (const dir of kustomizationDirs) {
  try {
    renders.set(dir, render(dir));
  } catch (error) {
    renderErrors.set(dir, error as Error);
  }
}
// Patch files as the kustomizations list them (also when one of them does not render).
const patchFiles = new Set(
  kustomizationDirs.flatMap((dir) => {
    let k: unknown;
    try {
      k = readYamlDocuments(kustomizationFile(dir)!)[0];
    } catch {
      return []; // reported by the "renders" test of that kustomization
    }
    const patches = isPlainObject(k) && Array.isArray(k.patches) ? k.patches : [];
    return patches.filter((p: unknown) => isPlainObject(p) && typeof p.path === 'string').map((p: Obj) => path.resolve(dir, p.path));
  }),
);
const resourceFiles = allFiles.filter((f) => !/^kustomization\.ya?ml$/.test(path.basename(f)) && !patchFiles.has(f));
const ENVIRONMENTS = ['base', 'overlays/staging', 'overlays/production'];
const rendered = (env: string): Obj[] => {
  const dir = path.join(K8S, env);
  const error = renderErrors.get(dir);
  if (error) throw error;
  const r = renders.get(dir);
  if (!r) throw new Error(`k8s/${env} has no kustomization.yaml`);
  return r.objects.map((o) => o.obj);
};
const expectNoProblems = (problems: string[]) => expect(problems).toEqual([]);

// ---------------------------------------------------------------------------------------------

describe('k8s/ files', () => {
  it('has a base, a staging and a production overlay', () => {
    for (const env of ENVIRONMENTS) expect(kustomizationFile(path.join(K8S, env))).not.toBeNull();
    expect(resourceFiles.length).toBeGreaterThanOrEqual(10);
  });

  describe.each(resourceFiles.map((f) => [rel(f), f]))('%s', (_name, file) => {
    const docs = readYamlDocuments(file);

    it('holds Kubernetes objects of known kinds', () => {
      expect(docs.length).toBeGreaterThan(0);
      for (const doc of docs) {
        expect(isPlainObject(doc)).toBe(true);
        expect(() => modelFor(doc as Obj)).not.toThrow();
      }
    });

    it('is valid against the Kubernetes schemas and has no unknown fields', () => {
      for (const doc of docs) {
        validateObject(doc as Obj);
        expect(unknownFields(doc as Obj)).toEqual([]);
      }
    });
  });

  it.each([...patchFiles].sort().map((f) => [rel(f), f]))('patch %s names only real fields', (_name, file) => {
    for (const doc of readYamlDocuments(file)) {
      if (Array.isArray(doc)) continue; // JSON 6902: checked by applying it and validating the result
      expect(unknownFields(doc as Obj)).toEqual([]);
    }
  });
});

describe('kustomizations', () => {
  it.each(kustomizationDirs.map((d) => [rel(d), d]))('%s renders: listed files exist, patches and images hit existing resources', (_name, dir) => {
    const error = renderErrors.get(dir);
    if (error) throw error;
    expect(renders.get(dir)!.objects.length).toBeGreaterThan(0);
  });

  it('leaves no YAML file under k8s/ unused', () => {
    const used = new Set<string>();
    for (const r of renders.values()) [...r.kustomizations, ...r.resourceFiles, ...r.patchFiles].forEach((f) => used.add(f));
    expect(allFiles.filter((f) => !used.has(f)).map(rel)).toEqual([]);
  });

  it('lists every app folder of k8s/base in the base kustomization', () => {
    const base = renders.get(path.join(K8S, 'base'));
    expect(base).toBeDefined();
    const appDirs = fs
      .readdirSync(path.join(K8S, 'base'), { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => path.join(K8S, 'base', e.name));
    for (const dir of appDirs) expect(base!.kustomizations).toContain(kustomizationFile(dir));
  });

  it('builds both overlays on the base', () => {
    for (const env of ['overlays/staging', 'overlays/production']) {
      expect(renders.get(path.join(K8S, env))!.kustomizations).toContain(kustomizationFile(path.join(K8S, 'base')));
    }
  });
});

describe.each(ENVIRONMENTS)('rendered k8s/%s', (env) => {
  it('has a Deployment for each app of the launcher\'s APP_NAMES, and no other', () => {
    expect(EXPECTED_APPS).toContain('gateway');
    expect(byKind(rendered(env), 'Deployment').map((d) => d.metadata.name).sort()).toEqual(EXPECTED_APPS);
  });
  it('validates every object against the schemas, with no unknown fields', () => {
    const problems: string[] = [];
    for (const obj of rendered(env)) {
      try {
        validateObject(obj);
      } catch (error) {
        problems.push((error as Error).message);
      }
      problems.push(...unknownFields(obj));
    }
    expectNoProblems(problems);
  });
  it('labels everything app.kubernetes.io/name and part-of: hms', () => expectNoProblems(labelProblems(rendered(env))));
  it('puts everything in the hms namespace', () => expectNoProblems(namespaceProblems(rendered(env))));
  it('gives every Deployment probes, resources, a hardened security context, config refs and its Service, HPA, PDB and NetworkPolicy', () =>
    expectNoProblems(workloadProblems(rendered(env))));
  it('runs the provisioning Job: tools/db/provision.js with the admin URL and every app\'s password, hardened, reaching only PostgreSQL and DNS', () =>
    expectNoProblems(jobProblems(rendered(env))));
  it('lets only the gateway be reached from outside the namespace, and only Prometheus reach the metrics ports', () =>
    expectNoProblems(networkProblems(rendered(env))));
  it('publishes only the gateway through the Ingress, without /metrics or /health', () => expectNoProblems(ingressProblems(rendered(env))));
  it('has an hms-config whose in-cluster URLs point at existing Services', () => expectNoProblems(configProblems(rendered(env))));

  it('gives the administrator\'s Secret to the provisioning Job alone, and the gateway\'s Secret to the gateway alone', () => {
    const readers = (secret: string) =>
      [...byKind(rendered(env), 'Deployment'), ...byKind(rendered(env), 'Job')]
        .filter((w) => secretsReadBy(w.spec.template.spec).some((r) => r.name === secret))
        .map((w) => `${w.kind}/${w.metadata.name}`);
    expect(readers(ADMIN_SECRET)).toEqual([`Job/${PROVISION_JOB}`]);
    expect(readers(GATEWAY_SECRET)).toEqual(['Deployment/gateway']);
    for (const app of EXPECTED_APPS) expect(readers(`hms-db-${app}`).sort()).toEqual([`Deployment/${app}`, `Job/${PROVISION_JOB}`].sort());
  });

  it('names each app\'s own login in its DATABASE_URL (main and init container)', () => {
    for (const d of byKind(rendered(env), 'Deployment')) {
      const pod = d.spec.template.spec;
      for (const c of [...(pod.initContainers ?? []), ...pod.containers]) {
        const url = c.env.find((e: Obj) => e.name === 'DATABASE_URL');
        expect({ app: d.metadata.name, container: c.name, url: url?.value }).toEqual({
          app: d.metadata.name,
          container: c.name,
          url: expect.stringMatching(new RegExp(`^postgres://hms_${d.metadata.name}_login:\\$\\(\\w+\\)@\\$\\(HMS_DATABASE_ADDRESS\\)$`)),
        });
      }
    }
  });
});

describe('overlays', () => {
  it.each(['overlays/staging', 'overlays/production'])('%s pulls every image (apps, init containers, the Job) from a registry with a pinned tag', (env) => {
    for (const d of [...byKind(rendered(env), 'Deployment'), ...byKind(rendered(env), 'Job')]) {
      for (const c of [...(d.spec.template.spec.initContainers ?? []), ...d.spec.template.spec.containers]) {
        const ref = parseImage(c.image);
        expect({ image: c.image, registry: /^[^/]+\.[^/]+\//.test(ref.name) }).toEqual({ image: c.image, registry: true });
        expect(ref.digest ?? ref.tag).toBeDefined();
        expect(['latest', 'dev', 'main', 'master']).not.toContain(ref.tag);
      }
    }
  });

  it('production runs at least 3 replicas of every app and pins release versions', () => {
    const objects = rendered('overlays/production');
    for (const hpa of byKind(objects, 'HorizontalPodAutoscaler')) expect({ hpa: hpa.metadata.name, min: hpa.spec.minReplicas >= 3 }).toEqual({ hpa: hpa.metadata.name, min: true });
    for (const d of [...byKind(objects, 'Deployment'), ...byKind(objects, 'Job')]) {
      const image: string = d.spec.template.spec.containers[0].image;
      const ref = parseImage(image);
      expect({ image, version: ref.digest ?? ref.tag }).toEqual({ image, version: expect.stringMatching(/^(sha256:[0-9a-f]{64}|v?\d+\.\d+\.\d+)$/) });
    }
  });

  it.each(['overlays/staging', 'overlays/production'])('%s runs the provisioning Job from the gateway\'s release, and sets where PostgreSQL is', (env) => {
    const objects = rendered(env);
    const job = objects.find((o) => o.kind === 'Job' && o.metadata.name === PROVISION_JOB)!;
    const gateway = objects.find((o) => o.kind === 'Deployment' && o.metadata.name === 'gateway')!;
    expect(job.spec.template.spec.containers[0].image).toBe(gateway.spec.template.spec.containers[0].image);
    const base = byKind(rendered('base'), 'ConfigMap').find((c) => c.metadata.name === 'hms-config')!.data.HMS_DATABASE_ADDRESS;
    const own = byKind(objects, 'ConfigMap').find((c) => c.metadata.name === 'hms-config')!.data.HMS_DATABASE_ADDRESS;
    expect(own).not.toEqual(base);
  });

  it('changes the base: replicas, resources, image tags and host names differ per environment', () => {
    const summary = (env: string) => {
      const objects = rendered(env);
      return {
        hpa: byKind(objects, 'HorizontalPodAutoscaler').map((h) => [h.spec.minReplicas, h.spec.maxReplicas]),
        resources: byKind(objects, 'Deployment').map((d) => d.spec.template.spec.containers[0].resources),
        images: byKind(objects, 'Deployment').map((d) => d.spec.template.spec.containers[0].image),
        hosts: byKind(objects, 'Ingress').flatMap((i) => i.spec.rules.map((r: Obj) => r.host)),
      };
    };
    const [base, staging, production] = ENVIRONMENTS.map(summary);
    for (const key of ['hpa', 'resources', 'images', 'hosts'] as const) {
      expect(staging[key]).not.toEqual(base[key]);
      expect(production[key]).not.toEqual(base[key]);
      expect(production[key]).not.toEqual(staging[key]);
    }
  });
});

// The script every Deployment's init container runs, against a stand-in for `pg` (no database here).
describe('the init containers\' wait for the database login', () => {
  const script = (): string => byKind(rendered('base'), 'ConfigMap').find((c) => c.metadata.name === WAIT_SCRIPT_CONFIG_MAP)?.data?.[WAIT_SCRIPT_KEY];
  const PASSWORD = 'a1b2c3d4e5f6a7b8c9d0';
  const FAKE_PG = `
    const mode = process.env.FAKE_PG;
    const fail = (code, message) => Object.assign(new Error(message), { code });
    exports.Client = class {
      constructor(options) { this.url = new URL(options.connectionString); }
      on() {}
      async connect() {
        if (mode === 'refused') throw fail('ECONNREFUSED', 'connect ECONNREFUSED 10.0.0.5:5432');
        if (mode === 'auth') throw fail('28P01', 'password authentication failed for user "' + this.url.username + '"');
      }
      async query(sql, params) {
        const login = this.url.username;
        const owner = mode === 'ready' ? login : mode === 'missing' ? null : 'hms_someone_login';
        return { rows: [{ login, owner: params[0] === 'audit' ? owner : 'x' }] };
      }
      async end() {}
    };`;
  let dir = '';
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hms-wait-'));
    fs.mkdirSync(path.join(dir, 'node_modules', 'pg'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'node_modules', 'pg', 'index.js'), FAKE_PG);
    fs.writeFileSync(path.join(dir, WAIT_SCRIPT_KEY), script() ?? '');
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const run = (mode: string, env: Record<string, string> = {}) => {
    const r = spawnSync(process.execPath, [path.join(dir, WAIT_SCRIPT_KEY)], {
      encoding: 'utf8',
      timeout: 30_000,
      env: { PATH: process.env.PATH ?? '', NODE_PATH: path.join(dir, 'node_modules'), FAKE_PG: mode, HMS_SERVICE: 'audit', HMS_DB_WAIT_SECONDS: '0', DATABASE_URL: `postgres://hms_audit_login:${PASSWORD}@db.example:5432/hms`, ...env },
    });
    return { status: r.status, output: `${r.stdout}${r.stderr}` };
  };

  it('is in ConfigMap hms-wait-for-database', () => expect(typeof script()).toBe('string'));

  it('succeeds once the login connects and owns the app\'s schema', () => {
    const r = run('ready');
    expect(r).toEqual({ status: 0, output: 'audit: database login ready\n' });
  });

  it.each([
    ['refused', /waiting for the db-provision Job: ECONNREFUSED/],
    ['auth', /waiting for the db-provision Job: 28P01: password authentication failed for user "hms_audit_login"/],
    ['missing', /schema audit does not exist yet/],
    ['other', /schema audit belongs to hms_someone_login, not to hms_audit_login/],
  ])('keeps waiting, then fails, while the login is not ready (%s), never printing the password', (mode, reason) => {
    const r = run(mode);
    expect(r.status).toBe(1);
    expect(r.output).toMatch(reason);
    expect(r.output).toMatch(/gave up after 0 s/);
    expect(r.output).not.toContain(PASSWORD);
  });

  it('refuses to run without HMS_SERVICE', () => {
    expect(run('ready', { HMS_SERVICE: '' }).status).toBe(2);
  });
});

// Real kustomize (built into kubectl) must agree with kustomize-lite, where kubectl exists.
const kubectl = (() => {
  try {
    const r = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8', timeout: 30_000 });
    return r.status === 0;
  } catch {
    return false;
  }
})();
const describeWithKubectl = kubectl ? describe : describe.skip;
describeWithKubectl('kubectl kustomize (skipped where kubectl is not installed)', () => {
  it.each(ENVIRONMENTS)('renders k8s/%s exactly as kustomize-lite does', (env) => {
    const r = spawnSync('kubectl', ['kustomize', path.join(K8S, env)], { encoding: 'utf8', timeout: 60_000 });
    if (r.status !== 0) throw new Error(`kubectl kustomize k8s/${env} failed: ${r.stderr || r.error?.message}`);
    const theirs = parseAllDocuments(r.stdout, { version: '1.1' }) as Document[];
    const key = (o: Obj) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;
    const sort = (objs: Obj[]) => [...objs].sort((a, b) => key(a).localeCompare(key(b)));
    expect(sort(rendered(env))).toEqual(sort(theirs.map((d) => d.toJS() as Obj)));
  });
});

// ---------------------------------------------------------------------------------------------

describe('docker-compose.yml', () => {
  const compose = readYamlDocuments(path.join(ROOT, 'docker-compose.yml'), { version: '1.2', merge: true })[0] as Obj;
  const appPorts = Object.fromEntries(
    byKind(rendered('base'), 'Deployment').map((d) => [d.metadata.name, d.spec.template.spec.containers[0].ports.find((p: Obj) => p.name === 'http').containerPort]),
  ) as Record<string, number>;

  it('has postgres, kafka and redis services', () => {
    expect(Object.keys(compose.services)).toEqual(expect.arrayContaining(['postgres', 'kafka', 'redis']));
  });

  it('builds the same apps as k8s/base, each with EVENT_TRANSPORT=kafka', () => {
    expect(appServices(compose)).toEqual(EXPECTED_APPS);
    for (const app of appServices(compose)) expect([app, environmentOf(compose.services[app]).EVENT_TRANSPORT]).toEqual([app, 'kafka']);
  });

  it('keeps the stack rules: KRaft, healthchecks, depends_on conditions, only the gateway published, placeholder secrets, same ports as k8s', () => {
    expectNoProblems(composeProblems(compose, appPorts));
  });

  it('provisions the database logins once, as the administrator, before any app starts', () => {
    const provision = compose.services[PROVISION_SERVICE];
    expect(provision.command.join(' ')).toBe('node -r ./dist/tools/runtime/register-paths.js dist/tools/db/provision.js');
    for (const app of appServices(compose)) expect([app, compose.services[app].depends_on[PROVISION_SERVICE]]).toEqual([app, { condition: 'service_completed_successfully' }]);
    const holders = (key: string) => Object.keys(compose.services).filter((name) => key in environmentOf(compose.services[name]));
    expect(holders('DATABASE_ADMIN_URL')).toEqual([PROVISION_SERVICE]);
    for (const key of GATEWAY_ONLY_ENV.filter((k) => k !== 'HMS_SECRETS_KEY_FILE')) expect([key, holders(key)]).toEqual([key, ['gateway']]);
  });

  it('connects each app with its own login, never the administrator\'s', () => {
    for (const app of appServices(compose)) {
      const url = new URL(interpolate(String(environmentOf(compose.services[app]).DATABASE_URL)));
      expect([app, url.username, url.hostname]).toEqual([app, `hms_${app}_login`, 'postgres']);
      expect(String(environmentOf(compose.services[app]).DATABASE_URL)).not.toMatch(/POSTGRES_(USER|PASSWORD)/);
    }
  });

  it('refuses to start without the secrets key and the first administrator\'s password (no defaults)', () => {
    const gateway = environmentOf(compose.services.gateway);
    expect(requiredVariables(String(gateway.HMS_SECRETS_KEY))).toEqual(['HMS_SECRETS_KEY']);
    expect(requiredVariables(String(gateway.HMS_ADMIN_PASSWORD))).toEqual(['HMS_ADMIN_PASSWORD']);
    expect(() => interpolate(String(gateway.HMS_ADMIN_PASSWORD))).toThrow(/HMS_ADMIN_PASSWORD must be set/);
    expect(interpolate(String(gateway.HMS_SECRETS_KEY), { HMS_SECRETS_KEY: 'k' })).toBe('k');
  });

  it('has every variable it reads in deploy/compose.env.example: placeholders for passwords, empty for what has no default', () => {
    const example = new Map(
      fs
        .readFileSync(path.join(ROOT, 'deploy', 'compose.env.example'), 'utf8')
        .split('\n')
        .map((l) => /^([A-Z_][A-Z0-9_]*)=(.*)$/.exec(l.trim()))
        .filter((m): m is RegExpExecArray => m !== null)
        .map((m) => [m[1], m[2]]),
    );
    const text = fs.readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8');
    const read = new Set([...text.matchAll(/\$\{([A-Z_][A-Z0-9_]*)/g)].map((m) => m[1]));
    for (const name of read) expect([name, example.has(name)]).toEqual([name, true]);
    for (const name of new Set(requiredVariables(text))) expect([name, example.get(name)]).toEqual([name, '']);
    for (const { name } of secretDefaults(text)) expect([name, example.get(name)]).toEqual([name, expect.stringMatching(/^change-me-\S+$/)]);
    for (const [name, value] of example) if (/_DB_PASSWORD$/.test(name)) expect([name, value.length >= 16, /^[A-Za-z0-9._~-]+$/.test(value)]).toEqual([name, true, true]);
  });
});

describe('deploy/Dockerfile', () => {
  const dockerfile = fs.readFileSync(path.join(ROOT, 'deploy', 'Dockerfile'), 'utf8');
  const instructions = dockerfile
    .replace(/\\\r?\n/g, ' ')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));

  it('builds on node:20-bookworm-slim in stages: npm ci, npm run build, prune', () => {
    expect(dockerfile).toMatch(/^ARG NODE_IMAGE=node:20-bookworm-slim$/m);
    expect(instructions.filter((l) => /^FROM /.test(l)).length).toBeGreaterThanOrEqual(2);
    expect(dockerfile).toMatch(/npm ci\b/);
    expect(dockerfile).toMatch(/npm run build\b/);
    expect(dockerfile).toMatch(/npm prune --omit=dev/);
  });

  it('copies every source root that tsconfig.build.json compiles', () => {
    const tsconfig = JSON.parse(fs.readFileSync(path.join(ROOT, 'tsconfig.build.json'), 'utf8')) as { include: string[]; extends?: string };
    const roots = new Set(tsconfig.include.map((g) => g.split('/')[0]));
    const copies = instructions.filter((l) => /^COPY /.test(l) && !/--from=/.test(l)).join('\n');
    for (const r of roots) expect(copies).toMatch(new RegExp(`\\b${r}\\b`));
    expect(copies).toMatch(/tsconfig\.build\.json/);
    if (tsconfig.extends) expect(copies).toContain(path.basename(tsconfig.extends));
  });

  it('runs the chosen app as a non-root user with the documented command', () => {
    const last = instructions.slice(instructions.map((l) => /^FROM /.test(l)).lastIndexOf(true));
    expect(last.some((l) => /^ARG APP$/.test(l))).toBe(true);
    expect(last.some((l) => /^ENV APP=\$\{?APP\}?$/.test(l))).toBe(true);
    const user = last.filter((l) => /^USER /.test(l)).pop();
    expect(user).toMatch(/^USER [1-9]\d*(:[1-9]\d*)?$/); // numeric, so runAsNonRoot can verify it
    const cmd = last.filter((l) => /^CMD /.test(l)).pop() ?? '';
    expect(cmd).toContain('node -r ./dist/tools/runtime/register-paths.js');
    expect(cmd).toMatch(/dist\/apps\/\$\{APP\}\/src\/main\.js/);
    expect(cmd).toMatch(/exec node/); // node gets the signals, not a shell
  });

  it('checks that the image holds the provisioning step (dist/tools/db/provision.js, built from tools/)', () => {
    const last = instructions.slice(instructions.map((l) => /^FROM /.test(l)).lastIndexOf(true));
    expect(last.some((l) => /^RUN .*-f dist\/tools\/db\/provision\.js/.test(l))).toBe(true);
    expect(fs.existsSync(path.join(ROOT, 'tools', 'db', 'provision.ts'))).toBe(true);
    const tsconfig = JSON.parse(fs.readFileSync(path.join(ROOT, 'tsconfig.build.json'), 'utf8')) as { include: string[] };
    expect(tsconfig.include).toContain('tools/**/*.ts');
  });

  it('ships what the runtime reads besides dist/ and node_modules/ (tsconfig.base.json for register-paths)', () => {
    const runtime = instructions.slice(instructions.map((l) => /^FROM /.test(l)).lastIndexOf(true));
    const copied = runtime.filter((l) => /^COPY --from=/.test(l)).map((l) => l.split(/\s+/).slice(-2)[0]);
    expect(copied).toEqual(expect.arrayContaining(['/app/dist', '/app/node_modules']));
    const registerPaths = path.join(ROOT, 'tools', 'runtime', 'register-paths.ts');
    if (fs.existsSync(registerPaths) && fs.readFileSync(registerPaths, 'utf8').includes('tsconfig.base.json')) {
      expect(copied).toContain('/app/tsconfig.base.json');
    }
  });

  it('has an ignore list next to it (BuildKit) identical to /.dockerignore, keeping the sources in the context', () => {
    const own = fs.readFileSync(path.join(ROOT, 'deploy', 'Dockerfile.dockerignore'), 'utf8');
    const rootIgnore = path.join(ROOT, '.dockerignore');
    if (fs.existsSync(rootIgnore)) expect(fs.readFileSync(rootIgnore, 'utf8')).toBe(own);
    const patterns = own.split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
    for (const needed of ['apps', 'libs', 'tools', 'package.json', 'package-lock.json', 'tsconfig.base.json', 'tsconfig.build.json']) expect(patterns).not.toContain(needed);
    for (const excluded of ['.git', '**/node_modules', 'dist', '.env']) expect(patterns).toContain(excluded);
  });
});

// ---------------------------------------------------------------------------------------------
// The checks must fail loudly on broken manifests.

describe('negative cases', () => {
  const base = () => structuredClone(rendered('base'));
  const get = (objects: Obj[], kind: string, name: string) => objects.find((o) => o.kind === kind && o.metadata.name === name)!;
  const patients = (objects: Obj[]) => get(objects, 'Deployment', 'patients');
  const main = (objects: Obj[], app: string) => get(objects, 'Deployment', app).spec.template.spec.containers[0];
  const envOf = (c: Obj, name: string) => c.env.find((e: Obj) => e.name === name);
  const loadCompose = () => readYamlDocuments(path.join(ROOT, 'docker-compose.yml'), { version: '1.2', merge: true })[0] as Obj;

  it('reports an app given the administrator\'s URL, the gateway\'s secrets, or another app\'s login', () => {
    const objects = base();
    const c = main(objects, 'patients');
    c.env.push({ name: 'DATABASE_ADMIN_URL', valueFrom: { secretKeyRef: { name: ADMIN_SECRET, key: 'DATABASE_ADMIN_URL' } } });
    c.env.push({ name: 'HMS_SECRETS_KEY', valueFrom: { secretKeyRef: { name: GATEWAY_SECRET, key: 'HMS_SECRETS_KEY' } } });
    envOf(c, 'DATABASE_URL').value = envOf(c, 'DATABASE_URL').value.replace('hms_patients_login', 'hms_gateway_login');
    envOf(c, 'DATABASE_PASSWORD').valueFrom.secretKeyRef.name = 'hms-db-gateway';
    const a = main(objects, 'audit');
    envOf(a, 'DATABASE_URL').value = 'postgres://hms_audit_login:hunter2hunter2hunter2@db.example:5432/hms';
    const w = main(objects, 'wards');
    w.env = w.env.filter((e: Obj) => e.name !== 'REDIS_URL');
    const g = main(objects, 'gateway');
    g.env = g.env.filter((e: Obj) => e.name !== 'HMS_SECRETS_KEY');
    get(objects, 'Deployment', 'pharmacy').spec.template.spec.initContainers[0].env.push({ name: 'HMS_ADMIN_PASSWORD', valueFrom: { secretKeyRef: { name: GATEWAY_SECRET, key: 'HMS_ADMIN_PASSWORD' } } });
    get(objects, 'Deployment', 'gateway').spec.template.spec.initContainers[0].env.push({ name: 'HMS_SECRETS_KEY', valueFrom: { secretKeyRef: { name: GATEWAY_SECRET, key: 'HMS_SECRETS_KEY' } } });
    expect(workloadProblems(objects)).toEqual(
      expect.arrayContaining([
        "Deployment/patients: container patients: env DATABASE_ADMIN_URL: reads Secret hms-db-admin, the database administrator's, which only Job/db-provision may",
        "Deployment/patients: container patients: env DATABASE_ADMIN_URL is the provisioning Job's alone",
        "Deployment/patients: container patients: env HMS_SECRETS_KEY is the gateway's alone",
        'Deployment/patients: container patients: env HMS_SECRETS_KEY: reads Secret hms-gateway-secrets; patients may read only hms-secrets, hms-db-patients',
        'Deployment/patients: container patients: env DATABASE_PASSWORD: reads Secret hms-db-gateway; patients may read only hms-secrets, hms-db-patients',
        'Deployment/patients: container patients: DATABASE_URL logs in as hms_gateway_login; patients must use its own login hms_patients_login',
        "Deployment/patients: container patients: DATABASE_URL's password comes from Secret hms-db-gateway; patients's is in hms-db-patients",
        expect.stringMatching(/^Deployment\/audit: container audit: DATABASE_URL must be postgres:\/\/hms_audit_login:\$\(<password from Secret hms-db-audit>\)@\$\(HMS_DATABASE_ADDRESS\), is /),
        expect.stringMatching(/^Deployment\/wards: container wards: REDIS_URL must come from Secret hms-secrets/),
        expect.stringMatching(/^Deployment\/gateway: container gateway: HMS_SECRETS_KEY must come from Secret hms-gateway-secrets/),
        "Deployment/pharmacy: init container wait-for-database: env HMS_ADMIN_PASSWORD is the gateway's alone",
        'Deployment/pharmacy: init container wait-for-database: env HMS_ADMIN_PASSWORD: reads Secret hms-gateway-secrets; pharmacy may read only hms-secrets, hms-db-pharmacy',
        'Deployment/gateway: init container wait-for-database: env HMS_SECRETS_KEY is for the gateway itself, not its init container',
        'Deployment/gateway: init container wait-for-database: env HMS_SECRETS_KEY reads Secret hms-gateway-secrets; an init container needs only hms-db-gateway',
      ]),
    );
  });

  it('reports a DATABASE_URL whose password variable is not defined above it, and a missing wait for the login', () => {
    const objects = base();
    const c = main(objects, 'patients');
    const i = c.env.findIndex((e: Obj) => e.name === 'DATABASE_PASSWORD');
    const [password] = c.env.splice(i, 1);
    c.env.push(password); // now after DATABASE_URL: Kubernetes would not expand it
    delete get(objects, 'Deployment', 'audit').spec.template.spec.initContainers;
    const wards = get(objects, 'Deployment', 'wards').spec.template.spec;
    wards.initContainers[0].securityContext.readOnlyRootFilesystem = false;
    wards.initContainers[0].env.find((e: Obj) => e.name === 'HMS_SERVICE').value = 'patients';
    expect(workloadProblems(objects)).toEqual(
      expect.arrayContaining([
        'Deployment/patients: container patients: env DATABASE_URL refers to $(DATABASE_PASSWORD), which is not defined above it (Kubernetes would leave it as it is)',
        "Deployment/patients: container patients: DATABASE_URL's password $(DATABASE_PASSWORD) must be defined above it from Secret hms-db-patients",
        'Deployment/audit: needs the init container that waits for its database login (node /opt/hms/wait-for-database.js)',
        'Deployment/wards: init container wait-for-database: readOnlyRootFilesystem must be true',
        'Deployment/wards: init container wait-for-database: HMS_SERVICE must be wards',
      ]),
    );
  });

  it('reports /metrics on the API port, a METRICS_PORT that is not the metrics port, and a metrics port in a Service', () => {
    const objects = base();
    get(objects, 'Deployment', 'patients').spec.template.metadata.annotations['prometheus.io/port'] = '3001';
    main(objects, 'audit').env.push({ name: 'METRICS_PORT', value: '9000' });
    const w = main(objects, 'wards');
    w.ports = w.ports.filter((p: Obj) => p.name !== 'metrics');
    get(objects, 'Service', 'pharmacy').spec.ports.push({ name: 'metrics', port: 9464, targetPort: 'metrics', protocol: 'TCP' });
    get(objects, 'Deployment', 'gateway').spec.template.spec.containers[0].readinessProbe.httpGet.port = 'metrics';
    expect(workloadProblems(objects)).toEqual(
      expect.arrayContaining([
        'Deployment/patients: container patients: annotation prometheus.io/port must be the metrics port 9464, where /metrics is served',
        'Deployment/audit: container audit: METRICS_PORT (9000) must equal the metrics containerPort 9464',
        'Deployment/wards: container wards: needs a port named "metrics" (METRICS_PORT), where /metrics is served',
        'Deployment/wards: NetworkPolicy wards admits port metrics, which no container has',
        'Deployment/pharmacy: Service port metrics exposes the metrics port: Prometheus scrapes the pods, and nothing else may reach /metrics',
        'Deployment/gateway: container gateway: readinessProbe must use the http port, where /health is served',
      ]),
    );
  });

  it('reports a metrics port open beyond the monitoring namespace, or closed to it, and /metrics in the Ingress', () => {
    const objects = base();
    get(objects, 'NetworkPolicy', 'patients').spec.ingress[1].ports = [{ protocol: 'TCP', port: 'http' }];
    delete get(objects, 'NetworkPolicy', 'gateway').spec.ingress[0].ports; // every port, from anywhere
    get(objects, 'NetworkPolicy', 'audit').spec.ingress[0].ports.push({ protocol: 'TCP', port: 'metrics' }); // the gateway's pods
    get(objects, 'Ingress', 'gateway').spec.rules[0].http.paths.push({ path: '/metrics', pathType: 'Prefix', backend: { service: { name: 'gateway', port: { name: 'http' } } } });
    expect(networkProblems(objects)).toEqual(
      expect.arrayContaining([
        'NetworkPolicy/patients (for patients): the monitoring namespace may reach only the metrics port',
        'patients: no NetworkPolicy lets Prometheus (namespace monitoring) reach the metrics port',
        'NetworkPolicy/gateway (for gateway): admits traffic from anywhere to the metrics port; only the monitoring namespace may scrape it',
        'NetworkPolicy/audit (for audit): admits pods of the namespace to the metrics port; only the monitoring namespace may scrape it',
        'NetworkPolicy/audit (for audit): the gateway may reach only the http port',
      ]),
    );
    expect(ingressProblems(objects)).toContain('Ingress/gateway: path /metrics would publish /metrics or /health');
  });

  it('reports a missing provisioning Job', () => {
    expect(jobProblems(base().filter((o) => o.kind !== 'Job'))).toEqual([expect.stringMatching(/^Job\/db-provision is missing/)]);
  });

  it('reports a provisioning Job that is not hardened, runs something else, lacks a password, gets the gateway\'s secrets or is reachable', () => {
    const objects = base();
    const job = get(objects, 'Job', PROVISION_JOB);
    const c = job.spec.template.spec.containers[0];
    c.env.push({ name: 'HMS_SECRETS_KEY', valueFrom: { secretKeyRef: { name: GATEWAY_SECRET, key: 'HMS_SECRETS_KEY' } } });
    c.env = c.env.filter((e: Obj) => e.name !== 'PHARMACY_DB_PASSWORD');
    envOf(c, 'AUDIT_DB_PASSWORD').valueFrom.secretKeyRef.key = 'DATABASE_URL';
    c.securityContext.readOnlyRootFilesystem = false;
    c.args = ['node', '-r', './dist/tools/runtime/register-paths.js', 'dist/apps/gateway/src/main.js'];
    c.image = 'hms/gateway:other';
    delete job.spec.ttlSecondsAfterFinished;
    job.spec.template.spec.automountServiceAccountToken = true;
    const np = get(objects, 'NetworkPolicy', PROVISION_JOB);
    np.spec.egress.push({ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }] });
    np.spec.ingress = [{ from: [{ podSelector: {} }] }];
    expect(jobProblems(objects)).toEqual(
      expect.arrayContaining([
        "Job/db-provision: container db-provision: env HMS_SECRETS_KEY is the gateway's alone",
        expect.stringMatching(/^Job\/db-provision: container db-provision: env HMS_SECRETS_KEY: reads Secret hms-gateway-secrets; the Job may read only hms-db-admin, /),
        "Job/db-provision: container db-provision: PHARMACY_DB_PASSWORD must come from Secret hms-db-pharmacy, not optional (pharmacy's login)",
        'Job/db-provision: container db-provision: AUDIT_DB_PASSWORD reads key DATABASE_URL of hms-db-audit, but Deployment/audit logs in with key password',
        'Job/db-provision: container db-provision: readOnlyRootFilesystem must be true',
        expect.stringMatching(/^Job\/db-provision: container db-provision: must run node -r \.\/dist\/tools\/runtime\/register-paths\.js dist\/tools\/db\/provision\.js, runs /),
        expect.stringMatching(/^Job\/db-provision: container db-provision: image hms\/gateway:other must be one of the apps' images/),
        expect.stringMatching(/^Job\/db-provision: ttlSecondsAfterFinished must be set/),
        expect.stringMatching(/^Job\/db-provision: automountServiceAccountToken must be false/),
        "Job/db-provision: NetworkPolicy/db-provision: an egress rule without ports lets the Job (which holds the administrator's URL) connect anywhere",
      ]),
    );
    expect(networkProblems(objects)).toContain("NetworkPolicy/db-provision: admits traffic to Job/db-provision's pods; nothing may connect to them");
  });

  it('reports a provisioning Job that cannot reach PostgreSQL where hms-config says it is', () => {
    const objects = base();
    get(objects, 'ConfigMap', 'hms-config').data.HMS_DATABASE_ADDRESS = 'db.example:6432/hms';
    expect(jobProblems(objects)).toEqual(
      expect.arrayContaining([
        'Job/db-provision: NetworkPolicy/db-provision: egress to TCP 5432; only PostgreSQL (6432) and DNS (53)',
        'Job/db-provision: no egress rule lets it reach PostgreSQL on port 6432 (HMS_DATABASE_ADDRESS)',
      ]),
    );
    get(objects, 'ConfigMap', 'hms-config').data.HMS_DATABASE_ADDRESS = 'admin:secret@db.example:5432/hms';
    expect(configProblems(objects)).toEqual([expect.stringMatching(/^hms-config: HMS_DATABASE_ADDRESS must be host:port\/database \(no credentials\)/)]);
  });

  it('reports docker-compose apps with the administrator\'s login or URL, the gateway\'s secrets, or no wait for db-provision', () => {
    const compose = loadCompose();
    compose.services.patients.environment.DATABASE_URL = 'postgres://${POSTGRES_USER:-hms}:${POSTGRES_PASSWORD:-change-me-postgres}@postgres:5432/hms';
    compose.services.audit.environment.HMS_SECRETS_KEY = '${HMS_SECRETS_KEY:?required}';
    compose.services.wards.environment.DATABASE_ADMIN_URL = compose.services[PROVISION_SERVICE].environment.DATABASE_ADMIN_URL;
    compose.services.pharmacy.depends_on = { ...compose.services.pharmacy.depends_on };
    delete compose.services.pharmacy.depends_on[PROVISION_SERVICE];
    compose.services[PROVISION_SERVICE].command = ['node', '-r', './dist/tools/runtime/register-paths.js', 'dist/apps/gateway/src/main.js'];
    compose.services[PROVISION_SERVICE].environment.AUDIT_DB_PASSWORD = '${AUDIT_DB_PASSWORD:-change-me-another-password}';
    compose.services[PROVISION_SERVICE].restart = 'unless-stopped';
    delete compose.services.gateway.environment.HMS_ADMIN_PASSWORD;
    const problems = composeProblems(compose, { gateway: 3000, patients: 3001, audit: 3002, wards: 3003, pharmacy: 3004 });
    expect(problems).toEqual(
      expect.arrayContaining([
        'patients: DATABASE_URL logs in as hms; patients must use its own login hms_patients_login',
        "patients: DATABASE_URL uses POSTGRES_PASSWORD, the database administrator's; only db-provision may",
        "audit: HMS_SECRETS_KEY is the gateway's alone",
        "wards: DATABASE_ADMIN_URL is the db-provision service's alone",
        'pharmacy: depends_on db-provision must have condition service_completed_successfully (its login must exist first)',
        'db-provision: command must run node -r ./dist/tools/runtime/register-paths.js dist/tools/db/provision.js',
        expect.stringMatching(/^audit: DATABASE_URL's password \$\{AUDIT_DB_PASSWORD:-change-me-audit-db-password\} must be exactly what db-provision gets as AUDIT_DB_PASSWORD/),
        'db-provision: restart must be "no" or on-failure (it runs once), is unless-stopped',
        'gateway: HMS_ADMIN_PASSWORD must come from the environment (.env), ${HMS_ADMIN_PASSWORD:?...}',
      ]),
    );
    delete compose.services[PROVISION_SERVICE];
    expect(composeProblems(compose, { gateway: 3000, patients: 3001, audit: 3002, wards: 3003, pharmacy: 3004 })).toContain(
      "service db-provision is missing: it makes each app's database login before the apps start",
    );
  });

  it('kubernetes-models rejects a broken Deployment', () => {
    const broken = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'broken' },
      spec: {
        // selector missing, port as a string, memory limit that is no quantity
        template: { metadata: { labels: { app: 'broken' } }, spec: { containers: [{ name: 'c', image: 'x:1', ports: [{ containerPort: 'http' }], resources: { limits: { memory: 'lots' } } }] } },
      },
    };
    expect(() => new Deployment(broken as never).validate()).toThrow(/selector|containerPort|memory/);
    expect(() => validateObject(broken)).toThrow(/Deployment broken/);
  });

  it('reads every document of a multi-document file, and rejects duplicate keys and bad YAML', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hms-deploy-'));
    try {
      const file = path.join(dir, 'multi.yaml');
      fs.writeFileSync(file, '---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\n# only a comment\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\ndata: {on: yes}\n');
      const docs = readYamlDocuments(file) as Obj[];
      expect(docs.map((d) => d.metadata.name)).toEqual(['a', 'b']);
      expect(docs[1].data).toEqual({ true: true }); // YAML 1.1, as kubectl reads it
      expect(() => validateObject(docs[1])).toThrow(/must be string/); // so an unquoted "on" in a ConfigMap is caught
      fs.writeFileSync(file, 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata:\n  A: "1"\n  A: "2"\n');
      expect(() => readYamlDocuments(file)).toThrow(/unique/i);
      fs.writeFileSync(file, 'apiVersion: v1\nkind: [ConfigMap\n');
      expect(() => readYamlDocuments(file)).toThrow();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('rejects an unknown kind', () => {
    expect(() => validateObject({ apiVersion: 'monitoring.coreos.com/v1', kind: 'ServiceMonitor', metadata: { name: 'x' } })).toThrow(/unknown kind/);
  });

  it('reports a misspelt field that the schema alone lets through', () => {
    const objects = base();
    const c = patients(objects).spec.template.spec.containers[0];
    c.livenesProbe = c.livenessProbe;
    delete c.livenessProbe;
    expect(() => validateObject(patients(objects))).not.toThrow(); // Kubernetes' schemas allow unknown fields
    expect(unknownFields(patients(objects))).toEqual([expect.stringContaining('livenesProbe is not a field of Container')]);
    expect(workloadProblems(objects)).toContain('Deployment/patients: container patients: livenessProbe is missing');
  });

  it('reports a Deployment without resources, a wrong selector and a Service targetPort that no container has', () => {
    const objects = base();
    const d = patients(objects);
    delete d.spec.template.spec.containers[0].resources;
    d.spec.selector.matchLabels['app.kubernetes.io/name'] = 'patient';
    objects.find((o) => o.kind === 'Service' && o.metadata.name === 'patients')!.spec.ports[0].targetPort = 8080;
    const problems = workloadProblems(objects);
    expect(problems).toEqual(
      expect.arrayContaining([
        'Deployment/patients: container patients: resources.requests.cpu is missing',
        'Deployment/patients: container patients: resources.limits.memory is missing',
        'Deployment/patients: selector does not match the pod template labels',
        'Deployment/patients: Service port http targetPort 8080 is not a container port',
      ]),
    );
  });

  it('reports a Deployment whose HPA, PDB or NetworkPolicy is missing, and a literal secret', () => {
    const objects = base().filter((o) => !(o.metadata.name === 'audit' && ['HorizontalPodAutoscaler', 'PodDisruptionBudget', 'NetworkPolicy'].includes(o.kind)));
    patients(objects).spec.template.spec.containers[0].env.push({ name: 'HMS_ADMIN_PASSWORD', value: 'hunter22hunter22' });
    expect(workloadProblems(objects)).toEqual(
      expect.arrayContaining([
        'Deployment/audit: has no HorizontalPodAutoscaler',
        'Deployment/audit: has no PodDisruptionBudget selecting its pods',
        'Deployment/audit: has no NetworkPolicy selecting its pods',
        'Deployment/patients: container patients: env HMS_ADMIN_PASSWORD looks secret: take it from a Secret, never a literal',
        "Deployment/patients: container patients: env HMS_ADMIN_PASSWORD is the gateway's alone",
      ]),
    );
  });

  it('reports an internal app opened to the outside, and a missing default deny', () => {
    const objects = base().filter((o) => o.metadata.name !== 'default-deny-ingress');
    const np = objects.find((o) => o.kind === 'NetworkPolicy' && o.metadata.name === 'patients')!;
    np.spec.ingress.push({ ports: [{ port: 'http' }] }); // from anywhere
    np.spec.ingress.push({ from: [{ podSelector: {} }] }); // every pod of the namespace
    const problems = networkProblems(objects);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^no default-deny ingress NetworkPolicy/),
        'NetworkPolicy/patients (for patients): admits traffic from anywhere; only gateway may',
        expect.stringMatching(/^NetworkPolicy\/patients \(for patients\): admits pods other than gateway/),
      ]),
    );
  });

  it('reports a docker-compose app on the postgres transport with a published port', () => {
    const compose = readYamlDocuments(path.join(ROOT, 'docker-compose.yml'), { version: '1.2', merge: true })[0] as Obj;
    compose.services.audit.environment.EVENT_TRANSPORT = 'postgres';
    compose.services.audit.ports = ['3002:3002'];
    delete compose.services.redis;
    const problems = composeProblems(compose, { gateway: 3000, patients: 3001, audit: 3002 });
    expect(problems).toEqual(
      expect.arrayContaining(['audit: EVENT_TRANSPORT must be kafka, is postgres', 'audit: publishes a port; only gateway may', 'service redis is missing']),
    );
  });
});
