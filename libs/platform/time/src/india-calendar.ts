/**
 * The Indian calendar as hospitals use it: dates of admission, expiry, tariffs, registers and the
 * April–March financial year are all days in India. India Standard Time has been a fixed UTC+05:30
 * since 1945 (no daylight saving), so plain arithmetic is exact and no time-zone database is needed.
 */
export const IST_OFFSET_MS = (5 * 60 + 30) * 60 * 1000;

const DAY_MS = 24 * 60 * 60 * 1000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** An Indian date's `YYYY-MM-DD` and the financial year (April to March) it falls in. */
export interface FinancialYear {
  /** `2025-26`: the form on IP numbers, GST returns and statutory registers. */
  label: string;
  /** 1 April, `YYYY-04-01`. */
  start: string;
  /** 31 March of the next year, `YYYY-03-31`. */
  end: string;
}

/** The calendar date in India at `instant`, as `YYYY-MM-DD`. */
export function indianDate(instant: Date): string {
  return new Date(instant.getTime() + IST_OFFSET_MS).toISOString().slice(0, 10);
}

/** The instant in India at `instant`, to the second, with its offset: `2026-04-01T10:30:00+05:30`. */
export function istDateTime(instant: Date): string {
  return `${new Date(instant.getTime() + IST_OFFSET_MS).toISOString().slice(0, 19)}+05:30`;
}

/** Midnight UTC of a `YYYY-MM-DD`, refusing dates that do not exist (30 February) rather than rolling over. */
function utcMidnight(date: string): number {
  const m = ISO_DATE.exec(date);
  if (m) {
    const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const d = new Date(0);
    d.setUTCFullYear(year, month - 1, day); // not Date.UTC, which reads years 0–99 as 1900–1999
    if (d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day) return d.getTime();
  }
  throw new RangeError(`${date} is not a calendar date`);
}

/** A day in India as a half-open range of instants: its midnight, up to (not including) the next. */
export function indianDayRange(date: string): { start: Date; end: Date } {
  const start = utcMidnight(date) - IST_OFFSET_MS;
  return { start: new Date(start), end: new Date(start + DAY_MS) };
}

/** Indian dates `from` to `to`, both inclusive, as a half-open range: start of `from` up to the end of `to`. */
export function indianDateRange(from: string, to: string): { start: Date; end: Date } {
  return { start: indianDayRange(from).start, end: indianDayRange(to).end };
}

/** Noon in India on a date: an instant that is unmistakably on that Indian date. */
export function indianMidday(date: string): Date {
  return new Date(utcMidnight(date) - IST_OFFSET_MS + DAY_MS / 2);
}

/**
 * The Indian financial year (April to March) of a date in India, or of an instant by its date in
 * India: 2026-03-31T20:00Z is already 1 April in India, so it belongs to 2026-27.
 */
export function financialYear(date: string | Date): FinancialYear {
  const day = typeof date === 'string' ? date : indianDate(date);
  const d = new Date(utcMidnight(day));
  const year = d.getUTCFullYear();
  const first = d.getUTCMonth() >= 3 ? year : year - 1;
  return {
    label: `${first}-${String((first + 1) % 100).padStart(2, '0')}`,
    start: `${String(first).padStart(4, '0')}-04-01`,
    end: `${String(first + 1).padStart(4, '0')}-03-31`,
  };
}
