import { formatAbhaNumber, luhnValid, maskAbhaNumber, normalizeAbhaNumber, validateAbhaAddress } from './abha';

describe('ABDM-01 normalizeAbhaNumber', () => {
  it.each([
    ['91-3772-0586-4665', 'hyphenated'],
    ['91377205864665', '14 plain digits'],
    ['91 3772 0586 4665', 'spaces in the same grouping'],
    ['  91-3772-0586-4665  ', 'surrounding whitespace'],
  ])('accepts %s (%s)', (input) => {
    expect(normalizeAbhaNumber(input)).toEqual({
      ok: true,
      digits: '91377205864665',
      formatted: '91-3772-0586-4665',
      luhnValid: true,
    });
  });

  it('rejects 13 digits, saying how many there are', () => {
    const result = normalizeAbhaNumber('91-3772-0586-466');
    expect(result).toEqual({ ok: false, reason: 'An ABHA number has 14 digits; this one has 13.' });
  });

  it('rejects 15 plain digits', () => {
    expect(normalizeAbhaNumber('913772058646651')).toMatchObject({ ok: false, reason: expect.stringContaining('15') });
  });

  it.each(['9137-7205-8646-65', '9137 7205 8646 65', '91-3772-0586-46-65', '91-3772 0586-4665', '-91-3772-0586-4665'])(
    'rejects the wrong grouping %s',
    (input) => {
      const result = normalizeAbhaNumber(input);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.reason).toContain('XX-XXXX-XXXX-XXXX');
    },
  );

  it.each(['91-3772-0586-466A', '91/3772/0586/4665', 'abc'])('rejects non-digits in %s', (input) => {
    expect(normalizeAbhaNumber(input)).toEqual({
      ok: false,
      reason: 'An ABHA number has only digits, written XX-XXXX-XXXX-XXXX.',
    });
  });

  it('rejects an empty value', () => {
    expect(normalizeAbhaNumber('   ')).toEqual({ ok: false, reason: 'The ABHA number is empty.' });
  });
});

describe('ABDM-02 Luhn check digit is a warning, not a rejection', () => {
  it('91-3772-0586-4665 passes Luhn', () => {
    expect(luhnValid('91377205864665')).toBe(true);
  });

  it.each(['91-3772-0586-4664', '91-1111-1111-1111'])('%s fails Luhn but is still accepted', (input) => {
    const result = normalizeAbhaNumber(input);
    expect(result).toMatchObject({ ok: true, luhnValid: false });
  });

  it('is Luhn, not Verhoeff: a known Luhn number passes and a single-digit change fails', () => {
    expect(luhnValid('79927398713')).toBe(true);
    expect(luhnValid('79927398710')).toBe(false);
  });

  it('is false for anything that is not digits', () => {
    expect(luhnValid('')).toBe(false);
    expect(luhnValid('9')).toBe(false);
    expect(luhnValid('91-3772-0586-4665')).toBe(false);
  });
});

describe('ABDM-03 maskAbhaNumber', () => {
  it('shows only the last 4 digits', () => {
    expect(maskAbhaNumber('91377205864665')).toBe('XX-XXXX-XXXX-4665');
  });

  it('accepts the hyphenated form too', () => {
    expect(maskAbhaNumber('91-3772-0586-4665')).toBe('XX-XXXX-XXXX-4665');
  });

  it('masks everything when given something that is not an ABHA number', () => {
    expect(maskAbhaNumber('9137720586466')).toBe('XX-XXXX-XXXX-XXXX');
    expect(maskAbhaNumber('')).toBe('XX-XXXX-XXXX-XXXX');
  });

  it('formatAbhaNumber groups 2-4-4-4', () => {
    expect(formatAbhaNumber('91377205864665')).toBe('91-3772-0586-4665');
  });
});

describe('ABDM-04 validateAbhaAddress', () => {
  it.each([
    ['abdulkalam@abdm', 'abdulkalam@abdm'],
    ['ramprakash_95@sbx', 'ramprakash_95@sbx'],
    ['a.b_c@abdm', 'a.b_c@abdm'],
    ['abc@abdm', 'abc@abdm'],
    ['  AbdulKalam@ABDM ', 'abdulkalam@abdm'],
  ])('accepts %s as %s', (input, value) => {
    expect(validateAbhaAddress(input)).toEqual({ ok: true, value });
  });

  it.each(['.abc@abdm', 'abc.@abdm', 'ab@abdm', '_abc@abdm', 'ab-c@abdm', 'abc@@abdm'])('rejects %s', (input) => {
    const result = validateAbhaAddress(input);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toContain('before @');
  });

  it.each(['abc@gmail', 'abc@abdm.in', 'abcabdm', 'abc@'])('rejects %s for its domain', (input) => {
    expect(validateAbhaAddress(input)).toEqual({
      ok: false,
      reason: 'An ABHA address ends in @abdm (or @sbx in the ABDM sandbox).',
    });
  });

  it('rejects an empty value', () => {
    expect(validateAbhaAddress('')).toEqual({ ok: false, reason: 'The ABHA address is empty.' });
  });

  it('applies a maximum length of 64 by default, and a configured one when given [U]', () => {
    const local64 = 'a'.repeat(59); // + '@abdm' = 64
    expect(validateAbhaAddress(`${local64}@abdm`).ok).toBe(true);
    expect(validateAbhaAddress(`${local64}a@abdm`)).toEqual({
      ok: false,
      reason: 'An ABHA address has at most 64 characters; this one has 65.',
    });
    expect(validateAbhaAddress('abdulkalam@abdm', 14).ok).toBe(false);
    expect(validateAbhaAddress('abdulkalam@abdm', 15).ok).toBe(true);
  });
});
