import path from 'node:path';
import { generateFiles, names, updateJson, type Tree } from '@nx/devkit';
import { addDeployment } from './deployment';

export interface ServiceGeneratorSchema {
  name: string;
  title?: string;
}

const NAME = /^[a-z][a-z0-9]{1,19}$/;

/** A file of the workspace the generator edits, and the anchor it inserts before. */
function insertBefore(tree: Tree, file: string, anchor: string, text: string): void {
  const source = tree.read(file, 'utf-8');
  if (source === null) throw new Error(`${file} is missing`);
  const at = source.indexOf(anchor);
  if (at < 0) throw new Error(`${file} has changed: "${anchor.trim()}" is not in it any more, so the generator cannot add the service there`);
  tree.write(file, source.slice(0, at) + text + source.slice(at));
}

/** `['a', 'b'] as const` in `file` after `declaration`: appends `entry` unless it is there. */
function appendToConstList(tree: Tree, file: string, declaration: string, entry: string): void {
  const source = tree.read(file, 'utf-8');
  if (source === null) throw new Error(`${file} is missing`);
  const start = source.indexOf(declaration);
  const end = source.indexOf(']', start);
  if (start < 0 || end < 0) throw new Error(`${file} has changed: "${declaration}" is not in it any more`);
  const list = source.slice(start, end);
  if (list.includes(`'${entry}'`)) return;
  const trimmed = list.trimEnd();
  const multiline = list.includes('\n');
  const separator = trimmed.endsWith('[') ? '' : multiline ? (trimmed.endsWith(',') ? '' : ',') : ', ';
  const added = multiline ? `${trimmed}${separator}\n  '${entry}',\n` : `${trimmed}${separator}'${entry}'`;
  tree.write(file, source.slice(0, start) + added + source.slice(end));
}

/**
 * `npx nx g @hms/tools:service <name>`: a service on the one layout (http/, a feature folder of
 * use cases, data/, migrations/, events/, domain/, test/support.ts) with its contracts library, and
 * the workspace wired for it: the boundary rule for its scope, its permissions, the gateway's
 * route, the launcher (so `npm start` and the end-to-end tests run it) and the path alias; and its
 * deployment, from the audit service's (k8s/base/<name>, hms-config, the provisioning Job, the
 * overlays' images, docker-compose.yml and deploy/compose.env.example: see ./deployment.ts).
 */
export default function serviceGenerator(tree: Tree, schema: ServiceGeneratorSchema): void {
  const name = schema.name;
  if (!NAME.test(name)) throw new Error(`"${name}" cannot name a service: use 2–20 lower-case letters and digits, starting with a letter (it names a schema and a role)`);
  if (tree.exists(`apps/${name}`)) throw new Error(`apps/${name} exists already`);
  const n = names(name);
  const launcher = tree.read('tools/launcher/platform.ts', 'utf-8') ?? '';
  const existing = /export const APP_NAMES = \[([^\]]*)\]/.exec(launcher)?.[1].split(',').filter((s) => s.trim()).length ?? 5;
  const substitutions = {
    name,
    className: n.className,
    constantName: n.constantName,
    title: schema.title ?? `HMS ${name} service`,
    defaultPort: 3000 + existing,
    // Migration timestamps sort after the platform's own (1767225600000–1767225600002).
    migrationTimestamp: 1767225600100,
    tmpl: '',
  };
  generateFiles(tree, path.join(__dirname, 'files'), '.', substitutions);

  // The boundary rule for the new scope (a scope without a rule is a lint error).
  insertBefore(
    tree,
    'tools/lint/boundaries.cjs',
    "  { sourceTag: 'scope:shared',",
    `  { sourceTag: 'scope:${name}', onlyDependOnLibsWithTags: ['scope:${name}', 'scope:shared', 'type:contracts'] },\n`,
  );
  // Its permissions (the built-in admin role holds every permission).
  appendToConstList(tree, 'libs/contracts/common/src/permissions.ts', 'export const PERMISSIONS = [', `${name}:read`);
  appendToConstList(tree, 'libs/contracts/common/src/permissions.ts', 'export const PERMISSIONS = [', `${name}:write`);
  // The gateway routes /api/v1/<name>/… to <NAME>_URL; the launcher starts it and sets that URL.
  appendToConstList(tree, 'apps/gateway/src/config.ts', 'export const ROUTED_SERVICES = [', name);
  appendToConstList(tree, 'tools/launcher/platform.ts', 'export const APP_NAMES = [', name);
  updateJson(tree, 'tsconfig.base.json', (json: { compilerOptions: { paths: Record<string, string[]> } }) => {
    json.compilerOptions.paths[`@hms/contracts-${name}`] = [`libs/contracts/${name}/src/index.ts`];
    return json;
  });
  // Kubernetes and docker compose, on the same port as the launcher gives it.
  addDeployment(tree, name, substitutions.defaultPort);
}
