import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

/** Where the merged OpenAPI document of the whole platform is committed. */
export const COMMITTED_DOCUMENT = path.join('openapi', 'hms.json');

/** The TypeScript types of that document (openapi-typescript), which the typed client takes. */
export const COMMITTED_CLIENT_TYPES = path.join('openapi', 'hms.d.ts');

/**
 * The client types openapi-typescript makes of the committed document, as text: what
 * COMMITTED_CLIENT_TYPES must hold.
 */
export function generateClientTypes(root: string): string {
  // A default does not make a request field required (openapi-typescript assumes it does).
  const cli = path.join(root, 'node_modules', 'openapi-typescript', 'bin', 'cli.js');
  const run = spawnSync(process.execPath, [cli, path.join(root, COMMITTED_DOCUMENT), '--default-non-nullable', 'false'], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (run.status !== 0) throw new Error(`openapi-typescript failed: ${run.stderr}`);
  return run.stdout;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/**
 * The document as committed: what the gateway serves at /docs/openapi.json, without what differs
 * between two runs of the same code (the servers it was reached at), with object keys in a fixed
 * order, so that a diff of the file shows changes to the API and nothing else.
 */
export function normaliseDocument(document: unknown): Json {
  const { servers: _servers, ...rest } = document as Record<string, Json>;
  return sortKeys(rest);
}

function sortKeys(value: Json): Json {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, sortKeys(value[k])]),
    );
  }
  return value;
}

export function serialiseDocument(document: unknown): string {
  return `${JSON.stringify(normaliseDocument(document), null, 2)}\n`;
}

export function readCommittedDocument(root: string): string | null {
  try {
    return readFileSync(path.join(root, COMMITTED_DOCUMENT), 'utf8');
  } catch {
    return null;
  }
}
