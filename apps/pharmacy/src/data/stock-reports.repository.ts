import { Injectable } from '@nestjs/common';
import type { Tx } from '@hms/platform-persistence';
import type { BatchInStoreRow } from './stock.repository';

export interface BelowReorderRow {
  storeId: string;
  storeCode: string;
  itemId: string;
  itemCode: string;
  genericName: string;
  reorderLevel: number;
  reorderQuantity: number;
  usable: string;
  inTransit: string;
}

export interface BatchStockRow extends BatchInStoreRow {
  daysToExpiry: number;
  purchaseValue: string;
  mrpValue: string;
}

export interface ValuationRow {
  storeId: string;
  storeCode: string;
  units: string;
  purchase: string;
  mrp: string;
  expiredUnits: string;
  expiredPurchase: string;
  expiredMrp: string;
}

export interface LedgerRow {
  id: string;
  at: Date;
  storeId: string;
  storeCode: string;
  itemId: string;
  batchId: string;
  batchNo: string;
  movement: string;
  quantity: number;
  referenceType: string;
  referenceId: string;
  reason: string | null;
  actorId: string;
}

export interface InTransitRow {
  transferId: string;
  fromStoreId: string;
  fromStoreCode: string;
  toStoreId: string;
  toStoreCode: string;
  sentAt: Date;
  itemId: string;
  genericName: string;
  batchId: string;
  batchNo: string;
  expiry: string;
  quantity: number;
  purchaseValue: string;
  mrpValue: string;
}

/**
 * The stock reports' reads: sums over balances, the ledger and transfers. Every query names the
 * branch (row-level security would scope it anyway) so the branch-led indexes serve it. Lists take
 * `limit` rows at most.
 */
@Injectable()
export class StockReportsRepository {
  /** Reorder levels whose item's usable stock (expiring `today` or later) in the store is below the level, with what is on its way. */
  belowReorder(tx: Tx, branchId: string, today: string, storeId: string | undefined, limit: number, offset: number): Promise<BelowReorderRow[]> {
    return tx.query<BelowReorderRow>(
      `SELECT r.store_id AS "storeId", st.code AS "storeCode", r.item_id AS "itemId", i.code AS "itemCode", i.generic_name AS "genericName",
              r.reorder_level AS "reorderLevel", r.reorder_quantity AS "reorderQuantity", u.usable, t.in_transit AS "inTransit"
       FROM reorder_levels r
       JOIN stores st ON st.id = r.store_id AND st.retired_at IS NULL
       JOIN items i ON i.id = r.item_id AND i.retired_at IS NULL
       CROSS JOIN LATERAL (
         SELECT coalesce(sum(s.on_hand), 0) AS usable FROM stock_balances s
         WHERE s.store_id = r.store_id AND s.item_id = r.item_id AND s.expiry >= $2 AND s.on_hand > 0
       ) u
       CROSS JOIN LATERAL (
         SELECT coalesce(sum(l.quantity), 0) AS in_transit FROM transfers tr JOIN transfer_lines l ON l.transfer_id = tr.id
         WHERE tr.branch_id = $1 AND tr.status = 'in-transit' AND tr.to_store_id = r.store_id AND l.item_id = r.item_id
       ) t
       WHERE r.branch_id = $1 AND ($3::uuid IS NULL OR r.store_id = $3) AND u.usable < r.reorder_level
       ORDER BY st.code, i.generic_name, i.code
       LIMIT $4 OFFSET $5`,
      [branchId, today, storeId ?? null, limit, offset],
    );
  }

  /** Batches in stock with an expiry date from `from` (if given) through `until`, both inclusive; days to expiry counted from `today`. */
  batchStock(tx: Tx, branchId: string, where: { storeId?: string; from?: string; until: string; today: string }, limit: number, offset: number): Promise<BatchStockRow[]> {
    return tx.query<BatchStockRow>(
      `SELECT s.store_id AS "storeId", st.code AS "storeCode", s.item_id AS "itemId", i.code AS "itemCode", i.generic_name AS "genericName", s.batch_id AS "batchId",
              b.batch_no AS "batchNo", to_char(s.expiry, 'YYYY-MM-DD') AS expiry, (s.expiry - $5::date) AS "daysToExpiry", s.on_hand AS "onHand",
              s.on_hand::bigint * b.purchase_rate_paise AS "purchaseValue", s.on_hand::bigint * b.mrp_paise AS "mrpValue"
       FROM stock_balances s JOIN stores st ON st.id = s.store_id JOIN items i ON i.id = s.item_id JOIN batches b ON b.id = s.batch_id
       WHERE s.branch_id = $1 AND s.on_hand > 0 AND ($2::uuid IS NULL OR s.store_id = $2)
         AND ($3::date IS NULL OR s.expiry >= $3) AND s.expiry <= $4
       ORDER BY s.expiry, st.code, i.generic_name, b.batch_no
       LIMIT $6 OFFSET $7`,
      [branchId, where.storeId ?? null, where.from ?? null, where.until, where.today, limit, offset],
    );
  }

  /** On-hand stock per store in use, valued at purchase rate and at MRP, with the part expired before `today`. */
  valuation(tx: Tx, branchId: string, storeId: string | undefined, today: string): Promise<ValuationRow[]> {
    return tx.query<ValuationRow>(
      `SELECT st.id AS "storeId", st.code AS "storeCode",
              coalesce(sum(s.on_hand), 0) AS units,
              coalesce(sum(s.on_hand::bigint * b.purchase_rate_paise), 0) AS purchase,
              coalesce(sum(s.on_hand::bigint * b.mrp_paise), 0) AS mrp,
              coalesce(sum(s.on_hand) FILTER (WHERE s.expiry < $3), 0) AS "expiredUnits",
              coalesce(sum(s.on_hand::bigint * b.purchase_rate_paise) FILTER (WHERE s.expiry < $3), 0) AS "expiredPurchase",
              coalesce(sum(s.on_hand::bigint * b.mrp_paise) FILTER (WHERE s.expiry < $3), 0) AS "expiredMrp"
       FROM stores st
       LEFT JOIN stock_balances s ON s.store_id = st.id AND s.branch_id = $1 AND s.on_hand > 0
       LEFT JOIN batches b ON b.id = s.batch_id
       WHERE st.branch_id = $1 AND st.retired_at IS NULL AND ($2::uuid IS NULL OR st.id = $2)
       GROUP BY st.id, st.code
       ORDER BY st.code`,
      [branchId, storeId ?? null, today],
    );
  }

  /** Ledger rows of an item or a batch, oldest first, at or after `start` and before `end` (either may be open). */
  movements(
    tx: Tx,
    branchId: string,
    filter: { itemId?: string; batchId?: string; storeId?: string; start: Date | null; end: Date | null },
    limit: number,
    offset: number,
  ): Promise<LedgerRow[]> {
    return tx.query<LedgerRow>(
      `SELECT l.id, l.at, l.store_id AS "storeId", st.code AS "storeCode", l.item_id AS "itemId", l.batch_id AS "batchId", b.batch_no AS "batchNo", l.movement, l.quantity,
              l.reference_type AS "referenceType", l.reference_id AS "referenceId", l.reason, l.actor_id AS "actorId"
       FROM stock_ledger l JOIN stores st ON st.id = l.store_id JOIN batches b ON b.id = l.batch_id
       WHERE l.branch_id = $1
         AND ($2::uuid IS NULL OR l.item_id = $2) AND ($3::uuid IS NULL OR l.batch_id = $3) AND ($4::uuid IS NULL OR l.store_id = $4)
         AND ($5::timestamptz IS NULL OR l.at >= $5) AND ($6::timestamptz IS NULL OR l.at < $6)
       ORDER BY l.id
       LIMIT $7 OFFSET $8`,
      [branchId, filter.itemId ?? null, filter.batchId ?? null, filter.storeId ?? null, filter.start, filter.end, limit, offset],
    );
  }

  /** Stock sent and not yet received, per transfer line, valued like stock on hand. */
  inTransit(tx: Tx, branchId: string, storeId: string | undefined, limit: number, offset: number): Promise<InTransitRow[]> {
    return tx.query<InTransitRow>(
      `SELECT t.id AS "transferId", t.from_store_id AS "fromStoreId", f.code AS "fromStoreCode", t.to_store_id AS "toStoreId", d.code AS "toStoreCode", t.sent_at AS "sentAt",
              l.item_id AS "itemId", i.generic_name AS "genericName", l.batch_id AS "batchId", b.batch_no AS "batchNo", to_char(b.expiry, 'YYYY-MM-DD') AS expiry, l.quantity,
              l.quantity::bigint * b.purchase_rate_paise AS "purchaseValue", l.quantity::bigint * b.mrp_paise AS "mrpValue"
       FROM transfers t JOIN transfer_lines l ON l.transfer_id = t.id
       JOIN stores f ON f.id = t.from_store_id JOIN stores d ON d.id = t.to_store_id
       JOIN items i ON i.id = l.item_id JOIN batches b ON b.id = l.batch_id
       WHERE t.branch_id = $1 AND t.status = 'in-transit' AND ($2::uuid IS NULL OR t.from_store_id = $2 OR t.to_store_id = $2)
       ORDER BY t.sent_at, t.id, i.generic_name, b.batch_no
       LIMIT $3 OFFSET $4`,
      [branchId, storeId ?? null, limit, offset],
    );
  }
}
