import { IP_SEQUENCE_DIGITS, financialYear, formatIpNumber, ipNumberPrefix } from './ip-number';

describe('financialYear (April to March, Indian time)', () => {
  it.each([
    ['2026-04-01T00:00:00+05:30', '2026-27'],
    ['2026-03-31T23:59:59+05:30', '2025-26'],
    // 18:30 UTC on 31 March is midnight in India: the new year has begun there.
    ['2026-03-31T18:29:59.999Z', '2025-26'],
    ['2026-03-31T18:30:00Z', '2026-27'],
    ['2027-01-15T10:00:00+05:30', '2026-27'],
    ['2099-12-31T12:00:00Z', '2099-00'],
    ['2000-02-29T12:00:00Z', '1999-00'],
  ])('%s falls in %s', (instant, fy) => {
    expect(financialYear(new Date(instant))).toBe(fy);
  });
});

describe('formatIpNumber', () => {
  it('writes the series and a six-digit sequence', () => {
    expect(formatIpNumber('2026-27', 1)).toBe('IP/26-27/000001');
    expect(formatIpNumber('2026-27', 123)).toBe('IP/26-27/000123');
    expect(formatIpNumber('2099-00', 999_999)).toBe('IP/99-00/999999');
  });

  it('is the prefix and the sequence padded to the width the database writes it with', () => {
    expect(ipNumberPrefix('2026-27')).toBe('IP/26-27/');
    expect(IP_SEQUENCE_DIGITS).toBe(6);
    // Past 999999 the sequence grows a digit rather than being cut (lpad to greatest(6, length)).
    expect(formatIpNumber('2026-27', 1_234_567)).toBe('IP/26-27/1234567');
  });

  it('refuses a sequence that is not a positive whole number', () => {
    expect(() => formatIpNumber('2026-27', 0)).toThrow(RangeError);
    expect(() => formatIpNumber('2026-27', -3)).toThrow(RangeError);
    expect(() => formatIpNumber('2026-27', 1.5)).toThrow(RangeError);
  });
});
