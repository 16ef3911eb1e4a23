import { Injectable } from '@nestjs/common';
import type { Tx } from '@hms/platform-persistence';
import { GoodsReceiptEntity } from './goods-receipt.entity';

export interface GoodsReceiptHeader {
  id: string;
  storeId: string;
  storeCode: string;
  supplierId: string;
  supplierName: string;
  supplierGstin: string;
  invoiceNumber: string;
  invoiceDate: string;
  receivedAt: Date;
  receivedOn: string;
  receivedBy: string;
}

export interface GoodsReceiptLineRow {
  receiptId: string;
  itemId: string;
  genericName: string;
  strength: string | null;
  batchId: string;
  batchNo: string;
  expiry: string;
  quantity: string;
  freeQuantity: string;
}

export interface GoodsReceiptFilter {
  storeId?: string;
  supplierId?: string;
  from?: string;
  to?: string;
}

/** Goods receipts (`goods_receipts`); their lines are the ledger's goods-receipt rows. */
@Injectable()
export class GoodsReceiptsRepository {
  async insert(tx: Tx, receipt: GoodsReceiptEntity): Promise<void> {
    await tx.manager.insert(GoodsReceiptEntity, receipt);
  }

  /** Receipts, newest first, by store, supplier and the Indian dates received on (inclusive); `limit` rows at most. */
  headers(tx: Tx, branchId: string, filter: GoodsReceiptFilter, limit: number, offset: number): Promise<GoodsReceiptHeader[]> {
    return tx.query<GoodsReceiptHeader>(
      `SELECT g.id, g.store_id AS "storeId", st.code AS "storeCode", g.supplier_id AS "supplierId", sp.name AS "supplierName", sp.gstin AS "supplierGstin",
              g.invoice_number AS "invoiceNumber", to_char(g.invoice_date, 'YYYY-MM-DD') AS "invoiceDate", g.received_at AS "receivedAt",
              to_char(g.received_on, 'YYYY-MM-DD') AS "receivedOn", g.created_by AS "receivedBy"
       FROM goods_receipts g JOIN stores st ON st.id = g.store_id JOIN suppliers sp ON sp.id = g.supplier_id
       WHERE g.branch_id = $1 AND ($2::uuid IS NULL OR g.store_id = $2) AND ($3::uuid IS NULL OR g.supplier_id = $3)
         AND ($4::date IS NULL OR g.received_on >= $4) AND ($5::date IS NULL OR g.received_on <= $5)
       ORDER BY g.received_at DESC, g.id DESC
       LIMIT $6 OFFSET $7`,
      [branchId, filter.storeId ?? null, filter.supplierId ?? null, filter.from ?? null, filter.to ?? null, limit, offset],
    );
  }

  /** The batches of the receipts, summed from the ledger (received and free). */
  lines(tx: Tx, branchId: string, receiptIds: readonly string[]): Promise<GoodsReceiptLineRow[]> {
    if (!receiptIds.length) return Promise.resolve([]);
    return tx.query<GoodsReceiptLineRow>(
      `SELECT l.reference_id AS "receiptId", l.item_id AS "itemId", i.generic_name AS "genericName", i.strength, l.batch_id AS "batchId", b.batch_no AS "batchNo",
              to_char(b.expiry, 'YYYY-MM-DD') AS expiry,
              sum(l.quantity) FILTER (WHERE l.movement = 'receipt') AS quantity, coalesce(sum(l.quantity) FILTER (WHERE l.movement = 'free'), 0) AS "freeQuantity"
       FROM stock_ledger l JOIN items i ON i.id = l.item_id JOIN batches b ON b.id = l.batch_id
       WHERE l.branch_id = $1 AND l.reference_type = 'goods-receipt' AND l.reference_id = ANY($2::uuid[])
       GROUP BY l.reference_id, l.item_id, i.generic_name, i.strength, l.batch_id, b.batch_no, b.expiry
       ORDER BY i.generic_name, b.batch_no`,
      [branchId, receiptIds],
    );
  }
}
