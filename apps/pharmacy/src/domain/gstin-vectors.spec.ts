import { gstinCheckCharacter, validateGstin } from './gstin';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const VALID = '27AAPFU0939F1ZV';

describe('GSTIN (GST-12): more vectors', () => {
  it('detects every single-character change of a valid GSTIN (Luhn mod 36), by shape or by check character', () => {
    for (let i = 0; i < VALID.length; i++) {
      for (const c of ALPHABET) {
        if (c === VALID[i]) continue;
        const changed = VALID.slice(0, i) + c + VALID.slice(i + 1);
        expect([changed, validateGstin(changed).ok]).toEqual([changed, false]);
      }
    }
  });

  it('detects a swap of two neighbouring characters in the check-summed part', () => {
    for (let i = 0; i < 13; i++) {
      if (VALID[i] === VALID[i + 1]) continue;
      const swapped = VALID.slice(0, i) + VALID[i + 1] + VALID[i] + VALID.slice(i + 2);
      // Luhn mod 36 misses only the swap of 0 and Z; none is in this GSTIN.
      expect([swapped, validateGstin(swapped).ok]).toEqual([swapped, false]);
    }
  });

  it('knows the state codes: 01 to 38, 97 (other territory) and 99 (centre jurisdiction)', () => {
    const withState = (state: string) => {
      const first14 = `${state}AAPFU0939F1Z`;
      return first14 + gstinCheckCharacter(first14);
    };
    for (const state of ['01', '07', '27', '29', '38', '97', '99']) expect(validateGstin(withState(state))).toEqual({ ok: true, gstin: withState(state), stateCode: state });
    for (const state of ['00', '39', '40', '96', '98']) expect(validateGstin(withState(state))).toEqual({ ok: false, reason: `${state} is not a state code` });
  });

  it('needs an entity code of 1–9 or A–Z and a Z in the 14th place', () => {
    const first14 = '27AAPFU0939F0Z';
    expect(validateGstin(first14 + gstinCheckCharacter(first14)).ok).toBe(false);
    const noZ = '27AAPFU0939F1Y';
    expect(validateGstin(noZ + gstinCheckCharacter(noZ)).ok).toBe(false);
  });

  it('reads a GSTIN typed in lower case or with spaces around it, and returns it in capitals', () => {
    expect(validateGstin('\t27aapfu0939f1zv\n')).toEqual({ ok: true, gstin: VALID, stateCode: '27' });
    expect(validateGstin('27AAPFU 0939F1ZV').ok).toBe(false);
  });
});
