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

/** The largest ages a desk may give in months and in days (beyond them, give years). */
export const MAX_AGE_MONTHS = 23;
export const MAX_AGE_DAYS = 365;

/**
 * Estimated date of birth of a baby whose age is known in completed months: the 1st of the
 * month `ageMonths` before this month in India. Like the 1 January rule for years, the age
 * shown back is exactly the age entered on every day of the month, and the estimate is stable
 * through the month, so a repeat registration gets the same date. From 1 to 23 months (under a
 * month, give days; from two years, give years).
 */
export function dateOfBirthFromAgeMonths(ageMonths: number, today: Date): string {
  if (!Number.isInteger(ageMonths) || ageMonths < 1 || ageMonths > MAX_AGE_MONTHS) {
    throw ageError('ageMonths', `An age in months is a whole number from 1 to ${MAX_AGE_MONTHS}; ${ageMonths} is not.`, `Give a whole number of months from 1 to ${MAX_AGE_MONTHS}.`);
  }
  const [ty, tm] = kolkataDate(today).split('-').map(Number);
  const index = ty * 12 + (tm - 1) - ageMonths;
  return `${String(Math.floor(index / 12)).padStart(4, '0')}-${String((index % 12) + 1).padStart(2, '0')}-01`;
}

/** Estimated date of birth of a baby whose age is known in days: today in India minus `ageDays`. */
export function dateOfBirthFromAgeDays(ageDays: number, today: Date): string {
  if (!Number.isInteger(ageDays) || ageDays < 0 || ageDays > MAX_AGE_DAYS) {
    throw ageError('ageDays', `An age in days is a whole number from 0 to ${MAX_AGE_DAYS}; ${ageDays} is not.`, `Give a whole number of days from 0 to ${MAX_AGE_DAYS}.`);
  }
  const day = new Date(`${kolkataDate(today)}T00:00:00Z`);
  day.setUTCDate(day.getUTCDate() - ageDays);
  return day.toISOString().slice(0, 10);
}

function ageError(field: string, detail: string, message: string): DomainError {
  return new DomainError('validation', 'patient.age-invalid', detail, {}, [{ field, message }]);
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
 * Completed months between a date of birth and `today` in India. A month is complete on the
 * same day of the month, or on the month's last day when it is shorter (born 31 January: one
 * month old on 28 February).
 */
export function ageInMonthsOn(dateOfBirth: string, today: Date): number {
  const [by, bm, bd] = dateOfBirth.split('-').map(Number);
  const [ty, tm, td] = kolkataDate(today).split('-').map(Number);
  let months = (ty - by) * 12 + (tm - bm);
  if (td < Math.min(bd, daysInMonth(ty, tm))) months--;
  return months;
}

/** Whole days between a date of birth and `today` in India (0 on the day of birth). */
export function ageInDaysOn(dateOfBirth: string, today: Date): number {
  const born = Date.parse(`${dateOfBirth}T00:00:00Z`);
  const now = Date.parse(`${kolkataDate(today)}T00:00:00Z`);
  return Math.round((now - born) / 86_400_000);
}

export type AgeUnit = 'days' | 'months' | 'years';

export interface DisplayAge {
  value: number;
  unit: AgeUnit;
  /** `12 days`, `1 month`, `7 months`, `44 years`. */
  text: string;
}

/**
 * The age as a desk and a paediatrician say it: in days under one month, in months under two
 * years (how infants' and toddlers' doses and growth charts go), in years after that.
 */
export function displayAge(dateOfBirth: string, today: Date): DisplayAge {
  const months = ageInMonthsOn(dateOfBirth, today);
  if (months < 1) return age(Math.max(0, ageInDaysOn(dateOfBirth, today)), 'days');
  if (months < 24) return age(months, 'months');
  return age(ageOn(dateOfBirth, today), 'years');
}

function age(value: number, unit: AgeUnit): DisplayAge {
  return { value, unit, text: `${value} ${value === 1 ? unit.slice(0, -1) : unit}` };
}

/** Below this age a patient is a minor, for whom a guardian is recorded. */
export const AGE_OF_MAJORITY = 18;

/** Whether the patient is under 18 on `today` in India. */
export function isMinorOn(dateOfBirth: string, today: Date): boolean {
  return ageOn(dateOfBirth, today) < AGE_OF_MAJORITY;
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
