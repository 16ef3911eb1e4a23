import { readFileSync } from 'node:fs';
import path from 'node:path';

/** Where the merged OpenAPI document of the whole platform is committed. */
export const COMMITTED_DOCUMENT = path.join('openapi', 'hms.json');

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
