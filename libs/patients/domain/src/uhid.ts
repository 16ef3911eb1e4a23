/**
 * WF-01: the UHID is a configurable prefix plus a sequence, kept for life.
 * `MAIN` + 42 → `MAIN00000042`. The sequence is padded to 8 digits and simply grows longer
 * past 99,999,999 rather than wrapping or truncating.
 */

const PREFIX = /^[A-Z][A-Z0-9]{1,7}$/;
const SEQUENCE_DIGITS = 8;

/** Null when `prefix` can start UHIDs; otherwise the reason it cannot. */
export function validateUhidPrefix(prefix: string): string | null {
  if (prefix.length < 2 || prefix.length > 8) {
    return `A UHID prefix has 2 to 8 characters; "${prefix}" has ${prefix.length}.`;
  }
  if (!PREFIX.test(prefix)) {
    return 'A UHID prefix has only capital letters A-Z and digits, and starts with a letter.';
  }
  return null;
}

export function formatUhid(prefix: string, sequence: number): string {
  const problem = validateUhidPrefix(prefix);
  if (problem !== null) throw new RangeError(problem);
  if (!Number.isSafeInteger(sequence) || sequence < 1) {
    throw new RangeError(`A UHID sequence is a positive whole number; ${sequence} is not.`);
  }
  return `${prefix}${String(sequence).padStart(SEQUENCE_DIGITS, '0')}`;
}

/** Whether a search box entry is probably a UHID (letters then at least 6 digits), not a name or phone. */
export function looksLikeUhid(q: string): boolean {
  return /^[a-z]+\d{6,}$/i.test(q.trim());
}
