import { formatUhid, looksLikeUhid, validateUhidPrefix } from './uhid';

describe('WF-01 formatUhid', () => {
  it('pads the sequence to 8 digits after the prefix', () => {
    expect(formatUhid('MAIN', 42)).toBe('MAIN00000042');
    expect(formatUhid('BLR2', 1)).toBe('BLR200000001');
    expect(formatUhid('AB', 99_999_999)).toBe('AB99999999');
  });

  it('grows past 8 digits instead of truncating', () => {
    expect(formatUhid('MAIN', 123_456_789)).toBe('MAIN123456789');
  });

  it.each([0, -1, 1.5, Number.NaN])('refuses the sequence %p', (sequence) => {
    expect(() => formatUhid('MAIN', sequence)).toThrow(RangeError);
  });

  it('refuses an invalid prefix', () => {
    expect(() => formatUhid('main', 1)).toThrow('capital letters');
  });
});

describe('validateUhidPrefix', () => {
  it.each(['AB', 'MAIN', 'BLR2', 'ABCDEFGH', 'H1'])('accepts %s', (prefix) => {
    expect(validateUhidPrefix(prefix)).toBeNull();
  });

  it.each(['A', 'ABCDEFGHI', ''])('rejects the length of %p', (prefix) => {
    expect(validateUhidPrefix(prefix)).toContain('2 to 8 characters');
  });

  it.each(['1AB', 'main', 'AB-C', 'AB C', 'ÅB'])('rejects the characters of %p', (prefix) => {
    expect(validateUhidPrefix(prefix)).toBe(
      'A UHID prefix has only capital letters A-Z and digits, and starts with a letter.',
    );
  });
});

describe('looksLikeUhid', () => {
  it.each(['MAIN00000042', 'main00000042', ' BLR200000001 ', 'AB123456'])('%p looks like a UHID', (q) => {
    expect(looksLikeUhid(q)).toBe(true);
  });

  it.each(['MAIN12345', '00000042', 'Anita Devi', '+919812300001', 'MAIN-00000042', 'MAIN00000042X', ''])(
    '%p does not',
    (q) => {
      expect(looksLikeUhid(q)).toBe(false);
    },
  );
});
