/**
 * Offline Kubernetes schema checks for the manifests under k8s/, with kubernetes-models.
 *
 * `validate()` runs the OpenAPI schema of the kind (types, required fields, enums, formats such as
 * quantities). Kubernetes' schemas allow unknown fields, so a misspelt field (`livenesProbe`)
 * passes them and the API server silently drops it. `unknownFields()` closes that gap: it walks an
 * object along the TypeScript declarations shipped with kubernetes-models and reports every field
 * the declared type does not have, like `kubectl apply --validate=strict`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ConfigMap, Namespace, Secret, Service, ServiceAccount } from 'kubernetes-models/v1';
import { Deployment } from 'kubernetes-models/apps/v1';
import { Job } from 'kubernetes-models/batch/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { Ingress, NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';

// Parsed YAML is walked field by field in the checks; typing every manifest shape would add nothing.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Obj = Record<string, any>;

interface Validatable {
  validate(): void;
}
// Each kubernetes-models constructor takes its own input type; the parsed manifest is checked by validate().
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type ModelClass = new (data: any) => Validatable;

/**
 * The kinds this repository may contain, keyed by `apiVersion kind`. Anything else fails the
 * test: add the model here (and checks for it) before using a new kind.
 */
export const MODELS: ReadonlyMap<string, ModelClass> = new Map<string, ModelClass>([
  ['v1 Namespace', Namespace],
  ['v1 ConfigMap', ConfigMap],
  ['v1 Secret', Secret],
  ['v1 Service', Service],
  ['v1 ServiceAccount', ServiceAccount],
  ['apps/v1 Deployment', Deployment],
  ['batch/v1 Job', Job],
  ['autoscaling/v2 HorizontalPodAutoscaler', HorizontalPodAutoscaler],
  ['policy/v1 PodDisruptionBudget', PodDisruptionBudget],
  ['networking.k8s.io/v1 NetworkPolicy', NetworkPolicy],
  ['networking.k8s.io/v1 Ingress', Ingress],
]);

/** Kinds that live outside namespaces (of those in MODELS). */
export const CLUSTER_SCOPED_KINDS: ReadonlySet<string> = new Set(['Namespace']);

export function modelFor(obj: Obj): ModelClass {
  const key = `${obj?.apiVersion} ${obj?.kind}`;
  const model = MODELS.get(key);
  if (!model) {
    throw new Error(`unknown kind "${key}": only ${[...MODELS.keys()].join(', ')} are known (add it to tests/deploy/support/k8s-schema.ts)`);
  }
  return model;
}

/** Schema-validates one object; throws with the kind, name and every schema error. */
export function validateObject(obj: Obj): void {
  const Model = modelFor(obj);
  try {
    new Model(structuredClone(obj)).validate();
  } catch (error) {
    throw new Error(`${obj.kind} ${obj.metadata?.name ?? '<no name>'}: ${(error as Error).message}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Strict field check along kubernetes-models' declaration files.

interface Shape {
  /** field -> declared type text */
  props: Map<string, string>;
  /** imported type name -> declaration file */
  imports: Map<string, string>;
}

const shapes = new Map<string, Shape | null>();
const packageRoots = new Map<string, string>();

function packageRoot(pkg: string, from: string): string {
  const key = `${pkg}|${from}`;
  let root = packageRoots.get(key);
  if (!root) {
    root = path.dirname(require.resolve(pkg, { paths: [from] }));
    packageRoots.set(key, root);
  }
  return root;
}

function resolveImport(spec: string, fromFile: string): string | null {
  const dir = path.dirname(fromFile);
  if (spec.startsWith('.')) return path.resolve(dir, `${spec}.d.ts`);
  const parts = spec.split('/');
  const pkg = spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
  const rest = spec.startsWith('@') ? parts.slice(2) : parts.slice(1);
  if (!rest.length) return null;
  try {
    return path.join(packageRoot(pkg, dir), ...rest) + '.d.ts';
  } catch {
    return null;
  }
}

/** The first interface declared in a kubernetes-models .d.ts file; null for a type alias. */
function shapeOf(file: string): Shape | null {
  if (shapes.has(file)) return shapes.get(file)!;
  let shape: Shape | null = null;
  if (fs.existsSync(file)) {
    const text = fs.readFileSync(file, 'utf8');
    const imports = new Map<string, string>();
    for (const m of text.matchAll(/^import \{([^}]+)\} from "([^"]+)";$/gm)) {
      const target = resolveImport(m[2], file);
      if (!target) continue;
      for (const name of m[1].split(',').map((s) => s.trim()).filter(Boolean)) imports.set(name, target);
    }
    const lines = text.split('\n');
    const start = lines.findIndex((l) => /^export interface \w+( extends [^{]+)? \{$/.test(l));
    if (start >= 0) {
      const props = new Map<string, string>();
      for (let i = start + 1; i < lines.length && lines[i] !== '}'; i++) {
        const m = /^ {4}"([^"]+)"\??: (.+?);?$/.exec(lines[i]);
        if (m) props.set(m[1], m[2]);
      }
      shape = { props, imports };
    }
  }
  shapes.set(file, shape);
  return shape;
}

function declarationFileOf(obj: Obj): string {
  modelFor(obj); // unknown kinds fail first, with the list of known ones
  const root = path.dirname(require.resolve('kubernetes-models'));
  const file = path.join(root, ...String(obj.apiVersion).split('/'), `${obj.kind}.d.ts`);
  if (!fs.existsSync(file)) throw new Error(`no declaration file for ${obj.apiVersion} ${obj.kind} at ${file}`);
  return file;
}

function walk(value: unknown, file: string, at: string, problems: string[]): void {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return;
  const shape = shapeOf(file);
  if (!shape) return;
  for (const [key, child] of Object.entries(value as Obj)) {
    const type = shape.props.get(key);
    if (type === undefined) {
      problems.push(`${at}.${key} is not a field of ${path.basename(file, '.d.ts')}`);
      continue;
    }
    const m = /^(Array<)?(I\w+)>?$/.exec(type);
    const target = m && shape.imports.get(m[2]);
    if (!target) continue;
    if (m![1] && Array.isArray(child)) child.forEach((item, i) => walk(item, target, `${at}.${key}[${i}]`, problems));
    else walk(child, target, `${at}.${key}`, problems);
  }
}

/** Fields that the object's declared Kubernetes type does not have (misspellings, wrong nesting). */
export function unknownFields(obj: Obj): string[] {
  const problems: string[] = [];
  walk(obj, declarationFileOf(obj), `${obj.kind}/${obj.metadata?.name ?? '?'}`, problems);
  return problems;
}
