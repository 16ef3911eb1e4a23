import { indianDate, isCalendarDate } from './dates';

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

describe('isCalendarDate', () => {
  it('accepts real days written YYYY-MM-DD', () => {
    for (const d of ['2025-09-22', '2024-02-29', '2026-12-31', '2000-02-29']) expect([d, isCalendarDate(d)]).toEqual([d, true]);
  });
  it('refuses days that do not exist and other spellings', () => {
    for (const d of ['2025-02-29', '2026-02-30', '2026-04-31', '2026-13-01', '2026-00-10', '2026-01-00', '1900-02-29', '2026-1-01', '26-01-01', '2026/01/01', '01-01-2026', '2026-01-01T00:00', ' 2026-01-01', '']) {
      expect([d, isCalendarDate(d)]).toEqual([d, false]);
    }
  });
});
