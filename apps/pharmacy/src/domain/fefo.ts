import { isUsable } from './expiry';

/** A batch's stock in one store, as the picker sees it. */
export interface BatchStock {
  batchId: string;
  expiry: string; // YYYY-MM-DD
  onHand: number;
}

export interface Pick {
  batchId: string;
  quantity: number;
}

/**
 * First-expiry-first-out: takes `quantity` from the batches that expire soonest, never from a
 * batch that has expired by `today` (a batch is usable through its expiry date, inclusive), and
 * returns null when usable stock is short (never a part-fill).
 */
export function pickFefo(batches: readonly BatchStock[], quantity: number, today: string): Pick[] | null {
  if (!Number.isInteger(quantity) || quantity <= 0) throw new RangeError('quantity must be a positive whole number');
  const usable = batches.filter((b) => isUsable(b.expiry, today) && b.onHand > 0).sort((a, b) => (a.expiry === b.expiry ? a.batchId.localeCompare(b.batchId) : a.expiry < b.expiry ? -1 : 1));
  const picks: Pick[] = [];
  let left = quantity;
  for (const b of usable) {
    if (left === 0) break;
    const take = Math.min(b.onHand, left);
    picks.push({ batchId: b.batchId, quantity: take });
    left -= take;
  }
  return left === 0 ? picks : null;
}

/** Units of the batches still usable on `today`. */
export function usableOnHand(batches: readonly BatchStock[], today: string): number {
  return batches.filter((b) => isUsable(b.expiry, today)).reduce((n, b) => n + b.onHand, 0);
}
