import path from 'node:path';
import { COMMITTED_DOCUMENT, readCommittedDocument } from './document';

// The committed document is what the code serves (tests/e2e/platform.e2e-spec.ts fails while they
// differ), so what holds for it holds for the API: every operation says what it answers.

interface Operation {
  operationId?: string;
  parameters?: { in: string; name: string }[];
  requestBody?: { content?: Record<string, { schema?: unknown }> };
  responses: Record<string, { content?: Record<string, { schema?: unknown }> }>;
}

const document = JSON.parse(readCommittedDocument(path.resolve(__dirname, '..', '..')) ?? '{"paths":{}}') as { paths: Record<string, Record<string, Operation>> };
const operations = Object.entries(document.paths).flatMap(([p, item]) =>
  Object.entries(item)
    .filter(([verb]) => ['get', 'put', 'post', 'patch', 'delete'].includes(verb))
    .map(([verb, op]) => ({ name: `${verb.toUpperCase()} ${p}`, op })),
);
const hasSchema = (r?: { content?: Record<string, { schema?: unknown }> }) => !!r?.content && Object.values(r.content).some((c) => c.schema !== undefined);

describe(`every operation of ${COMMITTED_DOCUMENT}`, () => {
  it('is there to check (the merged document holds every service)', () => {
    expect(operations.length).toBeGreaterThan(100);
  });

  it('documents its success answer: a body with a schema, or 204', () => {
    const undocumented = operations.filter(({ op }) => !Object.entries(op.responses).some(([status, r]) => status === '204' || (status.startsWith('2') && hasSchema(r)))).map((o) => o.name);
    expect(undocumented).toEqual([]);
  });

  it('documents its request body with a schema where it takes one', () => {
    expect(operations.filter(({ op }) => op.requestBody && !hasSchema(op.requestBody)).map((o) => o.name)).toEqual([]);
  });

  it('documents the problems its input can cause as problem+json, beyond those every operation may answer (401, 403, 503)', () => {
    const common = new Set(['401', '403', '503']);
    const takesInput = (op: Operation) => !!op.requestBody || (op.parameters ?? []).some((p) => p.in === 'path' || p.in === 'query');
    const bare = operations.filter(({ op }) => takesInput(op) && !Object.entries(op.responses).some(([status, r]) => /^4\d\d$/.test(status) && !common.has(status) && !!r.content?.['application/problem+json']));
    expect(bare.map((o) => o.name)).toEqual([]);
    const notProblem = operations.flatMap(({ name, op }) =>
      Object.entries(op.responses)
        .filter(([status, r]) => /^[45]\d\d$/.test(status) && !r.content?.['application/problem+json'])
        .map(([status]) => `${name} ${status}`),
    );
    expect(notProblem).toEqual([]);
  });
});
