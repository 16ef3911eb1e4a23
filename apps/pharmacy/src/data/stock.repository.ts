import { Injectable } from '@nestjs/common';
import { PG, pgCode, type Tx } from '@hms/platform-persistence';
import { BatchEntity } from './batch.entity';
import { stockLockKeys } from './stock-lock-keys';
import { conflict } from '../domain/errors';

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

/** A balance row held FOR UPDATE, with its batch's particulars. */
export interface LockedBalance {
  storeId: string;
  batchId: string;
  itemId: string;
  batchNo: string;
  expiry: string;
  onHand: number;
  mrpPaise: number;
  purchaseRatePaise: number;
}

/** A batch as a request names it, with its item's generic name. */
export interface BatchInfo {
  id: string;
  itemId: string;
  batchNo: string;
  expiry: string;
  itemName: string;
}

/** A batch in a store and its quantity there, as the stock list and the stock reports read it. */
export interface BatchInStoreRow {
  storeId: string;
  storeCode: string;
  itemId: string;
  itemCode: string;
  genericName: string;
  batchId: string;
  batchNo: string;
  expiry: string;
  onHand: number;
}

/** A row of the stock-on-hand list. */
export interface OnHandRow extends BatchInStoreRow {
  mrpPaise: number;
  purchaseRatePaise: number;
}

/**
 * Stock: batches (`batches`), balances per store and batch (`stock_balances`) and the ledger that
 * moves them (`stock_ledger`), with the locks every movement takes. Stock changes only through
 * `recordMovements`.
 */
@Injectable()
export class StockRepository {
  /**
   * Locks what an operation reads before it moves stock, the same way for every operation, so that
   * two movements sharing stock queue instead of deadlocking:
   *
   * 1. a transaction-scoped advisory lock per (store, item), taken in key order in one statement. It
   *    covers the balance rows of that item in that store that do not exist yet: a transfer-in or a
   *    return that creates a row must not take a row lock out of order after the ones below;
   * 2. every balance row of those items in those stores FOR UPDATE, in (store id, batch id) order, in
   *    one statement. Locking every batch of the items (not only those picked) keeps the usable stock an
   *    operation sees, and the reorder alert it decides on, exact.
   *
   * Without `itemIds`, the items are those with stock on hand that has expired by `expiredOn`, i.e.
   * whose expiry date is before that day (expiry write-off; a batch is usable through its expiry date).
   */
  async lockBalances(tx: Tx, branchId: string, where: { storeIds: readonly string[]; itemIds?: readonly string[]; expiredOn?: string }): Promise<LockedBalance[]> {
    const storeIds = [...new Set(where.storeIds.map((id) => id.toLowerCase()))];
    const itemIds = where.itemIds
      ? [...new Set(where.itemIds.map((id) => id.toLowerCase()))]
      : (
          await tx.query<{ item_id: string }>(
            'SELECT DISTINCT item_id FROM stock_balances WHERE branch_id = $1 AND store_id = ANY($2::uuid[]) AND expiry < $3 AND on_hand > 0',
            [branchId, storeIds, where.expiredOn ?? null],
          )
        ).map((r) => r.item_id);
    if (!itemIds.length) return [];
    await tx.query('SELECT pg_advisory_xact_lock(k) FROM unnest($1::bigint[]) WITH ORDINALITY AS t(k, o) ORDER BY o', [stockLockKeys(storeIds, itemIds)]);
    const rows = await tx.query<Omit<LockedBalance, 'mrpPaise' | 'purchaseRatePaise'> & { mrpPaise: string; purchaseRatePaise: string }>(
      `SELECT s.store_id AS "storeId", s.batch_id AS "batchId", s.item_id AS "itemId", b.batch_no AS "batchNo", to_char(s.expiry, 'YYYY-MM-DD') AS expiry,
              s.on_hand AS "onHand", b.mrp_paise AS "mrpPaise", b.purchase_rate_paise AS "purchaseRatePaise"
       FROM stock_balances s JOIN batches b ON b.id = s.batch_id
       WHERE s.branch_id = $1 AND s.store_id = ANY($2::uuid[]) AND s.item_id = ANY($3::uuid[])
         AND ($4::date IS NULL OR (s.expiry < $4 AND s.on_hand > 0))
       ORDER BY s.store_id, s.batch_id
       FOR UPDATE OF s`,
      [branchId, storeIds, itemIds, where.expiredOn ?? null],
    );
    return rows.map((r) => ({ ...r, mrpPaise: Number(r.mrpPaise), purchaseRatePaise: Number(r.purchaseRatePaise) }));
  }

  /**
   * The only way stock changes: a ledger row and the balance it moves, in the caller's
   * transaction. The balance's CHECK (on_hand >= 0) makes a negative stock impossible even for a
   * caller that forgot to look first.
   */
  async recordMovements(tx: Tx, branchId: string, actorId: string, rows: readonly MovementRow[]): Promise<void> {
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

  /** The batches of the branch among `ids`, with their items' generic names. */
  batches(tx: Tx, branchId: string, ids: readonly string[]): Promise<BatchInfo[]> {
    return tx.query<BatchInfo>(
      `SELECT b.id, b.item_id AS "itemId", b.batch_no AS "batchNo", to_char(b.expiry, 'YYYY-MM-DD') AS expiry, i.generic_name AS "itemName"
       FROM batches b JOIN items i ON i.id = b.item_id WHERE b.branch_id = $1 AND b.id = ANY($2::uuid[])`,
      [branchId, ids],
    );
  }

  /** The item's batch of that number, created as given unless it exists already (then as it was first received). */
  async receiveBatch(tx: Tx, batch: Pick<BatchEntity, 'id' | 'branchId' | 'itemId' | 'batchNo' | 'expiry' | 'mrpPaise' | 'purchaseRatePaise'>): Promise<{ id: string; expiry: string }> {
    await tx.manager.createQueryBuilder().insert().into(BatchEntity).values(batch).orIgnore().execute();
    const found = await tx.manager.findOneByOrFail(BatchEntity, { itemId: batch.itemId, batchNo: batch.batchNo });
    return { id: found.id, expiry: found.expiry };
  }

  /** Which of the batches were received from the supplier (a goods receipt of theirs in the ledger). */
  async receivedFrom(tx: Tx, branchId: string, batchIds: readonly string[], supplierId: string): Promise<string[]> {
    const rows = await tx.query<{ batch_id: string }>(
      `SELECT DISTINCT l.batch_id FROM stock_ledger l JOIN goods_receipts g ON g.id = l.reference_id
       WHERE l.branch_id = $1 AND l.batch_id = ANY($2::uuid[]) AND l.reference_type = 'goods-receipt' AND g.supplier_id = $3`,
      [branchId, batchIds, supplierId],
    );
    return rows.map((r) => r.batch_id);
  }

  /** A page (`limit` rows at most) of stock on hand per store, item and batch. */
  async onHand(tx: Tx, branchId: string, filter: { storeId?: string; itemId?: string }, limit: number, offset: number): Promise<OnHandRow[]> {
    const rows = await tx.query<Omit<OnHandRow, 'mrpPaise' | 'purchaseRatePaise'> & { mrpPaise: string; purchaseRatePaise: string }>(
      `SELECT s.store_id AS "storeId", st.code AS "storeCode", s.item_id AS "itemId", i.code AS "itemCode", i.generic_name AS "genericName", s.batch_id AS "batchId",
              b.batch_no AS "batchNo", to_char(s.expiry, 'YYYY-MM-DD') AS expiry, s.on_hand AS "onHand", b.mrp_paise AS "mrpPaise", b.purchase_rate_paise AS "purchaseRatePaise"
       FROM stock_balances s JOIN stores st ON st.id = s.store_id JOIN items i ON i.id = s.item_id JOIN batches b ON b.id = s.batch_id
       WHERE s.branch_id = $1 AND s.on_hand > 0 AND ($2::uuid IS NULL OR s.store_id = $2) AND ($3::uuid IS NULL OR s.item_id = $3)
       ORDER BY ${filter.storeId ? '' : 'st.code, '}i.generic_name, i.id, s.expiry, b.batch_no LIMIT $4 OFFSET $5`,
      [branchId, filter.storeId ?? null, filter.itemId ?? null, limit, offset],
    );
    return rows.map((r) => ({ ...r, mrpPaise: Number(r.mrpPaise), purchaseRatePaise: Number(r.purchaseRatePaise) }));
  }
}
