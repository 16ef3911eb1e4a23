/**
 * Indian mobile numbers: 10 digits starting 6, 7, 8 or 9, stored in E.164 (`+91XXXXXXXXXX`).
 * Registration desks see every way of writing one: with +91, 91, 0091 or a trunk 0, and with
 * spaces, hyphens, dots or parentheses between the groups.
 */

export type IndianMobileResult = { ok: true; e164: string } | { ok: false; reason: string };

/** Digits and separators, with at most one + at the start (possibly inside a parenthesis: `(+91)`). */
const ALLOWED = /^\(?\+?[\d\s\-().]+$/;

export function normalizeIndianMobile(input: string): IndianMobileResult {
  const value = input.trim();
  if (value === '') return { ok: false, reason: 'The mobile number is empty.' };
  if (/\p{L}/u.test(value)) return { ok: false, reason: 'A mobile number cannot contain letters.' };
  if (!ALLOWED.test(value)) {
    return {
      ok: false,
      reason: 'A mobile number may contain only digits, spaces, hyphens, dots, parentheses and a leading +.',
    };
  }

  const international = /^\(?\+/.test(value);
  let digits = value.replace(/\D/g, '');
  if (international) {
    if (!digits.startsWith('91')) return { ok: false, reason: 'Only Indian mobile numbers (+91) are accepted.' };
    digits = digits.slice(2);
  } else if (digits.length === 14 && digits.startsWith('0091')) {
    digits = digits.slice(4);
  } else if (digits.length === 12 && digits.startsWith('91')) {
    digits = digits.slice(2);
  } else if (digits.length === 11 && digits.startsWith('0')) {
    digits = digits.slice(1);
  }

  if (digits.length !== 10) {
    return { ok: false, reason: `An Indian mobile number has 10 digits; this one has ${digits.length}.` };
  }
  if (!/^[6-9]/.test(digits)) {
    return {
      ok: false,
      reason: 'Indian mobile numbers start with 6, 7, 8 or 9; this looks like a landline or an incomplete number.',
    };
  }
  return { ok: true, e164: `+91${digits}` };
}
