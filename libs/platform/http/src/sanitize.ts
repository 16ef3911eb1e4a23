import { DomainError } from '@hms/contracts-common';

const MAX_DEPTH = 12;
const MAX_KEYS = 500;
// NUL cannot be stored in PostgreSQL text; other C0 controls besides tab/newline have no business in a form field.
// eslint-disable-next-line no-control-regex
const FORBIDDEN_CHARS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
/** A high surrogate not followed by a low one, or a low one without a high one before it. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * Rejects input no field should ever carry before it reaches a DTO: control characters
 * (NUL breaks PostgreSQL text), prototype-polluting keys, and absurd nesting.
 */
export function assertSafeInput(value: unknown, path = '', depth = 0, counter = { keys: 0 }): void {
  if (depth > MAX_DEPTH) throw reject(path, 'is nested too deeply');
  if (typeof value === 'string') {
    if (FORBIDDEN_CHARS.test(value)) throw reject(path, 'contains control characters');
    // A lone UTF-16 surrogate (JSON's "\ud800") is no character at all: PostgreSQL refuses it.
    if (LONE_SURROGATE.test(value)) throw reject(path, 'contains an unpaired UTF-16 surrogate (not a valid character)');
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((v, i) => assertSafeInput(v, `${path}[${i}]`, depth + 1, counter));
    return;
  }
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (++counter.keys > MAX_KEYS) throw reject(path, 'has too many fields');
      if (k === '__proto__' || k === 'constructor' || k === 'prototype') throw reject(path ? `${path}.${k}` : k, 'is not an allowed field name');
      if (FORBIDDEN_CHARS.test(k) || LONE_SURROGATE.test(k)) throw reject(path, 'has a field name with control characters or unpaired surrogates');
      assertSafeInput(v, path ? `${path}.${k}` : k, depth + 1, counter);
    }
  }
}

function reject(field: string, message: string): DomainError {
  const name = field || 'body';
  return new DomainError('validation', 'unsafe-input', `${name} ${message}`, {}, [{ field: name, message }]);
}
