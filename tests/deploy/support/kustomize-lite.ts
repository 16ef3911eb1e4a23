/**
 * Just enough of kustomize to render k8s/ offline, without a kustomize binary: `resources`
 * (files and folders with their own kustomization.yaml), `namespace`, `patches` (strategic merge
 * and JSON 6902, by `target` or by the patch's own kind and name) and `images`.
 *
 * Anything else in a kustomization fails loudly instead of being ignored: extend this file (and
 * the kubectl parity test in manifests.spec.ts, which compares it with real kustomize where
 * kubectl is installed) before using more of kustomize.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { CLUSTER_SCOPED_KINDS, type Obj } from './k8s-schema';

export interface Rendered {
  obj: Obj;
  /** File the object came from (before patches). */
  source: string;
}

export interface RenderResult {
  objects: Rendered[];
  /** Every kustomization.yaml read, this one and those below it. */
  kustomizations: string[];
  /** Every file listed as a resource. */
  resourceFiles: string[];
  /** Every file used as a patch. */
  patchFiles: string[];
}

const KUSTOMIZATION_FIELDS = new Set(['apiVersion', 'kind', 'namespace', 'resources', 'patches', 'images']);
const PATCH_FIELDS = new Set(['path', 'target']);
const TARGET_FIELDS = new Set(['group', 'version', 'kind', 'name', 'namespace', 'labelSelector']);
const IMAGE_FIELDS = new Set(['name', 'newName', 'newTag', 'digest']);

/**
 * Every YAML document in a file, parsed as YAML 1.1 like kubectl does (so `on`/`yes` are
 * booleans, as the API server would see them). Syntax errors and duplicate keys throw.
 */
export function readYamlDocuments(file: string, options: { version?: '1.1' | '1.2'; merge?: boolean } = { version: '1.1' }): unknown[] {
  const text = fs.readFileSync(file, 'utf8');
  const docs = parseAllDocuments(text, { version: options.version ?? '1.1', merge: options.merge, uniqueKeys: true, prettyErrors: true });
  const list = Array.isArray(docs) ? docs : [];
  const out: unknown[] = [];
  for (const doc of list) {
    const problems = [...doc.errors, ...doc.warnings];
    if (problems.length) throw new Error(`${file}: ${problems.map((e) => e.message).join('\n')}`);
    const value = doc.toJS({ maxAliasCount: 100 });
    if (value !== null && value !== undefined) out.push(value);
  }
  return out;
}

export function isPlainObject(value: unknown): value is Obj {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export function kustomizationFile(dir: string): string | null {
  for (const name of ['kustomization.yaml', 'kustomization.yml', 'Kustomization']) {
    const file = path.join(dir, name);
    if (fs.existsSync(file)) return file;
  }
  return null;
}

export function render(dir: string): RenderResult {
  const file = kustomizationFile(dir);
  if (!file) throw new Error(`${dir} has no kustomization.yaml`);
  const docs = readYamlDocuments(file);
  if (docs.length !== 1 || !isPlainObject(docs[0])) throw new Error(`${file}: expected exactly one mapping`);
  const k = docs[0];
  const rel = (p: string) => path.relative(process.cwd(), p);
  const where = rel(file);

  for (const key of Object.keys(k)) {
    if (!KUSTOMIZATION_FIELDS.has(key)) throw new Error(`${where}: field "${key}" is not supported by tests/deploy/support/kustomize-lite.ts`);
  }
  if (k.apiVersion !== 'kustomize.config.k8s.io/v1beta1' || k.kind !== 'Kustomization') {
    throw new Error(`${where}: apiVersion/kind must be kustomize.config.k8s.io/v1beta1 Kustomization`);
  }

  const result: RenderResult = { objects: [], kustomizations: [file], resourceFiles: [], patchFiles: [] };

  // resources
  for (const entry of asList(k.resources, `${where}: resources`)) {
    if (typeof entry !== 'string') throw new Error(`${where}: resource entries must be strings`);
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(entry) || entry.includes('?ref=')) throw new Error(`${where}: remote resource "${entry}" is not allowed`);
    const target = path.resolve(dir, entry);
    if (!fs.existsSync(target)) throw new Error(`${where}: resource "${entry}" does not exist`);
    if (fs.statSync(target).isDirectory()) {
      const sub = render(target);
      result.objects.push(...sub.objects);
      result.kustomizations.push(...sub.kustomizations);
      result.resourceFiles.push(...sub.resourceFiles);
      result.patchFiles.push(...sub.patchFiles);
    } else {
      result.resourceFiles.push(target);
      const objs = readYamlDocuments(target);
      if (!objs.length) throw new Error(`${where}: resource "${entry}" holds no object`);
      for (const obj of objs) {
        if (!isPlainObject(obj) || typeof obj.apiVersion !== 'string' || typeof obj.kind !== 'string' || typeof obj.metadata?.name !== 'string') {
          throw new Error(`${rel(target)}: every document needs apiVersion, kind and metadata.name`);
        }
        result.objects.push({ obj, source: target });
      }
    }
  }

  // patches (kustomize applies them before namespace and images)
  for (const [i, p] of asList(k.patches, `${where}: patches`).entries()) {
    const label = `${where}: patches[${i}]`;
    if (!isPlainObject(p)) throw new Error(`${label} must be a mapping`);
    for (const key of Object.keys(p)) if (!PATCH_FIELDS.has(key)) throw new Error(`${label}: field "${key}" is not supported (use a patch file)`);
    if (typeof p.path !== 'string') throw new Error(`${label}: path is required`);
    const patchFile = path.resolve(dir, p.path);
    if (!fs.existsSync(patchFile)) throw new Error(`${label}: patch file "${p.path}" does not exist`);
    result.patchFiles.push(patchFile);
    const patchDocs = readYamlDocuments(patchFile);
    if (patchDocs.length !== 1) throw new Error(`${label}: "${p.path}" must hold exactly one patch`);
    const patch = patchDocs[0];
    if (p.target !== undefined && !isPlainObject(p.target)) throw new Error(`${label}: target must be a mapping`);
    const target: Obj | undefined = p.target;
    if (target) for (const key of Object.keys(target)) if (!TARGET_FIELDS.has(key)) throw new Error(`${label}: target field "${key}" is not supported`);

    if (Array.isArray(patch)) {
      if (!target) throw new Error(`${label}: a JSON 6902 patch needs a target`);
      const selected = select(result.objects, target);
      if (!selected.length) throw new Error(`${label}: target ${JSON.stringify(target)} matches no resource`);
      for (const r of selected) r.obj = applyJson6902(r.obj, patch, `${rel(patchFile)} on ${r.obj.kind}/${r.obj.metadata.name}`);
    } else if (isPlainObject(patch)) {
      if (typeof patch.kind !== 'string' || typeof patch.metadata?.name !== 'string') throw new Error(`${label}: a strategic merge patch needs kind and metadata.name`);
      const sel: Obj = target ?? {
        kind: escapeRegExp(patch.kind),
        name: escapeRegExp(patch.metadata.name),
        ...(typeof patch.apiVersion === 'string' ? splitApiVersion(patch.apiVersion) : {}),
      };
      const selected = select(result.objects, sel);
      if (!selected.length) throw new Error(`${label}: ${patch.kind}/${patch.metadata.name} matches no resource`);
      for (const r of selected) {
        const body = structuredClone(patch);
        if (target) {
          delete body.metadata.name;
        }
        r.obj = strategicMerge(r.obj, body, '');
      }
    } else {
      throw new Error(`${label}: "${p.path}" is neither a strategic merge patch nor a JSON 6902 operation list`);
    }
  }

  // namespace
  if (k.namespace !== undefined) {
    if (typeof k.namespace !== 'string') throw new Error(`${where}: namespace must be a string`);
    for (const r of result.objects) {
      if (CLUSTER_SCOPED_KINDS.has(r.obj.kind)) {
        if (r.obj.kind === 'Namespace' && r.obj.metadata.name !== k.namespace) {
          throw new Error(`${where}: Namespace ${r.obj.metadata.name} differs from namespace: ${k.namespace} (kustomize would rename it)`);
        }
        continue;
      }
      r.obj.metadata.namespace = k.namespace;
    }
  }

  // images
  for (const [i, img] of asList(k.images, `${where}: images`).entries()) {
    const label = `${where}: images[${i}]`;
    if (!isPlainObject(img) || typeof img.name !== 'string') throw new Error(`${label}: name is required`);
    for (const key of Object.keys(img)) if (!IMAGE_FIELDS.has(key)) throw new Error(`${label}: field "${key}" is not supported`);
    let hits = 0;
    for (const r of result.objects) {
      for (const c of podContainers(r.obj)) {
        const ref = parseImage(String(c.image ?? ''));
        if (ref.name !== img.name) continue;
        hits++;
        const name = img.newName !== undefined ? String(img.newName) : ref.name;
        if (img.digest !== undefined) c.image = `${name}@${img.digest}`;
        else if (img.newTag !== undefined) c.image = `${name}:${img.newTag}`;
        else c.image = `${name}${ref.tag ? `:${ref.tag}` : ''}${ref.digest ? `@${ref.digest}` : ''}`;
      }
    }
    if (!hits) throw new Error(`${label}: image "${img.name}" is used by no container, so this entry changes nothing`);
  }

  // one object per kind/namespace/name
  const seen = new Set<string>();
  for (const r of result.objects) {
    const id = `${r.obj.kind}/${r.obj.metadata.namespace ?? ''}/${r.obj.metadata.name}`;
    if (seen.has(id)) throw new Error(`${where}: ${id} is defined twice`);
    seen.add(id);
  }
  return result;
}

function asList(value: unknown, label: string): unknown[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new Error(`${label} must be a list`);
  return value;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const i = apiVersion.lastIndexOf('/');
  return i < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, i), version: apiVersion.slice(i + 1) };
}

/** kustomize's patch target selection: kind, name and namespace are anchored regular expressions. */
export function select(objects: Rendered[], target: Obj): Rendered[] {
  const re = (v: unknown) => new RegExp(`^(?:${String(v)})$`);
  return objects.filter(({ obj }) => {
    const gv = splitApiVersion(obj.apiVersion);
    if (target.group !== undefined && gv.group !== target.group) return false;
    if (target.version !== undefined && gv.version !== target.version) return false;
    if (target.kind !== undefined && !re(target.kind).test(obj.kind)) return false;
    if (target.name !== undefined && !re(target.name).test(obj.metadata.name)) return false;
    if (target.namespace !== undefined && !re(target.namespace).test(obj.metadata.namespace ?? '')) return false;
    if (target.labelSelector !== undefined && !matchesLabelSelector(obj.metadata.labels ?? {}, String(target.labelSelector))) return false;
    return true;
  });
}

/** Equality-based label selectors: `a=b,c==d,e!=f`. */
export function matchesLabelSelector(labels: Record<string, string>, selector: string): boolean {
  return selector
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .every((term) => {
      const m = /^([^!=\s]+)\s*(!=|==|=)\s*(\S*)$/.exec(term);
      if (!m) throw new Error(`label selector term "${term}" is not supported`);
      return m[2] === '!=' ? labels[m[1]] !== m[3] : labels[m[1]] === m[3];
    });
}

// ---------------------------------------------------------------------------------------------
// Strategic merge: maps merge, `null` deletes, lists with a Kubernetes merge key merge by it,
// other lists are replaced. Directives ($patch, $retainKeys, ...) are not supported.

function mergeKeyFor(field: string, items: unknown[]): string | null {
  switch (field) {
    case 'containers':
    case 'initContainers':
    case 'ephemeralContainers':
    case 'volumes':
    case 'env':
    case 'imagePullSecrets':
      return 'name';
    case 'volumeMounts':
      return 'mountPath';
    case 'ports':
      return items.every((i) => isPlainObject(i) && 'containerPort' in i) ? 'containerPort' : 'port';
    default:
      return null;
  }
}

// The merged manifest is as untyped as the YAML it came from.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function strategicMerge(base: unknown, patch: unknown, field: string): any {
  if (isPlainObject(patch)) {
    const out: Obj = isPlainObject(base) ? { ...base } : {};
    for (const [key, value] of Object.entries(patch)) {
      if (key.startsWith('$')) throw new Error(`strategic merge directive ${key} is not supported by kustomize-lite`);
      if (value === null) delete out[key];
      else out[key] = strategicMerge(out[key], value, key);
    }
    return out;
  }
  if (Array.isArray(patch) && Array.isArray(base)) {
    const key = mergeKeyFor(field, [...base, ...patch]);
    if (key) {
      const out = base.map((item) => structuredClone(item));
      for (const item of patch) {
        if (!isPlainObject(item) || item[key] === undefined) throw new Error(`items of ${field} in a patch need "${key}"`);
        const i = out.findIndex((b) => isPlainObject(b) && b[key] === item[key]);
        if (i >= 0) out[i] = strategicMerge(out[i], item, '');
        else out.push(structuredClone(item));
      }
      return out;
    }
  }
  return structuredClone(patch);
}

// ---------------------------------------------------------------------------------------------
// JSON 6902

function pointer(p: unknown, label: string): string[] {
  if (typeof p !== 'string' || !p.startsWith('/')) throw new Error(`${label}: path must be a JSON pointer`);
  return p
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

export function applyJson6902(doc: Obj, ops: unknown[], label: string): Obj {
  const root = structuredClone(doc);
  for (const [i, op] of ops.entries()) {
    const at = `${label} op ${i}`;
    if (!isPlainObject(op)) throw new Error(`${at}: must be a mapping`);
    const parts = pointer(op.path, at);
    const last = parts.pop()!;
    // A JSON pointer walks arbitrary YAML; each step is checked at run time just below.
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    let parent: any = root;
    for (const part of parts) {
      parent = Array.isArray(parent) ? parent[Number(part)] : parent?.[part];
      if (parent === undefined || parent === null || typeof parent !== 'object') throw new Error(`${at}: ${op.path} does not exist`);
    }
    const exists = Array.isArray(parent) ? Number(last) < parent.length : Object.prototype.hasOwnProperty.call(parent, last);
    switch (op.op) {
      case 'add':
        if (Array.isArray(parent)) parent.splice(last === '-' ? parent.length : Number(last), 0, structuredClone(op.value));
        else parent[last] = structuredClone(op.value);
        break;
      case 'replace':
        if (!exists) throw new Error(`${at}: cannot replace ${op.path}, it does not exist`);
        parent[last] = structuredClone(op.value);
        break;
      case 'remove':
        if (!exists) throw new Error(`${at}: cannot remove ${op.path}, it does not exist`);
        if (Array.isArray(parent)) parent.splice(Number(last), 1);
        else delete parent[last];
        break;
      case 'test':
        if (!exists || JSON.stringify(parent[last]) !== JSON.stringify(op.value)) throw new Error(`${at}: test of ${op.path} failed`);
        break;
      default:
        throw new Error(`${at}: op "${String(op.op)}" is not supported by kustomize-lite`);
    }
  }
  return root;
}

// ---------------------------------------------------------------------------------------------

/** Containers of a workload's pod template (live objects, for in-place edits). */
export function podContainers(obj: Obj): Obj[] {
  const spec = obj.spec?.template?.spec;
  if (!isPlainObject(spec)) return [];
  return [...(spec.initContainers ?? []), ...(spec.containers ?? [])].filter(isPlainObject);
}

export function parseImage(image: string): { name: string; tag?: string; digest?: string } {
  let rest = image;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) return { name: rest.slice(0, colon), tag: rest.slice(colon + 1), digest };
  return { name: rest, digest };
}
