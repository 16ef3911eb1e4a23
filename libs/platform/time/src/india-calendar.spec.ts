import { financialYear, indianDate, indianDateRange, indianDayRange, indianMidday, istDateTime } from './india-calendar';

describe('indianDate: the day in India (UTC+05:30)', () => {
  it.each([
    ['2026-03-31T18:29:59.999Z', '2026-03-31'], // last millisecond of 31 March in India
    ['2026-03-31T18:30:00.000Z', '2026-04-01'], // midnight in India: already 1 April
    ['2028-02-28T18:30:00.000Z', '2028-02-29'], // leap day begins
    ['2028-02-29T18:29:59.999Z', '2028-02-29'],
    ['2028-02-29T18:30:00.000Z', '2028-03-01'],
    ['2026-12-31T18:29:59.999Z', '2026-12-31'], // year boundary
    ['2026-12-31T18:30:00.000Z', '2027-01-01'],
    ['2027-01-01T00:00:00.000Z', '2027-01-01'],
  ])('%s is %s in India', (instant, date) => {
    expect(indianDate(new Date(instant))).toBe(date);
  });
});

describe('istDateTime: an instant written in Indian time, to the second', () => {
  it.each([
    ['2026-04-01T05:00:00Z', '2026-04-01T10:30:00+05:30'],
    ['2026-03-31T18:30:00.250Z', '2026-04-01T00:00:00+05:30'], // milliseconds dropped, not rounded
    ['2026-12-31T18:29:59.999Z', '2026-12-31T23:59:59+05:30'],
  ])('%s is %s', (instant, text) => {
    expect(istDateTime(new Date(instant))).toBe(text);
  });

  it('is the same instant when read back', () => {
    const at = new Date('2026-07-15T03:04:05Z');
    expect(new Date(istDateTime(at)).getTime()).toBe(at.getTime());
  });
});

describe('indianDayRange: a day in India as a half-open range', () => {
  it('runs from midnight in India to the next midnight', () => {
    expect(indianDayRange('2026-04-01')).toEqual({ start: new Date('2026-03-31T18:30:00Z'), end: new Date('2026-04-01T18:30:00Z') });
  });

  it('covers a leap day and crosses the year', () => {
    expect(indianDayRange('2028-02-29')).toEqual({ start: new Date('2028-02-28T18:30:00Z'), end: new Date('2028-02-29T18:30:00Z') });
    expect(indianDayRange('2026-12-31')).toEqual({ start: new Date('2026-12-30T18:30:00Z'), end: new Date('2026-12-31T18:30:00Z') });
  });

  it('holds exactly the instants whose Indian date it is', () => {
    const { start, end } = indianDayRange('2026-03-31');
    expect(indianDate(start)).toBe('2026-03-31');
    expect(indianDate(new Date(end.getTime() - 1))).toBe('2026-03-31');
    expect(indianDate(end)).toBe('2026-04-01');
  });

  it.each(['2026-02-29', '2026-02-30', '2026-13-01', '2026-4-1', '', 'today'])('refuses %j rather than rolling it over', (date) => {
    expect(() => indianDayRange(date)).toThrow(RangeError);
  });
});

describe('indianDateRange: Indian dates, both inclusive', () => {
  it('starts at the first day and ends after the last', () => {
    expect(indianDateRange('2026-03-01', '2026-03-31')).toEqual({ start: new Date('2026-02-28T18:30:00Z'), end: new Date('2026-03-31T18:30:00Z') });
  });

  it('is one day when both are the same', () => {
    expect(indianDateRange('2028-02-29', '2028-02-29')).toEqual(indianDayRange('2028-02-29'));
  });
});

describe('indianMidday', () => {
  it('is noon in India, safely on that date', () => {
    expect(indianMidday('2028-02-29')).toEqual(new Date('2028-02-29T06:30:00Z'));
    expect(indianDate(indianMidday('2026-01-01'))).toBe('2026-01-01');
  });
});

describe('financialYear: April to March, by the date in India', () => {
  it.each([
    ['2026-03-31T18:29:59.999Z', '2025-26'],
    ['2026-03-31T18:30:00.000Z', '2026-27'],
    ['2026-12-31T18:30:00.000Z', '2026-27'], // 1 January 2027 in India: same financial year
    ['2028-02-29T12:00:00.000Z', '2027-28'],
    ['2099-04-01T00:00:00.000Z', '2099-00'],
  ])('%s falls in %s', (instant, label) => {
    expect(financialYear(new Date(instant)).label).toBe(label);
  });

  it('gives the first and last day of the year', () => {
    expect(financialYear('2026-03-31')).toEqual({ label: '2025-26', start: '2025-04-01', end: '2026-03-31' });
    expect(financialYear('2026-04-01')).toEqual({ label: '2026-27', start: '2026-04-01', end: '2027-03-31' });
    expect(financialYear('2028-02-29')).toEqual({ label: '2027-28', start: '2027-04-01', end: '2028-03-31' });
    expect(financialYear('2027-01-01')).toEqual({ label: '2026-27', start: '2026-04-01', end: '2027-03-31' });
  });

  it('refuses a date that does not exist', () => {
    expect(() => financialYear('2026-02-29')).toThrow(RangeError);
  });
});
