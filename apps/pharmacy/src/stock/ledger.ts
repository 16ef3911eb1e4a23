import { conflict } from '@hms/contracts-common';
import { PG, pgCode, type Tx } from '@hms/platform-persistence';

const NUMERIC_OUT_OF_RANGE = '22003';

export type Movement =
  | 'receipt'
  | 'free'
  | 'issue'
  | 'dispense'
  | 'transfer-out'
  | 'transfer-in'
  | 'adjustment'
  | 'return-to-supplier'
  | 'patient-return'
  | 'expiry-write-off'
  | 'stock-take';

export interface MovementRow {
  storeId: string;
  itemId: string;
  batchId: string;
  expiry: string;
  /** Signed: receipts add, issues take away. */
  quantity: number;
  movement: Movement;
  referenceType: string;
  referenceId: string;
  reason?: string | null;
}

/**
 * The only way stock changes: a ledger row and the balance it moves, in the caller's
 * transaction. The balance's CHECK (on_hand >= 0) makes a negative stock impossible even for a
 * caller that forgot to look first.
 */
export async function recordMovements(tx: Tx, branchId: string, actorId: string, rows: readonly MovementRow[]): Promise<void> {
  if (!rows.length) return;
  // Balance rows are touched in a fixed order so concurrent movements never deadlock.
  const sorted = [...rows].sort((a, b) => (a.storeId + a.batchId).localeCompare(b.storeId + b.batchId));
  // Net change per store and batch. Additions may create the balance row; a taking away only
  // updates an existing one (a CHECK on an INSERT is judged before ON CONFLICT could turn it into
  // an update, so the two cannot share one upsert).
  const net = new Map<string, MovementRow & { quantity: number }>();
  for (const r of sorted) {
    const key = `${r.storeId}/${r.batchId}`;
    const seen = net.get(key);
    if (seen) seen.quantity += r.quantity;
    else net.set(key, { ...r });
  }
  const changes = [...net.values()].filter((r) => r.quantity !== 0);
  const adds = changes.filter((r) => r.quantity > 0);
  const takes = changes.filter((r) => r.quantity < 0);
  const json = (list: MovementRow[]) =>
    JSON.stringify(list.map((r) => ({ store_id: r.storeId, batch_id: r.batchId, item_id: r.itemId, expiry: r.expiry, quantity: r.quantity })));
  try {
    if (adds.length) {
      await tx.query(
        `INSERT INTO stock_balances (store_id, batch_id, branch_id, item_id, expiry, on_hand)
         SELECT store_id, batch_id, $2, item_id, expiry, quantity
         FROM jsonb_to_recordset($1::jsonb) AS m(store_id uuid, batch_id uuid, item_id uuid, expiry date, quantity int)
         ON CONFLICT (store_id, batch_id) DO UPDATE SET on_hand = stock_balances.on_hand + EXCLUDED.on_hand`,
        [json(adds), branchId],
      );
    }
    if (takes.length) {
      const updated = await tx.query(
        `UPDATE stock_balances s SET on_hand = s.on_hand + m.quantity
         FROM jsonb_to_recordset($1::jsonb) AS m(store_id uuid, batch_id uuid, quantity int)
         WHERE s.store_id = m.store_id AND s.batch_id = m.batch_id
         RETURNING s.batch_id`,
        [json(takes)],
      );
      if (updated.length !== takes.length) throw conflict('insufficient-stock', 'There is no stock of that batch in that store');
    }
  } catch (error) {
    if (pgCode(error) === PG.checkViolation) throw conflict('insufficient-stock', 'Not enough stock in that store for this movement');
    // 22003 numeric_value_out_of_range: the balance (an int) would pass 2,147,483,647.
    if (pgCode(error) === NUMERIC_OUT_OF_RANGE) throw conflict('quantity-too-large', 'This movement would take the stock of a batch in that store past 2,147,483,647 units');
    throw error;
  }
  await tx.query(
    `INSERT INTO stock_ledger (branch_id, store_id, item_id, batch_id, movement, quantity, reference_type, reference_id, reason, actor_id)
     SELECT $2, m.store_id, m.item_id, m.batch_id, m.movement, m.quantity, m.reference_type, m.reference_id, m.reason, $3
     FROM jsonb_to_recordset($1::jsonb) AS m(store_id uuid, item_id uuid, batch_id uuid, movement text, quantity int, reference_type text, reference_id uuid, reason text)`,
    [
      JSON.stringify(
        rows.map((r) => ({
          store_id: r.storeId,
          item_id: r.itemId,
          batch_id: r.batchId,
          movement: r.movement,
          quantity: r.quantity,
          reference_type: r.referenceType,
          reference_id: r.referenceId,
          reason: r.reason ?? null,
        })),
      ),
      branchId,
      actorId,
    ],
  );
}
