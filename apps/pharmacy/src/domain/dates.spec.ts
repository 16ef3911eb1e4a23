import { indianDate } from './dates';

describe('indianDate: the day in India (UTC+05:30) that expiry and GST rates are judged by', () => {
  it('turns at midnight in India, 18:30 UTC the day before (GST-05: 21 Sep 2025 vs 22 Sep 2025)', () => {
    expect(indianDate(new Date('2025-09-21T18:29:59.999Z'))).toBe('2025-09-21');
    expect(indianDate(new Date('2025-09-21T18:30:00.000Z'))).toBe('2025-09-22');
    expect(indianDate(new Date('2025-09-22T00:00:00.000Z'))).toBe('2025-09-22');
  });
  it('crosses months, years and leap days like a calendar', () => {
    expect(indianDate(new Date('2025-12-31T18:30:00.000Z'))).toBe('2026-01-01');
    expect(indianDate(new Date('2028-02-28T18:30:00.000Z'))).toBe('2028-02-29');
    expect(indianDate(new Date('2026-02-28T18:30:00.000Z'))).toBe('2026-03-01');
  });
});

// Calendar dates are checked with the platform's shared rule at the DTO layer: dto.spec.ts.
