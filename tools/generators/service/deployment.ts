import type { Tree } from '@nx/devkit';

/**
 * A new service's deployment files, made from the `audit` service's: its k8s/base folder, its
 * entries in the base kustomization, hms-config, the provisioning Job and both overlays, its
 * docker-compose.yml service (with its password in db-provision and its URL in the gateway) and
 * its password placeholder in deploy/compose.env.example. Each edit inserts lines at an anchor
 * and throws, naming the file, when the anchor is gone.
 */

/** The service whose files the new one's are copied from. */
const TEMPLATE = 'audit';
const GENERATOR = 'tools/generators/service/deployment.ts';

const KUSTOMIZATION = 'k8s/base/kustomization.yaml';
const CONFIG_MAP = 'k8s/base/configmap.yaml';
const PROVISION_JOB = 'k8s/base/db-provision/job.yaml';
const OVERLAYS = ['k8s/overlays/staging/kustomization.yaml', 'k8s/overlays/production/kustomization.yaml'];
const COMPOSE = 'docker-compose.yml';
const COMPOSE_ENV = 'deploy/compose.env.example';

function changed(file: string, what: string): Error {
  return new Error(`${file} has changed: ${what}, so the generator cannot write the new service's deployment. Restore it, or update ${GENERATOR} to the new layout, then run the generator again`);
}

function read(tree: Tree, file: string): string {
  const source = tree.exists(file) ? tree.read(file, 'utf-8') : null;
  if (source === null) throw new Error(`${file} is missing: the generator adds the service's deployment to it`);
  return source;
}

const indentOf = (line: string) => line.length - line.trimStart().length;

/** The template's names, login and port replaced by the new service's. */
function fromTemplate(text: string, name: string, port: number, templatePort: number): string {
  return text
    .replace(new RegExp(`${TEMPLATE.toUpperCase()}_`, 'g'), `${name.toUpperCase()}_`)
    .replace(new RegExp(`hms_${TEMPLATE}_login`, 'g'), `hms_${name}_login`)
    .replace(new RegExp(`\\b${TEMPLATE}\\b`, 'g'), name)
    .replace(new RegExp(`\\b${templatePort}\\b`, 'g'), String(port));
}

/** Lines [start, end) of the YAML block headed by the line `header` within [from, to): the header and its more-indented lines. */
function blockOf(lines: string[], header: string, from = 0, to = lines.length): [number, number] | null {
  const start = lines.slice(from, to).indexOf(header);
  if (start < 0) return null;
  const indent = indentOf(header);
  let end = from + start + 1;
  while (end < to && (lines[end].trim() === '' || indentOf(lines[end]) > indent)) end++;
  while (end > from + start + 1 && lines[end - 1].trim() === '') end--;
  return [from + start, end];
}

/** The nested blocks `path` (outermost first) of `lines`; throws naming the one that is missing. */
function scopeOf(file: string, lines: string[], path: string[]): [number, number] {
  let range: [number, number] = [0, lines.length];
  for (const header of path) {
    const block = blockOf(lines, header, range[0], range[1]);
    if (!block) throw changed(file, `"${[...path.slice(0, path.indexOf(header)), header].map((h) => h.trim()).join(' ')}" is not in it any more`);
    range = block;
  }
  return range;
}

/**
 * Inserts lines after the last line matching `anchor` within the blocks `path`, and after that
 * line's more-indented continuation (a list entry's fields). `entry` gets the matched line's
 * indentation and returns the lines to insert.
 */
function insertAfterLast(tree: Tree, file: string, path: string[], anchor: RegExp, what: string, entry: (indent: string, lines: string[]) => string[]): void {
  const lines = read(tree, file).split('\n');
  const [from, to] = scopeOf(file, lines, path);
  let last = -1;
  for (let i = from; i < to; i++) if (anchor.test(lines[i])) last = i;
  if (last < 0) throw changed(file, `it has no ${what} any more${path.length ? ` under "${path.map((h) => h.trim()).join(' ')}"` : ''}`);
  let at = last + 1;
  while (at < to && lines[at].trim() !== '' && indentOf(lines[at]) > indentOf(lines[last])) at++;
  lines.splice(at, 0, ...entry(' '.repeat(indentOf(lines[last])), lines));
  tree.write(file, lines.join('\n'));
}

/** k8s/base/<name>/: each YAML file of k8s/base/audit with the names, login and port replaced. Returns audit's port. */
function copyK8sFolder(tree: Tree, name: string, port: number): number {
  const from = `k8s/base/${TEMPLATE}`;
  const files = tree.exists(from) ? tree.children(from).filter((f) => f.endsWith('.yaml') && tree.isFile(`${from}/${f}`)) : [];
  if (!files.length) throw new Error(`${from} is missing or holds no YAML files: the generator copies the new service's Kubernetes objects from it`);
  // The template's API port: its container port named "http".
  const deployment = read(tree, `${from}/deployment.yaml`);
  const templatePort = Number(/- name: http\n\s+containerPort: (\d+)\n/.exec(deployment)?.[1]);
  if (!templatePort) throw changed(`${from}/deployment.yaml`, 'it has no container port named "http" followed by its containerPort');
  for (const f of files) tree.write(`k8s/base/${name}/${f}`, fromTemplate(read(tree, `${from}/${f}`), name, port, templatePort));
  return templatePort;
}

/** An images entry like the others (`name: hms/<app>`, newName ending in <app>, one newTag for all). */
function overlayImage(file: string, name: string): (indent: string, lines: string[]) => string[] {
  return (indent, lines) => {
    const [from, to] = scopeOf(file, lines, ['images:']);
    const entries: { app: string; fields: Record<string, string> }[] = [];
    for (let i = from; i < to; i++) {
      const head = /^\s*- name: hms\/(\S+)$/.exec(lines[i]);
      if (head) entries.push({ app: head[1], fields: {} });
      else {
        const field = /^\s+(\w+): (\S+)$/.exec(lines[i]);
        if (field && entries.length) entries[entries.length - 1].fields[field[1]] = field[2];
      }
    }
    const prefixes = new Set(entries.map((e) => (e.fields.newName?.endsWith(`/${e.app}`) ? e.fields.newName.slice(0, -e.app.length) : '?')));
    const tags = new Set(entries.map((e) => (e.fields.digest === undefined ? (e.fields.newTag ?? '?') : '?')));
    if (prefixes.size !== 1 || prefixes.has('?') || tags.size !== 1 || tags.has('?')) {
      throw changed(file, 'its hms/* images no longer share one newName pattern (<registry>/hms/<app>) and one newTag for the new entry to follow');
    }
    return [`${indent}- name: hms/${name}`, `${indent}  newName: ${[...prefixes][0]}${name}`, `${indent}  newTag: ${[...tags][0]}`];
  };
}

/** docker-compose.yml: the template's service block for the new service, its password in db-provision, its URL in the gateway. */
function addComposeService(tree: Tree, name: string, port: number, templatePort: number): void {
  const upper = name.toUpperCase();
  const password = `\${${upper}_DB_PASSWORD:-change-me-${name}-db-password}`;
  const lines = read(tree, COMPOSE).split('\n');
  const services = scopeOf(COMPOSE, lines, ['services:']);
  if (blockOf(lines, `  ${name}:`, ...services)) throw new Error(`${COMPOSE} has a service ${name} already`);
  const [start, end] = scopeOf(COMPOSE, lines, ['services:', `  ${TEMPLATE}:`]);
  const template = lines.slice(start, end).join('\n');
  const TEMPLATE_UPPER = TEMPLATE.toUpperCase();
  for (const needed of [`APP: ${TEMPLATE}`, `PORT: ${templatePort}`, `image: hms/${TEMPLATE}:`, `hms_${TEMPLATE}_login:\${${TEMPLATE_UPPER}_DB_PASSWORD:-change-me-${TEMPLATE}-db-password}@`, `:${templatePort}/health/`]) {
    if (!template.includes(needed)) throw changed(COMPOSE, `its ${TEMPLATE} service, which the new one is copied from, has no "${needed}" any more`);
  }
  lines.splice(services[1], 0, '', ...fromTemplate(template, name, port, templatePort).split('\n'));
  tree.write(COMPOSE, lines.join('\n'));

  insertAfterLast(tree, COMPOSE, ['services:', '  db-provision:', '    environment:'], /^\s+[A-Z][A-Z0-9_]*_DB_PASSWORD: /, '<APP>_DB_PASSWORD entry', (i) => [
    `${i}${upper}_DB_PASSWORD: ${password}`,
  ]);
  insertAfterLast(tree, COMPOSE, ['services:', '  gateway:', '    environment:'], /^\s+[A-Z][A-Z0-9_]*_URL: http:\/\//, '<SERVICE>_URL: http://... entry', (i) => [
    `${i}${upper}_URL: http://${name}:${port}`,
  ]);
}

/** Writes the deployment files of service `name`, listening on `port` (the launcher's port for it). */
export function addDeployment(tree: Tree, name: string, port: number): void {
  const upper = name.toUpperCase();
  if (tree.exists(`k8s/base/${name}`)) throw new Error(`k8s/base/${name} exists already`);
  const templatePort = copyK8sFolder(tree, name, port);

  insertAfterLast(tree, KUSTOMIZATION, ['resources:'], /^\s+- \S/, 'resources entry', (i) => [`${i}- ${name}`]);
  insertAfterLast(tree, CONFIG_MAP, ['data:'], /^\s+[A-Z][A-Z0-9_]*_URL: http:\/\//, '<SERVICE>_URL: http://... entry', (i) => [`${i}${upper}_URL: http://${name}:${port}`]);
  insertAfterLast(tree, PROVISION_JOB, [], /^\s+- name: [A-Z][A-Z0-9_]*_DB_PASSWORD$/, '"- name: <APP>_DB_PASSWORD" env entry', (i) => [
    `${i}- name: ${upper}_DB_PASSWORD`,
    `${i}  valueFrom:`,
    `${i}    secretKeyRef:`,
    `${i}      name: hms-db-${name}`,
    `${i}      key: password`,
  ]);
  for (const overlay of OVERLAYS) insertAfterLast(tree, overlay, ['images:'], /^\s+- name: hms\//, 'hms/* images entry', overlayImage(overlay, name));

  addComposeService(tree, name, port, templatePort);
  insertAfterLast(tree, COMPOSE_ENV, [], /^[A-Z][A-Z0-9_]*_DB_PASSWORD=/, '<APP>_DB_PASSWORD= line', () => [`${upper}_DB_PASSWORD=change-me-${name}-db-password`]);
}
