import { Injectable } from '@nestjs/common';
import type { Tx } from '@hms/platform-persistence';
import { TransferEntity } from './transfer.entity';

export type TransferStatus = TransferEntity['status'];

export interface TransferHeader {
  id: string;
  fromStoreId: string;
  fromStoreCode: string;
  toStoreId: string;
  toStoreCode: string;
  status: TransferStatus;
  sentAt: Date;
  receivedAt: Date | null;
  sentBy: string;
  receivedBy: string | null;
}

export interface TransferLineRow {
  transferId: string;
  itemId: string;
  itemName: string;
  batchId: string;
  batchNo: string;
  expiry: string;
  quantity: number;
}

/** Transfers between stores (`transfers`) and the batches they carry (`transfer_lines`). */
@Injectable()
export class TransfersRepository {
  async insert(tx: Tx, transfer: TransferEntity): Promise<void> {
    await tx.manager.insert(TransferEntity, transfer);
  }

  /** Every line of a transfer in one statement. */
  async insertLines(tx: Tx, branchId: string, transferId: string, lines: readonly { batchId: string; itemId: string; quantity: number }[]): Promise<void> {
    await tx.query(
      `INSERT INTO transfer_lines (transfer_id, batch_id, branch_id, item_id, quantity)
       SELECT $1, l.batch_id, $2, l.item_id, l.quantity FROM jsonb_to_recordset($3::jsonb) AS l(batch_id uuid, item_id uuid, quantity int)`,
      [transferId, branchId, JSON.stringify(lines.map((p) => ({ batch_id: p.batchId, item_id: p.itemId, quantity: p.quantity })))],
    );
  }

  /** The transfer, its row locked (a concurrent second receipt waits, then sees it received). */
  lockForReceipt(tx: Tx, transferId: string): Promise<{ id: string; toStoreId: string; status: TransferStatus; receivedAt: Date | null } | null> {
    return tx.maybeOne('SELECT id, to_store_id AS "toStoreId", status, received_at AS "receivedAt" FROM transfers WHERE id = $1 FOR UPDATE', [transferId]);
  }

  /** The transfer's batches, by batch id. */
  linesToReceive(tx: Tx, transferId: string): Promise<{ batchId: string; itemId: string; quantity: number; batchNo: string; expiry: string }[]> {
    return tx.query(
      `SELECT l.batch_id AS "batchId", l.item_id AS "itemId", l.quantity, b.batch_no AS "batchNo", to_char(b.expiry, 'YYYY-MM-DD') AS expiry
       FROM transfer_lines l JOIN batches b ON b.id = l.batch_id WHERE l.transfer_id = $1 ORDER BY l.batch_id`,
      [transferId],
    );
  }

  async markReceived(tx: Tx, transferId: string, at: Date, by: string): Promise<void> {
    await tx.manager.update(TransferEntity, { id: transferId }, { status: 'received', receivedAt: at, receivedBy: by });
  }

  /** Transfers by id or by filter, newest first; `limit` rows at most (all when not given). */
  headers(tx: Tx, branchId: string, where: { ids?: string[]; status?: TransferStatus; storeId?: string; limit?: number; offset?: number }): Promise<TransferHeader[]> {
    return tx.query<TransferHeader>(
      `SELECT t.id, t.from_store_id AS "fromStoreId", f.code AS "fromStoreCode", t.to_store_id AS "toStoreId", d.code AS "toStoreCode", t.status,
              t.sent_at AS "sentAt", t.received_at AS "receivedAt", t.created_by AS "sentBy", t.received_by AS "receivedBy"
       FROM transfers t JOIN stores f ON f.id = t.from_store_id JOIN stores d ON d.id = t.to_store_id
       WHERE t.branch_id = $1
         AND ($2::uuid[] IS NULL OR t.id = ANY($2::uuid[]))
         AND ($3::text IS NULL OR t.status = $3)
         AND ($4::uuid IS NULL OR t.from_store_id = $4 OR t.to_store_id = $4)
       ORDER BY t.sent_at DESC, t.id DESC
       LIMIT $5 OFFSET $6`,
      [branchId, where.ids ?? null, where.status ?? null, where.storeId ?? null, where.limit ?? null, where.offset ?? 0],
    );
  }

  lines(tx: Tx, branchId: string, transferIds: readonly string[]): Promise<TransferLineRow[]> {
    return tx.query<TransferLineRow>(
      `SELECT l.transfer_id AS "transferId", l.item_id AS "itemId", i.generic_name AS "itemName", l.batch_id AS "batchId", b.batch_no AS "batchNo",
              to_char(b.expiry, 'YYYY-MM-DD') AS expiry, l.quantity
       FROM transfer_lines l JOIN batches b ON b.id = l.batch_id JOIN items i ON i.id = l.item_id
       WHERE l.branch_id = $1 AND l.transfer_id = ANY($2::uuid[])
       ORDER BY i.generic_name, b.expiry, b.batch_no`,
      [branchId, transferIds],
    );
  }
}
