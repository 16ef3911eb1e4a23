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
import { byKind, configProblems, ingressProblems, labelProblems, namespaceProblems, networkProblems, workloadProblems } from './support/checks';
import { appServices, composeProblems, environmentOf } from './support/compose';
import { modelFor, unknownFields, validateObject, type Obj } from './support/k8s-schema';
import { isPlainObject, kustomizationFile, parseImage, readYamlDocuments, render, type RenderResult } from './support/kustomize-lite';

const ROOT = path.resolve(__dirname, '..', '..');
const K8S = path.join(ROOT, 'k8s');
const rel = (p: string) => path.relative(ROOT, p);
const EXPECTED_APPS = ['audit', 'gateway', 'patients', 'pharmacy', 'wards'];

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
  it('has a Deployment for each app', () => {
    expect(byKind(rendered(env), 'Deployment').map((d) => d.metadata.name).sort()).toEqual(expect.arrayContaining(EXPECTED_APPS));
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
  it('lets only the gateway be reached from outside the namespace', () => expectNoProblems(networkProblems(rendered(env))));
  it('publishes only the gateway through the Ingress, without /metrics or /health', () => expectNoProblems(ingressProblems(rendered(env))));
  it('has an hms-config whose in-cluster URLs point at existing Services', () => expectNoProblems(configProblems(rendered(env))));
});

describe('overlays', () => {
  it.each(['overlays/staging', 'overlays/production'])('%s pulls every image from a registry with a pinned tag', (env) => {
    for (const d of byKind(rendered(env), 'Deployment')) {
      for (const c of d.spec.template.spec.containers) {
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
    for (const d of byKind(objects, 'Deployment')) {
      const image: string = d.spec.template.spec.containers[0].image;
      const ref = parseImage(image);
      expect({ image, version: ref.digest ?? ref.tag }).toEqual({ image, version: expect.stringMatching(/^(sha256:[0-9a-f]{64}|v?\d+\.\d+\.\d+)$/) });
    }
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
  const patients = (objects: Obj[]) => objects.find((o) => o.kind === 'Deployment' && o.metadata.name === 'patients')!;

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
        'Deployment/patients: container patients: env HMS_ADMIN_PASSWORD looks secret: take it from Secret hms-secrets, never a literal',
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
