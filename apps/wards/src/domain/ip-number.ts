import { financialYear as indianFinancialYear } from '@hms/platform-time';

/**
 * The Indian financial year (April to March, in Indian time) an instant falls in, as `2026-27`.
 * 2026-03-31T20:00Z is already 1 April in India, so it belongs to 2026-27.
 */
export function financialYear(instant: Date): string {
  return indianFinancialYear(instant).label;
}

/** The sequence's digits at least (more once a year's series passes 999999). */
export const IP_SEQUENCE_DIGITS = 6;

/** What every IP number of a financial year's series starts with: `IP/26-27/`. */
export function ipNumberPrefix(financialYearLabel: string): string {
  const [from, to] = financialYearLabel.split('-');
  return `IP/${from.slice(2)}-${to}/`;
}

/** IP numbers run per branch and financial year: `IP/26-27/000123`. */
export function formatIpNumber(financialYearLabel: string, sequence: number): string {
  if (!Number.isInteger(sequence) || sequence < 1) throw new RangeError('an IP sequence starts at 1');
  return `${ipNumberPrefix(financialYearLabel)}${String(sequence).padStart(IP_SEQUENCE_DIGITS, '0')}`;
}
