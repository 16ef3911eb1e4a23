import { validateDateOfDeath } from './death';

const today = new Date('2025-08-14T06:00:00Z'); // 14 Aug 2025, 11:30 in India
const born = (dateOfBirth: string | null, estimated = false) => ({ dateOfBirth, estimated });

describe('validateDateOfDeath', () => {
  it.each([
    ['2025-08-14', born('1950-03-01')],
    ['2025-08-10', born(null)],
    ['1950-03-01', born('1950-03-01')], // died on the day of birth
    ['2024-06-30', born('2025-01-01', true)], // an estimated birth date may be up to a year late
    ['1900-01-01', born(null)],
  ])('accepts %s', (iso, birth) => {
    expect(validateDateOfDeath(iso, today, birth)).toBeNull();
  });

  it.each([
    ['0000-01-01', '0000-01-01 is not a date on the calendar.'],
    ['2025-02-29', '2025-02-29 is not a date on the calendar.'],
    ['2025-04-31', '2025-04-31 is not a date on the calendar.'],
    ['2025-13-01', '2025-13-01 is not a date on the calendar.'],
    ['1899-12-31', 'A date of death before 1900-01-01 is not accepted.'],
    ['14-08-2025', 'A date of death is written YYYY-MM-DD, e.g. 2025-08-14.'],
    ['2025-08-14T00:00:00Z', 'A date of death is written YYYY-MM-DD, e.g. 2025-08-14.'],
    ['', 'A date of death is written YYYY-MM-DD, e.g. 2025-08-14.'],
    ['2025-08-15', 'The date of death 2025-08-15 is in the future.'],
  ])('refuses %p: %s', (iso, message) => {
    expect(validateDateOfDeath(iso, today, born(null))).toBe(message);
  });

  it('judges the future by the Indian date', () => {
    // 14 Aug 2025 20:00 UTC is already 15 Aug in India.
    expect(validateDateOfDeath('2025-08-15', new Date('2025-08-14T20:00:00Z'), born(null))).toBeNull();
  });

  it('refuses a death before birth; a year before an estimated birth date', () => {
    expect(validateDateOfDeath('1950-02-28', today, born('1950-03-01'))).toBe('The date of death 1950-02-28 is before the date of birth 1950-03-01.');
    expect(validateDateOfDeath('2023-12-31', today, born('2025-01-01', true))).toBe(
      'The date of death 2023-12-31 is more than a year before the estimated date of birth 2025-01-01.',
    );
  });
});
