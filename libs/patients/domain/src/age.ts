import { DomainError } from '@hms/contracts-common';

/**
 * Dates of birth are Indian calendar dates: "today" is the date in Asia/Kolkata, which is
 * UTC+05:30 all year (India has no daylight saving), so no time-zone database is needed.
 */
const IST_OFFSET_MS = (5 * 60 + 30) * 60 * 1000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export const DEFAULT_MAX_AGE_YEARS = 130;

/** The calendar date in India at `instant`, as `YYYY-MM-DD`. */
export function kolkataDate(instant: Date): string {
  return new Date(instant.getTime() + IST_OFFSET_MS).toISOString().slice(0, 10);
}

/**
 * Estimated date of birth when only an age in years is known: 1 January of (this year in
 * India − age). Chosen over the alternatives because:
 *  - the age shown back is exactly the age entered, on every day of the year (1 July would
 *    show one year less until July);
 *  - it is stable for a calendar year, so the same person registered twice with the same age
 *    gets the same date of birth and the name + date-of-birth duplicate check still works
 *    (today's day minus N years would differ from visit to visit);
 *  - 1 January is what Indian identity documents print when only the year is known.
 * Callers mark such dates as estimated.
 */
export function dateOfBirthFromAge(ageYears: number, today: Date, maxAgeYears = DEFAULT_MAX_AGE_YEARS): string {
  if (!Number.isInteger(ageYears) || ageYears < 0 || ageYears > maxAgeYears) {
    throw new DomainError(
      'validation',
      'patient.age-invalid',
      `An age is a whole number of years from 0 to ${maxAgeYears}; ${ageYears} is not.`,
      {},
      [{ field: 'ageYears', message: `Give a whole number of years from 0 to ${maxAgeYears}.` }],
    );
  }
  const year = Number(kolkataDate(today).slice(0, 4)) - ageYears;
  return `${String(year).padStart(4, '0')}-01-01`;
}

/** Completed years between a `YYYY-MM-DD` date of birth and `today` in India. */
export function ageOn(dateOfBirth: string, today: Date): number {
  const [by, bm, bd] = dateOfBirth.split('-').map(Number);
  const [ty, tm, td] = kolkataDate(today).split('-').map(Number);
  let age = ty - by;
  if (tm < bm || (tm === bm && td < bd)) age--;
  return age;
}

/**
 * Null when `iso` is a plausible date of birth; otherwise a sentence saying why not:
 * not `YYYY-MM-DD`, not a real calendar date (2023-02-30), in the future, or an age above
 * `maxAgeYears` (130 unless configured).
 */
export function validateDateOfBirth(iso: string, today: Date, maxAgeYears = DEFAULT_MAX_AGE_YEARS): string | null {
  const match = ISO_DATE.exec(iso);
  if (!match) return 'A date of birth is written YYYY-MM-DD, e.g. 1984-07-15.';
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    return `${iso} is not a date on the calendar.`;
  }
  if (iso > kolkataDate(today)) return `The date of birth ${iso} is in the future.`;
  const age = ageOn(iso, today);
  if (age > maxAgeYears) return `A date of birth of ${iso} makes the patient ${age}, above the limit of ${maxAgeYears}.`;
  return null;
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * ABDM-14: in discovery, years of birth match when they differ by at most `toleranceYears`
 * (1980 matches 1982, not 1983).
 */
export function yearOfBirthMatches(a: number, b: number, toleranceYears = 2): boolean {
  return Math.abs(a - b) <= toleranceYears;
}
