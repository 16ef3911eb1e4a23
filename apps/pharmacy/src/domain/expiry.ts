/**
 * The expiry convention: a batch is usable through its expiry date, inclusive, and expired from
 * the day after (judged by the Indian date). Strips print the expiry as a month and year; such an
 * expiry means the last day of that month.
 */

/** Expired on `today`: its expiry date has passed. On the expiry date itself it is still usable. */
export const isExpired = (expiry: string, today: string) => expiry < today;

/** Usable on `today`: not past its expiry date. */
export const isUsable = (expiry: string, today: string) => expiry >= today;

/** Days left on `today`: 0 on the expiry date (its last usable day), negative once expired. */
export function daysToExpiry(expiry: string, today: string): number {
  return Math.round((Date.parse(`${expiry}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / 86_400_000);
}

/**
 * Whether a batch received on `today` leaves the store's minimum shelf life: at least `minDays`
 * days to its expiry date. With 0, a batch is received up to and including its expiry date.
 */
export const meetsMinimumShelfLife = (expiry: string, today: string, minDays: number) => daysToExpiry(expiry, today) >= minDays;

/** The years an expiry may name, as for every date the platform takes. */
const FIRST_YEAR = 1900;
const LAST_YEAR = 2199;

/** The last day of a month (1–12) of a year, YYYY-MM-DD. */
export function lastDayOfMonth(year: number, month: number): string {
  const day = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/**
 * An expiry printed as month and year, `MM/YYYY` (as on Indian strips) or `YYYY-MM`, as the last
 * day of that month; null when `text` is neither, or names no month from 1900 to 2199.
 */
export function monthYearExpiry(text: string): string | null {
  const printed = /^(\d{2})\/(\d{4})$/.exec(text);
  const iso = /^(\d{4})-(\d{2})$/.exec(text);
  if (!printed && !iso) return null;
  const [month, year] = printed ? [Number(printed[1]), Number(printed[2])] : [Number(iso?.[2]), Number(iso?.[1])];
  if (month < 1 || month > 12 || year < FIRST_YEAR || year > LAST_YEAR) return null;
  return lastDayOfMonth(year, month);
}
