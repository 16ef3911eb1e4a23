/**
 * ABHA (Ayushman Bharat Health Account) number and address rules.
 * ABDM-01: the pattern is the hard rule. ABDM-02: the Luhn check digit is only a warning,
 * because ABDM's own server validates the pattern alone. ABDM-03: mask all but the last 4.
 * ABDM-04: the address pattern; its maximum length is unsettled, so it is a parameter.
 */

export type AbhaNumberResult =
  | { ok: true; digits: string; formatted: string; luhnValid: boolean }
  | { ok: false; reason: string };

export type AbhaAddressResult = { ok: true; value: string } | { ok: false; reason: string };

const HYPHENATED = /^\d{2}-\d{4}-\d{4}-\d{4}$/;
const SPACED = /^\d{2} +\d{4} +\d{4} +\d{4}$/;
const PLAIN = /^\d{14}$/;
const ABHA_ADDRESS = /^[a-zA-Z0-9][a-zA-Z0-9_.]+[a-zA-Z0-9]@(abdm|sbx)$/;
const FULLY_MASKED = 'XX-XXXX-XXXX-XXXX';

export const DEFAULT_ABHA_ADDRESS_MAX_LENGTH = 64;

/**
 * Accepts `XX-XXXX-XXXX-XXXX`, the same grouping with spaces, or 14 plain digits.
 * Returns the digits ABDM's APIs expect and the hyphenated form people read.
 */
export function normalizeAbhaNumber(input: string): AbhaNumberResult {
  const value = input.trim();
  if (value === '') return { ok: false, reason: 'The ABHA number is empty.' };
  if (!HYPHENATED.test(value) && !SPACED.test(value) && !PLAIN.test(value)) {
    return { ok: false, reason: whyNotAnAbhaNumber(value) };
  }
  const digits = value.replace(/[ -]/g, '');
  return { ok: true, digits, formatted: formatAbhaNumber(digits), luhnValid: luhnValid(digits) };
}

function whyNotAnAbhaNumber(value: string): string {
  if (/[^\d\s-]/.test(value)) return 'An ABHA number has only digits, written XX-XXXX-XXXX-XXXX.';
  const count = value.replace(/\D/g, '').length;
  if (count !== 14) return `An ABHA number has 14 digits; this one has ${count}.`;
  return 'An ABHA number is grouped XX-XXXX-XXXX-XXXX (2, 4, 4 and 4 digits), or written as 14 digits.';
}

/** Luhn (mod 10) over the whole string, the last digit being the check digit. */
export function luhnValid(digits: string): boolean {
  if (!/^\d{2,}$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** `91377205864665` → `91-3772-0586-4665`. Expects 14 digits. */
export function formatAbhaNumber(digits: string): string {
  return `${digits.slice(0, 2)}-${digits.slice(2, 6)}-${digits.slice(6, 10)}-${digits.slice(10, 14)}`;
}

/**
 * `91377205864665` (or its hyphenated form) → `XX-XXXX-XXXX-4665`. Anything that is not
 * an ABHA number is masked completely: a display helper must never leak what it was given.
 */
export function maskAbhaNumber(digits: string): string {
  const clean = digits.replace(/[ -]/g, '');
  if (!PLAIN.test(clean)) return FULLY_MASKED;
  return `XX-XXXX-XXXX-${clean.slice(10)}`;
}

/**
 * ABDM-04. ABHA addresses are case-insensitive and ABDM keeps them in lower case, so the
 * input is lower-cased before the pattern is applied and the lower-case form returned.
 */
export function validateAbhaAddress(
  input: string,
  maxLength: number = DEFAULT_ABHA_ADDRESS_MAX_LENGTH,
): AbhaAddressResult {
  const value = input.trim().toLowerCase();
  if (value === '') return { ok: false, reason: 'The ABHA address is empty.' };
  if (value.length > maxLength) {
    return { ok: false, reason: `An ABHA address has at most ${maxLength} characters; this one has ${value.length}.` };
  }
  if (ABHA_ADDRESS.test(value)) return { ok: true, value };
  if (!/@(abdm|sbx)$/.test(value)) {
    return { ok: false, reason: 'An ABHA address ends in @abdm (or @sbx in the ABDM sandbox).' };
  }
  return {
    ok: false,
    reason:
      'The part of an ABHA address before @ has at least 3 letters, digits, dots or underscores, and starts and ends with a letter or digit.',
  };
}
