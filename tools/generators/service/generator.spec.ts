import fs from 'node:fs';
import path from 'node:path';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import type { Tree } from '@nx/devkit';
import serviceGenerator from './generator';

// The generator on an in-memory tree holding today's copies of the files it edits. The end-to-end
// test (tests/e2e/generator.e2e-spec.ts) runs it on a copy of the workspace and starts the result.

const ROOT = path.resolve(__dirname, '..', '..', '..');
const EDITED = ['tools/lint/boundaries.cjs', 'libs/contracts/common/src/permissions.ts', 'apps/gateway/src/config.ts', 'tools/launcher/platform.ts', 'tsconfig.base.json'];

function workspace(): Tree {
  const tree = createTreeWithEmptyWorkspace();
  for (const f of EDITED) tree.write(f, fs.readFileSync(path.join(ROOT, f), 'utf8'));
  return tree;
}

const read = (tree: Tree, f: string) => tree.read(f, 'utf-8') ?? '';

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
  });
});
