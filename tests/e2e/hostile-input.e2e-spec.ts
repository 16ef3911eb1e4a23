import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import type { TestResponse } from '@hms/platform-testing';
import { startE2ePlatform, type E2ePlatform } from './support';

// Hostile input, generated from the contract: for every write operation the merged OpenAPI
// document describes, bodies built from its schema with one field made hostile (null, an
// unpaired surrogate, the year 0, bidirectional controls, blanks, huge or fractional numbers,
// wrong types, a missing required field, an unknown field…). Whatever the input, no answer is a
// 5xx, and an answer of 4xx has written nothing in the service's schema. Fixed seed, bounded
// runs per operation: the same cases in every CI run.
const SEED = 20_261_201;
const RUNS_PER_OPERATION = 6;
const ADMIN = { email: 'e2e-hostile@hms.test', password: 'E2e-Hostile-Pass-2026!' };

type Schema = {
  $ref?: string;
  type?: string;
  format?: string;
  enum?: unknown[];
  example?: unknown;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  minimum?: number;
  minItems?: number;
  allOf?: Schema[];
  oneOf?: Schema[];
  anyOf?: Schema[];
};
interface Operation {
  method: 'POST' | 'PUT' | 'PATCH';
  path: string;
  schema: Schema | null;
}
interface Doc {
  paths: Record<string, Record<string, { requestBody?: { content?: Record<string, { schema?: Schema }> } }>>;
  components: { schemas: Record<string, Schema> };
}

let e2e: E2ePlatform;
let admin: string;
let doc: Doc;

/** Tables whose rows come and go on their own (messaging, idempotency, throttles, migrations): not the service's data. */
const BOOKKEEPING = ['outbox', 'inbox', 'dead_letters', 'idempotency_keys', 'schema_migrations', 'login_throttle', 'read_coalescing'];

/** What a service's data looks like now: per table, its row count and newest row version. */
async function fingerprint(schema: string): Promise<string> {
  const tables = await e2e.db.admin<{ t: string }>(`SELECT tablename AS t FROM pg_tables WHERE schemaname = $1 AND NOT (tablename = ANY($2)) ORDER BY tablename`, [schema, BOOKKEEPING]);
  const parts: string[] = [];
  for (const { t } of tables) {
    const [row] = await e2e.db.admin<{ n: string; x: string | null }>(`SELECT count(*) AS n, max(xmin::text::bigint)::text AS x FROM "${schema}"."${t}"`);
    parts.push(`${t}:${row.n}:${row.x}`);
  }
  return parts.join(',');
}

/** The newest event of every service's outbox: it moves when a request emitted an event (a failed sign-in does). */
async function outboxMarks(): Promise<string> {
  const rows = await e2e.db.admin<{ m: string }>(
    `SELECT concat_ws(',', (SELECT max(seq) FROM gateway.outbox), (SELECT max(seq) FROM patients.outbox), (SELECT max(seq) FROM audit.outbox),
                           (SELECT max(seq) FROM wards.outbox), (SELECT max(seq) FROM pharmacy.outbox)) AS m`,
  );
  return rows[0].m;
}

/** Waits until no schema changes any more (events of an accepted request have been handled). */
async function settle(): Promise<void> {
  const schemas = ['gateway', 'patients', 'audit', 'wards', 'pharmacy'];
  let last = '';
  for (let stable = 0, i = 0; stable < 3 && i < 60; i++) {
    const now = (await Promise.all(schemas.map(fingerprint))).join('|');
    stable = now === last ? stable + 1 : 0;
    last = now;
    await new Promise((r) => setTimeout(r, 150));
  }
}

const serviceOf = (path: string) => {
  const s = /^\/api\/v1\/([a-z-]+)/.exec(path)?.[1] ?? '';
  return s === 'auth' || s === 'admin' ? 'gateway' : s;
};

function resolve(schema: Schema | undefined, depth = 0): Schema {
  if (!schema || depth > 8) return {};
  if (schema.$ref) return resolve(doc.components.schemas[schema.$ref.split('/').pop() ?? ''], depth + 1);
  if (schema.allOf?.length) return resolve(schema.allOf[0], depth + 1);
  if (schema.oneOf?.length) return resolve(schema.oneOf[0], depth + 1);
  if (schema.anyOf?.length) return resolve(schema.anyOf[0], depth + 1);
  return schema;
}

/**
 * A plausible value for a schema: its example, its first enum value, or a value of its type and
 * format. With `lean`, an object gets its required fields (and flags, set, such as
 * confirmedNotDuplicate) only, so that one body after another does not trip over the last one's
 * optional unique fields (an ABHA number, a phone) and each case reaches as deep as it can.
 */
function plausible(raw: Schema | undefined, depth = 0, lean = false): unknown {
  const s = resolve(raw);
  if (s.example !== undefined) return s.example;
  if (s.enum?.length) return s.enum[0];
  if (s.properties || s.type === 'object') {
    const out: Record<string, unknown> = {};
    const required = new Set(s.required ?? []);
    if (depth < 4) {
      for (const [k, v] of Object.entries(s.properties ?? {})) {
        if (!lean || required.has(k) || resolve(v).type === 'boolean') out[k] = plausible(v, depth + 1, lean);
      }
    }
    return out;
  }
  switch (s.type) {
    case 'array':
      return depth < 4 ? Array.from({ length: Math.max(1, s.minItems ?? 1) }, () => plausible(s.items, depth + 1)) : [];
    case 'integer':
    case 'number':
      return Math.max(1, s.minimum ?? 1);
    case 'boolean':
      return true;
    default:
      if (s.format === 'uuid') return randomUUID();
      if (s.format === 'date') return '2026-01-15';
      if (s.format === 'date-time') return '2026-01-15T10:00:00.000Z';
      if (s.format === 'email') return 'fuzz@hms.test';
      return 'Plausible text';
  }
}

/** Paths to the fields of a schema (one level into nested objects and arrays of objects). */
function fieldsOf(raw: Schema | null): string[][] {
  const s = resolve(raw ?? undefined);
  const fields: string[][] = [];
  for (const [k, v] of Object.entries(s.properties ?? {})) {
    fields.push([k]);
    const inner = resolve(v);
    const nested = inner.type === 'array' ? resolve(inner.items) : inner;
    for (const sub of Object.keys(nested.properties ?? {})) fields.push(inner.type === 'array' ? [k, '0', sub] : [k, sub]);
  }
  return fields.length ? fields : [['unknownField']];
}

const HOSTILE: [string, unknown][] = [
  ['null', null],
  ['an empty string', ''],
  ['only spaces', '   \t '],
  ['an unpaired surrogate', 'ab\ud800cd'],
  ['a lone low surrogate', '\udc00'],
  ['bidirectional controls', 'Asha\u202eahsA'],
  ['the year 0', '0000-01-01'],
  ['30 February', '2026-02-30'],
  ['a month 13 date', '2026-13-01'],
  ['a negative number', -1],
  ['zero', 0],
  ['a fraction', 1.5],
  ['a huge number', 1e308],
  ['beyond safe integers', 2 ** 60],
  ['a boolean', true],
  ['an array', []],
  ['an object', {}],
  ['an operator object', { $ne: 1 }],
  ['a long string', 'x'.repeat(5000)],
  ['SQL', "Robert'); DROP TABLE patients;--"],
  ['markup', '<script>alert(1)</script>'],
  ['an emoji and Devanagari', 'अनीता 🙂'],
];

function setAt(body: unknown, path: string[], value: unknown): unknown {
  const copy = structuredClone(body) as Record<string, unknown>;
  let at: Record<string, unknown> = copy;
  for (const key of path.slice(0, -1)) {
    if (typeof at[key] !== 'object' || at[key] === null) at[key] = key === '0' ? [] : {};
    at = at[key] as Record<string, unknown>;
  }
  at[path[path.length - 1]] = value;
  return copy;
}

function removeAt(body: unknown, path: string[]): unknown {
  const copy = structuredClone(body) as Record<string, unknown>;
  let at: Record<string, unknown> | undefined = copy;
  for (const key of path.slice(0, -1)) at = at?.[key] as Record<string, unknown> | undefined;
  if (at) delete at[path[path.length - 1]];
  return copy;
}

/** What every field of every operation is tried with, beside the random cases: the inputs that once got a 500. */
const ALWAYS = HOSTILE.filter(([label]) => ['null', 'only spaces', 'an unpaired surrogate', 'the year 0', '30 February', 'bidirectional controls'].includes(label));

/** The plausible body of an operation (an empty object for one that documents none). */
const base = (op: Operation, lean = false): unknown => (op.schema ? plausible(op.schema, 0, lean) : {});

/** One hostile variant of an operation's body. */
const variant = (op: Operation) =>
  fc.oneof(
    fc.tuple(fc.constantFrom(...fieldsOf(op.schema)), fc.constantFrom(...HOSTILE)).map(([field, [label, value]]) => ({
      label: `${field.join('.')} = ${label}`,
      body: setAt(base(op, true), field, value),
    })),
    fc.constantFrom(...fieldsOf(op.schema)).map((field) => ({ label: `without ${field.join('.')}`, body: removeAt(base(op), field) })),
    fc.constantFrom(...HOSTILE).map(([label, value]) => ({ label: `the whole body is ${label}`, body: value })),
    fc.constant({ label: 'an unknown field', body: { ...(base(op) as object), isAdmin: true } }),
  );

beforeAll(async () => {
  e2e = await startE2ePlatform(__filename, ADMIN, { READ_COALESCE_SECONDS: '0' });
  admin = (await e2e.login(ADMIN.email, ADMIN.password)).accessToken;
  doc = (await e2e.gw.get('/docs/openapi.json')).body as Doc;
});
afterAll(() => e2e?.stop());

function writeOperations(): Operation[] {
  const ops: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of ['post', 'put', 'patch'] as const) {
      const op = item[method];
      if (!op) continue;
      const schema = op.requestBody?.content?.['application/json']?.schema ?? null;
      ops.push({ method: method.toUpperCase() as Operation['method'], path, schema });
    }
  }
  return ops;
}

it('finds the write operations to try', () => {
  const ops = writeOperations();
  expect(ops.length).toBeGreaterThan(40);
  // Every service's writes are among them.
  expect(new Set(ops.map((o) => serviceOf(o.path)))).toEqual(new Set(['gateway', 'patients', 'wards', 'pharmacy', 'audit']));
});

it('answers every hostile body of every write operation with no 5xx, and a 4xx writes nothing', async () => {
  const failures: string[] = [];
  let requests = 0;
  // The first start's events (the branch, the administrator, the sign-in) are handled first.
  await settle();
  for (const op of writeOperations()) {
    const service = serviceOf(op.path);
    // Path parameters: ids nobody has (the body is checked before anything is looked up).
    const url = op.path.replace(/\{[^}]+\}/g, () => randomUUID());
    // Signing out would end the session the rest of the run uses.
    if (url === '/api/v1/auth/logout') continue;
    // Besides the seeded random cases, each field with each of the inputs that once got a 500.
    const examples = fieldsOf(op.schema).flatMap((field) => ALWAYS.map(([label, value]) => [{ label: `${field.join('.')} = ${label}`, body: setAt(base(op, true), field, value) }] as [{ label: string; body: unknown }]));
    await fc.assert(
      fc.asyncProperty(variant(op), async ({ label, body }) => {
        requests++;
        const marks = await outboxMarks();
        const before = await fingerprint(service);
        let r: TestResponse;
        try {
          r = await e2e.gw.send(op.method, url, body, { token: admin, headers: { 'if-match': '"1"', 'idempotency-key': `fuzz-${randomUUID()}` } });
        } catch (error) {
          failures.push(`${op.method} ${op.path} with ${label}: no answer (${(error as Error).message})`);
          return;
        }
        if (r.status >= 500) failures.push(`${op.method} ${op.path} with ${label}: ${r.status} ${r.text.slice(0, 200)}`);
        else if (r.status >= 400) {
          const after = await fingerprint(service);
          if (after !== before) failures.push(`${op.method} ${op.path} with ${label}: ${r.status}, yet the ${service} schema changed`);
          if (!String(r.headers.get('content-type')).startsWith('application/problem+json')) failures.push(`${op.method} ${op.path} with ${label}: ${r.status} without problem+json`);
        }
        // Whatever emitted an event (an accepted request, a failed sign-in) is followed by its
        // consumers before the next case, so their writes are not taken for the next case's.
        if (r.status < 400 || (await outboxMarks()) !== marks) await settle();
      }),
      // fast-check counts the examples among the runs.
      { seed: SEED, numRuns: examples.length + RUNS_PER_OPERATION, endOnFailure: false, examples },
    );
  }
  expect(requests).toBeGreaterThan(200);
  process.stdout.write(`hostile input: ${requests} requests over ${writeOperations().length} write operations\n`);
  expect(failures).toEqual([]);
});
