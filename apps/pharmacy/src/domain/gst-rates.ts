/**
 * GST rates on goods that were in force on a date, in basis points (500 = 5%), so that a rate on
 * the item master (GST-05) is a real one for its effective date: `gstRateBp: 700` never is.
 *
 * Sources:
 * - from 1 July 2017 (GST began), Notification 1/2017-Central Tax (Rate) and its companions:
 *   0, 0.25, 3, 5, 12, 18 and 28%;
 * - from 22 September 2025, Notification 9/2025-Central Tax (Rate) of 17 September 2025, after
 *   the 56th GST Council meeting: 0, 0.25, 3, 5, 18 and 40% (most medicines moved from 12% to 5%
 *   or nil, devices to 5%).
 *
 * 12% and 28% stay accepted after 22 September 2025: Notification 14/2025-Central Tax (Rate) of
 * the same day keeps 12% (6% + 6%) on bricks and roofing tiles, and Schedule VII of 9/2025 kept 28%
 * (14% + 14%) on tobacco and pan masala until their compensation cess ended (reported as 1 February
 * 2026, when they moved to 40%). Refusing a rate someone may really charge is worse than accepting
 * a retired one. Rates no pharmacy item carries (0.1% for merchant exporters, 1.5% for cut
 * diamonds) are left out on purpose.
 */
export interface GstRatePeriod {
  /** First day (India) the rates apply, YYYY-MM-DD. */
  from: string;
  /** The slabs of the period. */
  slabsBp: readonly number[];
  /** Rates of an earlier period still charged on some goods. */
  retainedBp: readonly number[];
}

export const GST_RATE_PERIODS: readonly GstRatePeriod[] = [
  { from: '2017-07-01', slabsBp: [0, 25, 300, 500, 1200, 1800, 2800], retainedBp: [] },
  { from: '2025-09-22', slabsBp: [0, 25, 300, 500, 1800, 4000], retainedBp: [1200, 2800] },
];

/** The day GST took effect in India. */
export const GST_START = GST_RATE_PERIODS[0].from;

/** The highest rate any period knows (40%). */
export const MAX_GST_RATE_BP = Math.max(...GST_RATE_PERIODS.flatMap((p) => [...p.slabsBp, ...p.retainedBp]));

/** The rates in force on `date` (YYYY-MM-DD), ascending, or null before GST began. */
export function gstRatesInForce(date: string): number[] | null {
  const period = [...GST_RATE_PERIODS].reverse().find((p) => p.from <= date);
  if (!period) return null;
  return [...new Set([...period.slabsBp, ...period.retainedBp])].sort((a, b) => a - b);
}

/** Why `rateBp` cannot be a GST rate from `effectiveFrom`, or null when it is one in force then. */
export function gstRateProblem(rateBp: number, effectiveFrom: string): string | null {
  const rates = gstRatesInForce(effectiveFrom);
  if (!rates) return `there was no GST before ${GST_START}; give a date from then on`;
  if (rates.includes(rateBp)) return null;
  return `${rateBp} (${percent(rateBp)}) is not a GST rate in force on ${effectiveFrom}; the rates then are ${rates.map(percent).join(', ')}`;
}

const percent = (bp: number) => `${bp / 100}%`;
