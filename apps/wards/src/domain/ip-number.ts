import { financialYear as indianFinancialYear } from '@hms/platform-time';

/**
 * The Indian financial year (April to March, in Indian time) an instant falls in, as `2026-27`.
 * 2026-03-31T20:00Z is already 1 April in India, so it belongs to 2026-27.
 */
export function financialYear(instant: Date): string {
  return indianFinancialYear(instant).label;
}

/** IP numbers run per branch and financial year: `IP/26-27/000123`. */
export function formatIpNumber(financialYearLabel: string, sequence: number): string {
  if (!Number.isInteger(sequence) || sequence < 1) throw new RangeError('an IP sequence starts at 1');
  const [from, to] = financialYearLabel.split('-');
  return `IP/${from.slice(2)}-${to}/${String(sequence).padStart(6, '0')}`;
}
