import { kolkataDate } from './age';

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const EARLIEST = '1900-01-01';

export interface BirthForDeathCheck {
  dateOfBirth: string | null;
  /** An estimated date of birth (from an age) may be up to a year late, so it binds a year earlier. */
  estimated: boolean;
}

/**
 * Null when `iso` can be a patient's date of death; otherwise a sentence saying why not:
 * not `YYYY-MM-DD`, not a real calendar date (2023-02-30, the year 0), before 1900, in the
 * future (by the Indian date), or before the patient was born.
 */
export function validateDateOfDeath(iso: string, today: Date, birth: BirthForDeathCheck): string | null {
  const match = ISO_DATE.exec(iso);
  if (!match) return 'A date of death is written YYYY-MM-DD, e.g. 2025-08-14.';
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (month < 1 || month > 12 || day < 1 || day > new Date(Date.UTC(year, month, 0)).getUTCDate() || year < 1) {
    return `${iso} is not a date on the calendar.`;
  }
  if (iso < EARLIEST) return `A date of death before ${EARLIEST} is not accepted.`;
  if (iso > kolkataDate(today)) return `The date of death ${iso} is in the future.`;
  if (birth.dateOfBirth) {
    if (!birth.estimated && iso < birth.dateOfBirth) return `The date of death ${iso} is before the date of birth ${birth.dateOfBirth}.`;
    if (birth.estimated && iso < yearBefore(birth.dateOfBirth)) {
      return `The date of death ${iso} is more than a year before the estimated date of birth ${birth.dateOfBirth}.`;
    }
  }
  return null;
}

function yearBefore(iso: string): string {
  return `${String(Number(iso.slice(0, 4)) - 1).padStart(4, '0')}${iso.slice(4)}`;
}
