import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import type { Tree } from '@nx/devkit';
// The deploy tests' own checks, run on what the generator writes (tests/ belongs to no Nx project).
/* eslint-disable @nx/enforce-module-boundaries */
import { launcherAppNames } from '../../../tests/deploy/support/apps';
import { allProblems, byKind } from '../../../tests/deploy/support/checks';
import { appServices, composeProblems, environmentOf } from '../../../tests/deploy/support/compose';
import { unknownFields, validateObject, type Obj } from '../../../tests/deploy/support/k8s-schema';
import { readYamlDocuments, render } from '../../../tests/deploy/support/kustomize-lite';
/* eslint-enable @nx/enforce-module-boundaries */
import serviceGenerator from './generator';

// The generator on an in-memory tree holding today's copies of the files it edits. The end-to-end
// test (tests/e2e/generator.e2e-spec.ts) runs it on a copy of the workspace and starts the result.

const ROOT = path.resolve(__dirname, '..', '..', '..');
const EDITED = ['tools/lint/boundaries.cjs', 'libs/contracts/common/src/permissions.ts', 'apps/gateway/src/config.ts', 'tools/launcher/platform.ts', 'tsconfig.base.json'];
/** The deployment files: all of k8s/ (it copies k8s/base/audit), docker-compose.yml and its .env example. */
const DEPLOYMENT = [...filesUnder('k8s'), 'docker-compose.yml', 'deploy/compose.env.example'];

function filesUnder(dir: string): string[] {
  return fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(`${dir}/${e.name}`) : [`${dir}/${e.name}`]));
}

function workspace(): Tree {
  const tree = createTreeWithEmptyWorkspace();
  for (const f of [...EDITED, ...DEPLOYMENT]) tree.write(f, fs.readFileSync(path.join(ROOT, f), 'utf8'));
  return tree;
}

const read = (tree: Tree, f: string) => tree.read(f, 'utf-8') ?? '';

/** The lines the generator inserted into `file` (one place), and the line they follow. */
function insertion(tree: Tree, file: string): { after: string; lines: string[] } {
  const before = fs.readFileSync(path.join(ROOT, file), 'utf8').split('\n');
  const now = read(tree, file).split('\n');
  let start = 0;
  while (start < before.length && before[start] === now[start]) start++;
  let end = 0;
  while (end < before.length - start && before[before.length - 1 - end] === now[now.length - 1 - end]) end++;
  return { after: now[start - 1], lines: now.slice(start, now.length - end) };
}

describe('the service generator', () => {
  it('writes the service on the one layout and its contracts library', () => {
    const tree = workspace();
    serviceGenerator(tree, { name: 'labs' });
    for (const f of [
      'apps/labs/project.json',
      'apps/labs/src/main.ts',
      'apps/labs/src/labs.definition.ts',
      'apps/labs/src/http/labs.controller.ts',
      'apps/labs/src/http/records.dto.ts',
      'apps/labs/src/records/create-record.use-case.ts',
      'apps/labs/src/data/records.repository.ts',
      'apps/labs/src/events/branch-events.handler.ts',
      'apps/labs/src/domain/record-title.ts',
      'apps/labs/src/domain/errors.ts',
      'apps/labs/src/migrations/index.ts',
      'apps/labs/test/support.ts',
      'apps/labs/test/labs.int-spec.ts',
      'libs/contracts/labs/src/index.ts',
    ]) {
      expect({ f, exists: tree.exists(f) }).toEqual({ f, exists: true });
    }
    expect(JSON.parse(read(tree, 'apps/labs/project.json')).tags).toEqual(['scope:labs', 'type:app']);
    expect(read(tree, 'apps/labs/src/labs.definition.ts')).toContain("name: 'labs'");
    expect(read(tree, 'apps/labs/src/http/labs.controller.ts')).toContain("@Controller('api/v1/labs')");
    expect(read(tree, 'libs/contracts/labs/src/index.ts')).toContain("defineEvent<RecordCreatedData>('labs.record.created'");
    // Nothing of the template's markup is left.
    for (const f of tree.listChanges().map((c) => c.path)) expect({ f, markup: /<%|__name__|__tmpl__/.test(f + read(tree, f)) }).toEqual({ f, markup: false });
  });

  it('wires the workspace: boundary rule, permissions, gateway route, launcher, path alias', () => {
    const tree = workspace();
    serviceGenerator(tree, { name: 'labs' });
    expect(read(tree, 'tools/lint/boundaries.cjs')).toContain("{ sourceTag: 'scope:labs', onlyDependOnLibsWithTags: ['scope:labs', 'scope:shared', 'type:contracts'] },");
    expect(read(tree, 'libs/contracts/common/src/permissions.ts')).toMatch(/'labs:read',\n\s+'labs:write',\n\] as const;/);
    expect(read(tree, 'apps/gateway/src/config.ts')).toMatch(/ROUTED_SERVICES = \[[^\]]*'labs'\] as const/);
    expect(read(tree, 'tools/launcher/platform.ts')).toMatch(/APP_NAMES = \[[^\]]*'pharmacy', 'labs'\] as const/);
    expect(JSON.parse(read(tree, 'tsconfig.base.json')).compilerOptions.paths['@hms/contracts-labs']).toEqual(['libs/contracts/labs/src/index.ts']);
  });

  it('adds nothing twice for a service the platform already names (its permissions and route are there)', () => {
    const tree = workspace();
    serviceGenerator(tree, { name: 'clinical' });
    const permissions = /export const PERMISSIONS = \[[^\]]*\]/.exec(read(tree, 'libs/contracts/common/src/permissions.ts'))?.[0] ?? '';
    expect(permissions.match(/'clinical:(read|write)'/g)).toEqual(["'clinical:read'", "'clinical:write'"]);
    expect(read(tree, 'apps/gateway/src/config.ts').match(/'clinical'/g)).toHaveLength(1);
  });

  it('refuses a name that cannot name a schema and a role, and a service that exists', () => {
    for (const name of ['Labs', 'lab-orders', 'x', '1labs', 'a'.repeat(21)]) expect(() => serviceGenerator(workspace(), { name })).toThrow(/cannot name a service/);
    const tree = workspace();
    tree.write('apps/labs/project.json', '{}');
    expect(() => serviceGenerator(tree, { name: 'labs' })).toThrow(/exists already/);
    const deployed = workspace();
    deployed.write('k8s/base/labs/kustomization.yaml', '');
    expect(() => serviceGenerator(deployed, { name: 'labs' })).toThrow('k8s/base/labs exists already');
  });

  it('copies k8s/base/audit to k8s/base/labs with its name, login, Secret and port (3000 + the apps before it)', () => {
    const tree = workspace();
    serviceGenerator(tree, { name: 'labs' });
    const yaml = (dir: string) => tree.children(dir).filter((f) => f.endsWith('.yaml')).sort();
    expect(yaml('k8s/base/labs')).toEqual(yaml('k8s/base/audit'));
    for (const f of yaml('k8s/base/labs')) expect({ f, audit: /audit|AUDIT|3002/.test(read(tree, `k8s/base/labs/${f}`)) }).toEqual({ f, audit: false });
    const deployment = read(tree, 'k8s/base/labs/deployment.yaml');
    for (const line of ['  name: labs', 'image: hms/labs:dev', 'containerPort: 3005', 'value: "3005"', 'name: hms-db-labs', 'value: postgres://hms_labs_login:$(DATABASE_PASSWORD)@$(HMS_DATABASE_ADDRESS)']) {
      expect(deployment).toContain(line);
    }
    expect(read(tree, 'k8s/base/labs/service.yaml')).toContain('port: 3005');
  });

  it('adds it to the base kustomization, hms-config, the provisioning Job, both overlays and compose.env.example, after the last entry of each', () => {
    const tree = workspace();
    serviceGenerator(tree, { name: 'labs' });
    expect(insertion(tree, 'k8s/base/kustomization.yaml')).toEqual({ after: '  - pharmacy', lines: ['  - labs'] });
    expect(insertion(tree, 'k8s/base/configmap.yaml')).toEqual({ after: '  PHARMACY_URL: http://pharmacy:3004', lines: ['  LABS_URL: http://labs:3005'] });
    expect(insertion(tree, 'k8s/base/db-provision/job.yaml')).toEqual({
      after: '                  key: password',
      lines: ['            - name: LABS_DB_PASSWORD', '              valueFrom:', '                secretKeyRef:', '                  name: hms-db-labs', '                  key: password'],
    });
    for (const overlay of ['staging', 'production']) {
      const file = `k8s/overlays/${overlay}/kustomization.yaml`;
      const tag = /- name: hms\/gateway\n\s+newName: \S+\n\s+newTag: (\S+)/.exec(read(tree, file))?.[1];
      expect(insertion(tree, file)).toEqual({ after: `    newTag: ${tag}`, lines: ['  - name: hms/labs', '    newName: registry.example.com/hms/labs', `    newTag: ${tag}`] });
    }
    expect(insertion(tree, 'deploy/compose.env.example')).toEqual({ after: 'PHARMACY_DB_PASSWORD=change-me-pharmacy-db-password', lines: ['LABS_DB_PASSWORD=change-me-labs-db-password'] });
  });

  it('adds its docker-compose.yml service from audit\'s, its password to db-provision and its URL to the gateway', () => {
    const tree = workspace();
    serviceGenerator(tree, { name: 'labs' });
    const compose = read(tree, 'docker-compose.yml');
    const password = '${LABS_DB_PASSWORD:-change-me-labs-db-password}';
    expect(compose).toContain(`      PHARMACY_DB_PASSWORD: \${PHARMACY_DB_PASSWORD:-change-me-pharmacy-db-password}\n      LABS_DB_PASSWORD: ${password}\n    depends_on:\n`);
    expect(compose).toContain('      PHARMACY_URL: http://pharmacy:3004\n      LABS_URL: http://labs:3005\n');
    const block = /\n\n( {2}labs:\n(?: {4}.*\n)+)\nvolumes:\n/.exec(compose)?.[1] ?? '';
    for (const line of ['    image: hms/labs:dev', '        APP: labs', '      PORT: 3005', `      DATABASE_URL: postgres://hms_labs_login:${password}@postgres:5432/\${POSTGRES_DB:-hms}`, "fetch('http://127.0.0.1:3005/health/ready')"]) {
      expect(block).toContain(line);
    }
    expect(block).not.toMatch(/audit|AUDIT|3002/);
  });

  it.each([
    ['k8s/base/kustomization.yaml', (s: string) => s.replace(/^resources:$/m, 'components:')],
    ['k8s/base/configmap.yaml', (s: string) => s.replace(/_URL: http:/g, '_URL: https:')],
    ['k8s/base/db-provision/job.yaml', (s: string) => s.replace(/_DB_PASSWORD$/gm, '_DB_SECRET')],
    ['k8s/overlays/staging/kustomization.yaml', (s: string) => s.replace(/newTag: (\S+)/, 'newTag: $1-other')],
    ['k8s/overlays/production/kustomization.yaml', (s: string) => s.replace(/^images:$/m, 'imagez:')],
    ['k8s/base/audit/deployment.yaml', (s: string) => s.replace('- name: http', '- name: api')],
    ['docker-compose.yml', (s: string) => s.replace(/^ {2}audit:$/m, '  audit-trail:')],
    ['docker-compose.yml', (s: string) => s.replace(/PORT: 3002$/m, 'PORT: 3012')],
    ['docker-compose.yml', (s: string) => s.replace(/_URL: http:\/\/(\w+):/g, '_URL: https://$1:')],
    ['deploy/compose.env.example', (s: string) => s.replace(/_DB_PASSWORD=/g, '_DB_PASS=')],
  ])('refuses, naming the file and what to do, when %s no longer has what it adds after', (file, change) => {
    const tree = workspace();
    const changed = change(read(tree, file));
    expect(changed).not.toEqual(read(tree, file));
    tree.write(file, changed);
    expect(() => serviceGenerator(tree, { name: 'labs' })).toThrow(new RegExp(`^${file.replace(/\./g, '\\.')} has changed: .+ Restore it, or update tools/generators/service/deployment\\.ts to the new layout, then run the generator again$`));
  });
});

// What the generator wrote, on disk, through the checks of tests/deploy (support/): the same
// rendering and rules the deploy suite applies to the repository's files.
describe('the generated service\'s deployment', () => {
  let dir = '';
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hms-generator-deploy-'));
    const tree = workspace();
    serviceGenerator(tree, { name: 'labs' });
    const write = (f: string) => {
      fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
      fs.writeFileSync(path.join(dir, f), read(tree, f));
    };
    const under = (d: string): string[] => tree.children(d).flatMap((c) => (tree.isFile(`${d}/${c}`) ? [`${d}/${c}`] : under(`${d}/${c}`)));
    for (const f of [...under('k8s'), 'docker-compose.yml', 'deploy/compose.env.example', 'tools/launcher/platform.ts']) write(f);
  });
  afterAll(() => dir && fs.rmSync(dir, { recursive: true, force: true }));

  const rendered = (env: string): Obj[] => render(path.join(dir, 'k8s', env)).objects.map((o) => o.obj);
  const compose = () => readYamlDocuments(path.join(dir, 'docker-compose.yml'), { version: '1.2', merge: true })[0] as Obj;
  const apps = () => launcherAppNames(dir);

  it.each(['base', 'overlays/staging', 'overlays/production'])('renders k8s/%s with labs: its objects, LABS_URL, LABS_DB_PASSWORD, and one Deployment per app of APP_NAMES', (env) => {
    const objects = rendered(env);
    const names = (kind: string) => byKind(objects, kind).map((o) => o.metadata.name);
    for (const kind of ['Deployment', 'Service', 'HorizontalPodAutoscaler', 'PodDisruptionBudget', 'NetworkPolicy']) expect({ kind, labs: names(kind).includes('labs') }).toEqual({ kind, labs: true });
    expect(names('Deployment').sort()).toEqual(apps());
    expect(apps()).toContain('labs');
    expect(byKind(objects, 'ConfigMap').find((c) => c.metadata.name === 'hms-config')?.data.LABS_URL).toBe('http://labs:3005');
    const job = byKind(objects, 'Job').find((j) => j.metadata.name === 'db-provision');
    expect(job?.spec.template.spec.containers[0].env.find((e: Obj) => e.name === 'LABS_DB_PASSWORD')).toEqual({ name: 'LABS_DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'hms-db-labs', key: 'password' } } });
  });

  it.each(['base', 'overlays/staging', 'overlays/production'])('keeps every rule of the deploy tests in k8s/%s, and its objects are valid', (env) => {
    const objects = rendered(env);
    const problems = allProblems(objects);
    for (const obj of objects) {
      try {
        validateObject(obj);
      } catch (error) {
        problems.push((error as Error).message);
      }
      problems.push(...unknownFields(obj));
    }
    expect(problems).toEqual([]);
  });

  it.each(['staging', 'production'])('pulls labs in %s from the registry with the release tag of the others', (overlay) => {
    const image = (app: string) => byKind(rendered(`overlays/${overlay}`), 'Deployment').find((d) => d.metadata.name === app)?.spec.template.spec.containers[0].image;
    expect(image('labs')).toBe(String(image('gateway')).replace('/hms/gateway:', '/hms/labs:'));
  });

  it('builds labs in docker-compose.yml like the other apps, on the port k8s gives it, with every variable in compose.env.example', () => {
    const c = compose();
    expect(appServices(c)).toEqual(apps());
    const appPorts = Object.fromEntries(
      byKind(rendered('base'), 'Deployment').map((d) => [d.metadata.name, d.spec.template.spec.containers[0].ports.find((p: Obj) => p.name === 'http').containerPort]),
    ) as Record<string, number>;
    expect(appPorts.labs).toBe(3005);
    expect(composeProblems(c, appPorts)).toEqual([]);
    expect(environmentOf(c.services.labs).PORT).toBe('3005');
    const example = fs.readFileSync(path.join(dir, 'deploy', 'compose.env.example'), 'utf8');
    const used = new Set([...fs.readFileSync(path.join(dir, 'docker-compose.yml'), 'utf8').matchAll(/\$\{([A-Z_][A-Z0-9_]*)/g)].map((m) => m[1]));
    for (const name of used) expect([name, new RegExp(`^${name}=`, 'm').test(example)]).toEqual([name, true]);
    expect(used).toContain('LABS_DB_PASSWORD');
  });
});
