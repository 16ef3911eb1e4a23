const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const SHAPE = /^(\d{2})([A-Z]{5}\d{4}[A-Z])([1-9A-Z])Z([0-9A-Z])$/;

/** The check character of a GSTIN's first 14 characters: Luhn mod 36 (GST-12). */
export function gstinCheckCharacter(first14: string): string {
  let sum = 0;
  for (let i = 0; i < 14; i++) {
    const value = ALPHABET.indexOf(first14[i]);
    const product = value * (i % 2 === 0 ? 1 : 2);
    sum += Math.floor(product / 36) + (product % 36);
  }
  return ALPHABET[(36 - (sum % 36)) % 36];
}

/**
 * A GSTIN: state code (01–38 or 97/99), PAN, entity code, `Z`, check character.
 * `27AAPFU0939F1ZV` is valid; `27AAPFU0939F1ZO` has a bad check character.
 */
export function validateGstin(input: string): { ok: true; gstin: string; stateCode: string } | { ok: false; reason: string } {
  const gstin = input.trim().toUpperCase();
  const match = SHAPE.exec(gstin);
  if (!match) return { ok: false, reason: 'must be 15 characters: state code, PAN, entity code, Z and a check character' };
  const state = Number(match[1]);
  if (!((state >= 1 && state <= 38) || state === 97 || state === 99)) return { ok: false, reason: `${match[1]} is not a state code` };
  if (gstinCheckCharacter(gstin.slice(0, 14)) !== gstin[14]) return { ok: false, reason: 'has a wrong check character' };
  return { ok: true, gstin, stateCode: match[1] };
}
