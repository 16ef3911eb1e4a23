import { Inject, Injectable } from '@nestjs/common';
import type { Caller } from '@hms/platform-auth';
import { toPage, type Page, type PageRequest } from '@hms/platform-http';
import { Database, type Tx } from '@hms/platform-persistence';
import { CLOCK, Clock, indianDayRange } from '@hms/platform-time';
import { addDays, indianDate } from '../domain';

export interface BatchStockLine {
  storeId: string;
  storeCode: string;
  itemId: string;
  itemCode: string;
  genericName: string;
  batchId: string;
  batchNo: string;
  expiry: string;
  daysToExpiry: number;
  onHand: number;
  purchaseValuePaise: number;
  mrpValuePaise: number;
}

interface BatchStockRow {
  store_id: string;
  store_code: string;
  item_id: string;
  item_code: string;
  generic_name: string;
  batch_id: string;
  batch_no: string;
  expiry: string;
  days_to_expiry: number;
  on_hand: number;
  purchase_value: string;
  mrp_value: string;
}

/** Paise sums come back from PostgreSQL as numeric text; they are whole numbers well inside 2^53. */
const paise = (value: string | number | null) => Number(value ?? 0);

/**
 * Stock reports for a branch: items below their reorder level, batches near or past expiry,
 * valuation at purchase rate and at MRP, movement history and stock in transit. Every query names
 * the branch (row-level security would scope it anyway) so the branch-led indexes serve it.
 */
@Injectable()
export class StockReportsService {
  constructor(
    private readonly db: Database,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  private read<T>(caller: Caller, work: (tx: Tx) => Promise<T>): Promise<T> {
    return this.db.transaction({ branchId: caller.branchId }, work, { readOnly: true });
  }

  /** Items whose usable stock (expiring today or later) in a store is below its reorder level, with what is on its way. */
  async belowReorder(caller: Caller, storeId: string | undefined, page: PageRequest) {
    const today = indianDate(this.clock.now());
    const rows = await this.read(caller, (tx) =>
      tx.query<{
        store_id: string;
        store_code: string;
        item_id: string;
        item_code: string;
        generic_name: string;
        reorder_level: number;
        reorder_quantity: number;
        usable: string;
        in_transit: string;
      }>(
        `SELECT r.store_id, st.code AS store_code, r.item_id, i.code AS item_code, i.generic_name, r.reorder_level, r.reorder_quantity,
                u.usable, t.in_transit
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
        [caller.branchId, today, storeId ?? null, page.limit + 1, page.offset],
      ),
    );
    return toPage(
      rows.map((r) => ({
        storeId: r.store_id,
        storeCode: r.store_code,
        itemId: r.item_id,
        itemCode: r.item_code,
        genericName: r.generic_name,
        usableOnHand: Number(r.usable),
        reorderLevel: r.reorder_level,
        reorderQuantity: r.reorder_quantity,
        shortBy: r.reorder_level - Number(r.usable),
        inTransit: Number(r.in_transit),
      })),
      page,
    );
  }

  /**
   * Batches in stock, still usable today, whose expiry date is at most `days` days away: from
   * today (its last usable day) through today + days, both inclusive.
   */
  async nearExpiry(caller: Caller, storeId: string | undefined, days: number, page: PageRequest) {
    const today = indianDate(this.clock.now());
    const until = addDays(today, days);
    return { ...(await this.batchStock(caller, { storeId, from: today, until }, page)), today, until };
  }

  /** Batches in stock that have expired (expiry date before today): never issued, to be written off or returned. */
  async expired(caller: Caller, storeId: string | undefined, page: PageRequest) {
    const today = indianDate(this.clock.now());
    return { ...(await this.batchStock(caller, { storeId, until: addDays(today, -1) }, page)), today };
  }

  /** Batches in stock with an expiry date from `from` (if given) through `until`, both inclusive. */
  private async batchStock(caller: Caller, where: { storeId?: string; from?: string; until: string }, page: PageRequest): Promise<Page<BatchStockLine>> {
    const today = indianDate(this.clock.now());
    const rows = await this.read(caller, (tx) =>
      tx.query<BatchStockRow>(
        `SELECT s.store_id, st.code AS store_code, s.item_id, i.code AS item_code, i.generic_name, s.batch_id, b.batch_no,
                to_char(s.expiry, 'YYYY-MM-DD') AS expiry, (s.expiry - $5::date) AS days_to_expiry, s.on_hand,
                s.on_hand::bigint * b.purchase_rate_paise AS purchase_value, s.on_hand::bigint * b.mrp_paise AS mrp_value
         FROM stock_balances s JOIN stores st ON st.id = s.store_id JOIN items i ON i.id = s.item_id JOIN batches b ON b.id = s.batch_id
         WHERE s.branch_id = $1 AND s.on_hand > 0 AND ($2::uuid IS NULL OR s.store_id = $2)
           AND ($3::date IS NULL OR s.expiry >= $3) AND s.expiry <= $4
         ORDER BY s.expiry, st.code, i.generic_name, b.batch_no
         LIMIT $6 OFFSET $7`,
        [caller.branchId, where.storeId ?? null, where.from ?? null, where.until, today, page.limit + 1, page.offset],
      ),
    );
    return toPage(
      rows.map((r) => ({
        storeId: r.store_id,
        storeCode: r.store_code,
        itemId: r.item_id,
        itemCode: r.item_code,
        genericName: r.generic_name,
        batchId: r.batch_id,
        batchNo: r.batch_no,
        expiry: r.expiry,
        daysToExpiry: r.days_to_expiry,
        onHand: r.on_hand,
        purchaseValuePaise: paise(r.purchase_value),
        mrpValuePaise: paise(r.mrp_value),
      })),
      page,
    );
  }

  /**
   * On-hand stock valued at purchase rate and at MRP per store, in paise, with the expired part
   * (expiry date before today) shown separately (it is in the totals: it is still stock until
   * written off or returned).
   */
  async valuation(caller: Caller, storeId: string | undefined) {
    const today = indianDate(this.clock.now());
    const rows = await this.read(caller, (tx) =>
      tx.query<{ store_id: string; store_code: string; units: string; purchase: string; mrp: string; expired_units: string; expired_purchase: string; expired_mrp: string }>(
        `SELECT st.id AS store_id, st.code AS store_code,
                coalesce(sum(s.on_hand), 0) AS units,
                coalesce(sum(s.on_hand::bigint * b.purchase_rate_paise), 0) AS purchase,
                coalesce(sum(s.on_hand::bigint * b.mrp_paise), 0) AS mrp,
                coalesce(sum(s.on_hand) FILTER (WHERE s.expiry < $3), 0) AS expired_units,
                coalesce(sum(s.on_hand::bigint * b.purchase_rate_paise) FILTER (WHERE s.expiry < $3), 0) AS expired_purchase,
                coalesce(sum(s.on_hand::bigint * b.mrp_paise) FILTER (WHERE s.expiry < $3), 0) AS expired_mrp
         FROM stores st
         LEFT JOIN stock_balances s ON s.store_id = st.id AND s.branch_id = $1 AND s.on_hand > 0
         LEFT JOIN batches b ON b.id = s.batch_id
         WHERE st.branch_id = $1 AND st.retired_at IS NULL AND ($2::uuid IS NULL OR st.id = $2)
         GROUP BY st.id, st.code
         ORDER BY st.code`,
        [caller.branchId, storeId ?? null, today],
      ),
    );
    const stores = rows.map((r) => ({
      storeId: r.store_id,
      storeCode: r.store_code,
      units: Number(r.units),
      purchaseValuePaise: paise(r.purchase),
      mrpValuePaise: paise(r.mrp),
      expired: { units: Number(r.expired_units), purchaseValuePaise: paise(r.expired_purchase), mrpValuePaise: paise(r.expired_mrp) },
    }));
    const sum = (pick: (s: (typeof stores)[number]) => number) => stores.reduce((n, s) => n + pick(s), 0);
    return {
      asOf: today,
      stores,
      totals: {
        units: sum((s) => s.units),
        purchaseValuePaise: sum((s) => s.purchaseValuePaise),
        mrpValuePaise: sum((s) => s.mrpValuePaise),
        expired: { units: sum((s) => s.expired.units), purchaseValuePaise: sum((s) => s.expired.purchaseValuePaise), mrpValuePaise: sum((s) => s.expired.mrpValuePaise) },
      },
    };
  }

  /** Ledger rows of an item or of a batch, oldest first, between two dates (India, inclusive). */
  async movements(caller: Caller, filter: { itemId?: string; batchId?: string; storeId?: string; from?: string; to?: string }, page: PageRequest) {
    // Either end may be open; each given date counts whole (India, inclusive).
    const start = filter.from ? indianDayRange(filter.from).start : null;
    const end = filter.to ? indianDayRange(filter.to).end : null;
    const rows = await this.read(caller, (tx) =>
      tx.query<{
        id: string;
        at: Date;
        store_id: string;
        store_code: string;
        item_id: string;
        batch_id: string;
        batch_no: string;
        movement: string;
        quantity: number;
        reference_type: string;
        reference_id: string;
        reason: string | null;
        actor_id: string;
      }>(
        `SELECT l.id, l.at, l.store_id, st.code AS store_code, l.item_id, l.batch_id, b.batch_no, l.movement, l.quantity,
                l.reference_type, l.reference_id, l.reason, l.actor_id
         FROM stock_ledger l JOIN stores st ON st.id = l.store_id JOIN batches b ON b.id = l.batch_id
         WHERE l.branch_id = $1
           AND ($2::uuid IS NULL OR l.item_id = $2) AND ($3::uuid IS NULL OR l.batch_id = $3) AND ($4::uuid IS NULL OR l.store_id = $4)
           AND ($5::timestamptz IS NULL OR l.at >= $5) AND ($6::timestamptz IS NULL OR l.at < $6)
         ORDER BY l.id
         LIMIT $7 OFFSET $8`,
        [caller.branchId, filter.itemId ?? null, filter.batchId ?? null, filter.storeId ?? null, start, end, page.limit + 1, page.offset],
      ),
    );
    return toPage(
      rows.map((r) => ({
        id: Number(r.id),
        at: r.at.toISOString(),
        storeId: r.store_id,
        storeCode: r.store_code,
        itemId: r.item_id,
        batchId: r.batch_id,
        batchNo: r.batch_no,
        movement: r.movement,
        quantity: r.quantity,
        referenceType: r.reference_type,
        referenceId: r.reference_id,
        reason: r.reason,
        actorId: r.actor_id,
      })),
      page,
    );
  }

  /** Stock sent and not yet received, per transfer line, valued like stock on hand. */
  async inTransit(caller: Caller, storeId: string | undefined, page: PageRequest) {
    const rows = await this.read(caller, (tx) =>
      tx.query<{
        transfer_id: string;
        from_store_id: string;
        from_code: string;
        to_store_id: string;
        to_code: string;
        sent_at: Date;
        item_id: string;
        generic_name: string;
        batch_id: string;
        batch_no: string;
        expiry: string;
        quantity: number;
        purchase_value: string;
        mrp_value: string;
      }>(
        `SELECT t.id AS transfer_id, t.from_store_id, f.code AS from_code, t.to_store_id, d.code AS to_code, t.sent_at,
                l.item_id, i.generic_name, l.batch_id, b.batch_no, to_char(b.expiry, 'YYYY-MM-DD') AS expiry, l.quantity,
                l.quantity::bigint * b.purchase_rate_paise AS purchase_value, l.quantity::bigint * b.mrp_paise AS mrp_value
         FROM transfers t JOIN transfer_lines l ON l.transfer_id = t.id
         JOIN stores f ON f.id = t.from_store_id JOIN stores d ON d.id = t.to_store_id
         JOIN items i ON i.id = l.item_id JOIN batches b ON b.id = l.batch_id
         WHERE t.branch_id = $1 AND t.status = 'in-transit' AND ($2::uuid IS NULL OR t.from_store_id = $2 OR t.to_store_id = $2)
         ORDER BY t.sent_at, t.id, i.generic_name, b.batch_no
         LIMIT $3 OFFSET $4`,
        [caller.branchId, storeId ?? null, page.limit + 1, page.offset],
      ),
    );
    return toPage(
      rows.map((r) => ({
        transferId: r.transfer_id,
        fromStoreId: r.from_store_id,
        fromStoreCode: r.from_code,
        toStoreId: r.to_store_id,
        toStoreCode: r.to_code,
        sentAt: r.sent_at.toISOString(),
        itemId: r.item_id,
        genericName: r.generic_name,
        batchId: r.batch_id,
        batchNo: r.batch_no,
        expiry: r.expiry,
        quantity: r.quantity,
        purchaseValuePaise: paise(r.purchase_value),
        mrpValuePaise: paise(r.mrp_value),
      })),
      page,
    );
  }
}
