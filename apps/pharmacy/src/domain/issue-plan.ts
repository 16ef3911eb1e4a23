import { isExpired, isUsable } from './expiry';
import { pickFefo } from './fefo';

/** A batch's stock of an item in the issuing store, as the planner sees it. */
export interface ItemBatchStock {
  itemId: string;
  batchId: string;
  expiry: string; // YYYY-MM-DD
  onHand: number;
}

/** One line of an issue (a transfer out): a named batch, or any batches first-expiry-first-out. */
export interface IssueLine {
  itemId: string;
  batchId?: string;
  quantity: number;
}

export interface IssuePick {
  /** Index of the request line the pick serves. */
  line: number;
  itemId: string;
  batchId: string;
  quantity: number;
}

export type IssueRefusal =
  | { reason: 'batch-expired'; line: number; itemId: string; batchId: string; expiry: string }
  | { reason: 'insufficient-stock'; line: number; itemId: string; batchId: string | null; available: number; asked: number };

/**
 * Plans an issue from one store: lines naming a batch take from that batch (never an expired one);
 * the other lines take first-expiry-first-out from what the named lines left. Either every line is
 * served in full or the first line that cannot be is returned as the refusal: never a part-fill,
 * never below zero, never an expired batch.
 */
export function planIssue(stock: readonly ItemBatchStock[], lines: readonly IssueLine[], today: string): { picks: IssuePick[] } | { refusal: IssueRefusal } {
  const left = new Map(stock.map((s) => [s.batchId, s.onHand]));
  const picks: IssuePick[] = [];
  const named = lines.map((l, line) => ({ ...l, line })).filter((l) => l.batchId !== undefined);
  const open = lines.map((l, line) => ({ ...l, line })).filter((l) => l.batchId === undefined);
  for (const l of named) {
    const batchId = l.batchId as string;
    const batch = stock.find((s) => s.batchId === batchId && s.itemId === l.itemId);
    const available = left.get(batchId) ?? 0;
    if (batch && isExpired(batch.expiry, today)) return { refusal: { reason: 'batch-expired', line: l.line, itemId: l.itemId, batchId, expiry: batch.expiry } };
    if (!batch || available < l.quantity) {
      return { refusal: { reason: 'insufficient-stock', line: l.line, itemId: l.itemId, batchId, available: batch ? available : 0, asked: l.quantity } };
    }
    left.set(batchId, available - l.quantity);
    picks.push({ line: l.line, itemId: l.itemId, batchId, quantity: l.quantity });
  }
  for (const l of open) {
    const remaining = stock.filter((s) => s.itemId === l.itemId).map((s) => ({ batchId: s.batchId, expiry: s.expiry, onHand: left.get(s.batchId) ?? 0 }));
    const chosen = pickFefo(remaining, l.quantity, today);
    if (!chosen) {
      const available = remaining.filter((s) => isUsable(s.expiry, today)).reduce((n, s) => n + s.onHand, 0);
      return { refusal: { reason: 'insufficient-stock', line: l.line, itemId: l.itemId, batchId: null, available, asked: l.quantity } };
    }
    for (const c of chosen) {
      left.set(c.batchId, (left.get(c.batchId) ?? 0) - c.quantity);
      picks.push({ line: l.line, itemId: l.itemId, batchId: c.batchId, quantity: c.quantity });
    }
  }
  return { picks };
}

/** Picks summed per batch (a batch may serve several lines), in batch id order. */
export function mergePicks(picks: readonly IssuePick[]): { itemId: string; batchId: string; quantity: number }[] {
  const byBatch = new Map<string, { itemId: string; batchId: string; quantity: number }>();
  for (const p of picks) {
    const seen = byBatch.get(p.batchId);
    if (seen) seen.quantity += p.quantity;
    else byBatch.set(p.batchId, { itemId: p.itemId, batchId: p.batchId, quantity: p.quantity });
  }
  return [...byBatch.values()].sort((a, b) => (a.batchId < b.batchId ? -1 : a.batchId > b.batchId ? 1 : 0));
}
