const IST_OFFSET_MS = 5.5 * 60 * 60 * 1000;

/**
 * The Indian financial year (April to March, in Indian time) an instant falls in, as `2026-27`.
 * 2026-03-31T20:00Z is already 1 April in India, so it belongs to 2026-27.
 */
export function financialYear(instant: Date): string {
  const ist = new Date(instant.getTime() + IST_OFFSET_MS);
  const year = ist.getUTCFullYear();
  const start = ist.getUTCMonth() >= 3 ? year : year - 1;
  return `${start}-${String((start + 1) % 100).padStart(2, '0')}`;
}

/** IP numbers run per branch and financial year: `IP/26-27/000123`. */
export function formatIpNumber(financialYearLabel: string, sequence: number): string {
  if (!Number.isInteger(sequence) || sequence < 1) throw new RangeError('an IP sequence starts at 1');
  const [from, to] = financialYearLabel.split('-');
  return `IP/${from.slice(2)}-${to}/${String(sequence).padStart(6, '0')}`;
}
