import { isExpired } from './expiry';

/** A batch's stock of an item in one store. */
export interface StockOfBatch {
  itemId: string;
  batchId: string;
  expiry: string; // YYYY-MM-DD
  onHand: number;
}

/** A signed change to a batch's stock in the same store. */
export interface StockDelta {
  itemId: string;
  batchId: string;
  expiry: string;
  quantity: number;
}


/**
 * The first batch that the changes would take below zero, with what it has, or null. Changes to
 * one batch are summed first, as the ledger applies them.
 */
export function firstShortfall(stock: readonly StockOfBatch[], deltas: readonly StockDelta[]): { batchId: string; itemId: string; available: number; change: number } | null {
  const net = new Map<string, StockDelta>();
  for (const d of deltas) {
    const seen = net.get(d.batchId);
    net.set(d.batchId, seen ? { ...seen, quantity: seen.quantity + d.quantity } : { ...d });
  }
  for (const d of net.values()) {
    const available = stock.find((s) => s.batchId === d.batchId)?.onHand ?? 0;
    if (available + d.quantity < 0) return { batchId: d.batchId, itemId: d.itemId, available, change: d.quantity };
  }
  return null;
}

/**
 * Usable (unexpired) stock per item before and after the changes, for the items whose usable stock
 * goes down: the candidates for a reorder alert.
 */
export function usableDrops(stock: readonly StockOfBatch[], deltas: readonly StockDelta[], today: string): { itemId: string; before: number; after: number }[] {
  const items = [...new Set(deltas.map((d) => d.itemId))].sort();
  const drops: { itemId: string; before: number; after: number }[] = [];
  for (const itemId of items) {
    const before = stock.filter((s) => s.itemId === itemId && !isExpired(s.expiry, today)).reduce((n, s) => n + s.onHand, 0);
    const change = deltas.filter((d) => d.itemId === itemId && !isExpired(d.expiry, today)).reduce((n, d) => n + d.quantity, 0);
    if (change < 0) drops.push({ itemId, before, after: before + change });
  }
  return drops;
}

/** A reorder alert is raised once per crossing: when stock at or above the level goes below it. */
export const crossesReorderLevel = (before: number, after: number, reorderLevel: number) => before >= reorderLevel && after < reorderLevel;

/** Counted minus on hand per counted batch (a batch not in the balances has none on hand). */
export function stockTakeDifferences(
  counts: readonly { batchId: string; countedQuantity: number }[],
  onHand: ReadonlyMap<string, number>,
): { batchId: string; onHand: number; counted: number; difference: number }[] {
  return counts.map((c) => {
    const had = onHand.get(c.batchId) ?? 0;
    return { batchId: c.batchId, onHand: had, counted: c.countedQuantity, difference: c.countedQuantity - had };
  });
}

/** What a patient may still return of a dispensed batch. */
export const returnable = (line: { quantity: number; returnedQuantity: number }) => line.quantity - line.returnedQuantity;

/** Near-expiry window in days: 1 to 730, 90 when not given. */
export function nearExpiryDays(value: string | undefined): number | null {
  if (value === undefined || value === '') return 90;
  if (!/^\d{1,3}$/.test(value)) return null;
  const days = Number(value);
  return days >= 1 && days <= 730 ? days : null;
}

/** The calendar date `days` after `date` (both YYYY-MM-DD). */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}
