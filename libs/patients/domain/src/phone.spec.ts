import { normalizeIndianMobile } from './phone';

describe('normalizeIndianMobile', () => {
  it.each([
    '+91 98123 00001',
    '+919812300001',
    '919812300001',
    '09812300001',
    '9812300001',
    '+91-98123-00001',
    '(+91) 98123 00001',
    '+91 (981) 230-0001',
    '98123.00001',
    '0091 98123 00001',
    '  9812300001  ',
  ])('accepts %s as +919812300001', (input) => {
    expect(normalizeIndianMobile(input)).toEqual({ ok: true, e164: '+919812300001' });
  });

  it.each(['6000000000', '7012345678', '8123456789'])('accepts mobiles starting 6, 7 and 8: %s', (input) => {
    expect(normalizeIndianMobile(input)).toEqual({ ok: true, e164: `+91${input}` });
  });

  it('reads a 10-digit mobile that starts with 91 as a mobile, not a country code', () => {
    expect(normalizeIndianMobile('9198123000')).toEqual({ ok: true, e164: '+919198123000' });
  });

  it.each([
    ['011 2345 6789', 'landline'],
    ['+91 22 2345 6789', 'landline'],
    ['5812300001', 'landline'],
  ])('rejects %s (not a mobile)', (input) => {
    const result = normalizeIndianMobile(input);
    expect(result).toEqual({
      ok: false,
      reason: 'Indian mobile numbers start with 6, 7, 8 or 9; this looks like a landline or an incomplete number.',
    });
  });

  it.each([
    ['981230000', 9],
    ['98123000011', 11],
    ['+91 98123 0000', 9],
    ['12345', 5],
  ])('rejects %s, which has %i digits', (input, count) => {
    expect(normalizeIndianMobile(input)).toEqual({
      ok: false,
      reason: `An Indian mobile number has 10 digits; this one has ${count}.`,
    });
  });

  it.each(['98123abcde', 'nine eight one', '98123 OOOO1'])('rejects letters in %s', (input) => {
    expect(normalizeIndianMobile(input)).toEqual({ ok: false, reason: 'A mobile number cannot contain letters.' });
  });

  it.each(['98123#00001', '98123/00001', '9812+300001', '++919812300001'])('rejects other characters in %s', (input) => {
    const result = normalizeIndianMobile(input);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toContain('only digits');
  });

  it('rejects other countries', () => {
    expect(normalizeIndianMobile('+44 7911 123456')).toEqual({
      ok: false,
      reason: 'Only Indian mobile numbers (+91) are accepted.',
    });
  });

  it('rejects an empty value', () => {
    expect(normalizeIndianMobile(' ')).toEqual({ ok: false, reason: 'The mobile number is empty.' });
  });
});
