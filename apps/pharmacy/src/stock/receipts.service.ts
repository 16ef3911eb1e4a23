import { Inject, Injectable } from '@nestjs/common';
import { DomainError, conflict, notFound, type FieldError } from '@hms/contracts-common';
import { GoodsReceived } from '@hms/contracts-pharmacy';
import type { Caller } from '@hms/platform-auth';
import { isCalendarDate, toPage, type Page, type PageRequest } from '@hms/platform-http';
import { Outbox } from '@hms/platform-messaging';
import { Database, PG, pgCode, pgConstraint, uuidv7, type Tx } from '@hms/platform-persistence';
import { CLOCK, Clock } from '@hms/platform-time';
import { daysToExpiry, indianDate, isExpired, meetsMinimumShelfLife, monthYearExpiry } from '../domain';
import { recordMovements, type MovementRow } from './ledger';
import { lockBalances } from './stock-locks';

export interface ReceiptInput {
  storeId: string;
  supplierId: string;
  invoiceNumber: string;
  invoiceDate: string;
  /** `expiry`: YYYY-MM-DD, or MM/YYYY or YYYY-MM meaning the last day of that month. */
  lines: { itemId: string; batchNo: string; expiry: string; quantity: number; freeQuantity?: number; purchaseRatePaise: number; mrpPaise: number }[];
}

export interface GoodsReceiptView {
  id: string;
  storeId: string;
  storeCode: string;
  supplierId: string;
  supplierName: string;
  supplierGstin: string;
  invoiceNumber: string;
  invoiceDate: string;
  receivedAt: string;
  receivedOn: string;
  receivedBy: string;
  lines: { itemId: string; itemName: string; batchId: string; batchNo: string; expiry: string; quantity: number; freeQuantity: number }[];
}

/** An expiry as a date: a month and year means the last day of that month; null if it is neither. */
const expiryDate = (text: string): string | null => monthYearExpiry(text) ?? (isCalendarDate(text) ? text : null);

/** Goods received from a supplier: batches with expiry, quantities and rates, into one store. */
@Injectable()
export class ReceiptsService {
  constructor(
    private readonly db: Database,
    private readonly outbox: Outbox,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async receive(caller: Caller, request: ReceiptInput) {
    const now = this.clock.now();
    const today = indianDate(now);
    const errors: FieldError[] = [];
    // Ids are compared as text below (the same batch named twice) and go into events: lower case only.
    const input: ReceiptInput = {
      ...request,
      storeId: request.storeId.toLowerCase(),
      supplierId: request.supplierId.toLowerCase(),
      lines: request.lines.map((l) => ({ ...l, itemId: l.itemId.toLowerCase(), expiry: expiryDate(l.expiry) ?? l.expiry })),
    };
    if (!isCalendarDate(input.invoiceDate)) errors.push({ field: 'invoiceDate', message: 'is not a calendar date' });
    else if (input.invoiceDate > today) errors.push({ field: 'invoiceDate', message: 'is in the future' });
    input.lines.forEach((l, i) => {
      if (!isCalendarDate(l.expiry)) errors.push({ field: `lines[${i}].expiry`, message: 'is not a date, nor a month MM/YYYY or YYYY-MM' });
      // A batch is usable through its expiry date: one expiring today may still be received.
      else if (isExpired(l.expiry, today)) errors.push({ field: `lines[${i}].expiry`, message: `batch ${l.batchNo} has expired (${l.expiry}); it cannot be received` });
      if (l.mrpPaise < l.purchaseRatePaise) errors.push({ field: `lines[${i}].mrpPaise`, message: 'is below the purchase rate' });
    });
    const keys = input.lines.map((l) => `${l.itemId}/${l.batchNo}`);
    if (new Set(keys).size !== keys.length) errors.push({ field: 'lines', message: 'name each item batch once' });
    if (errors.length) throw new DomainError('validation', 'validation-failed', errors.map((e) => `${e.field} ${e.message}`).join('; '), {}, errors);

    try {
      return await this.db.transaction({ branchId: caller.branchId }, async (tx) => {
        const store = await tx.maybeOne<{ code: string; retired: boolean; min_shelf_life_days: number }>(
          // FOR SHARE: the store is not deactivated (which needs it empty) while stock comes in.
          'SELECT code, retired_at IS NOT NULL AS retired, min_shelf_life_days FROM stores WHERE id = $1 FOR SHARE',
          [input.storeId],
        );
        if (!store) throw notFound('The store', 'store-not-found');
        if (store.retired) throw new DomainError('unprocessable', 'store-inactive', `Store ${store.code} is deactivated: it receives nothing`, {}, [{ field: 'storeId', message: 'is a deactivated store' }]);
        const supplier = await tx.maybeOne<{ gstin: string; name: string; retired: boolean }>('SELECT gstin, name, retired_at IS NOT NULL AS retired FROM suppliers WHERE id = $1', [
          input.supplierId,
        ]);
        if (!supplier) throw notFound('The supplier', 'supplier-not-found');
        if (supplier.retired) {
          throw new DomainError('unprocessable', 'supplier-inactive', `${supplier.name} is deactivated: no goods are received from them`, {}, [{ field: 'supplierId', message: 'is a deactivated supplier' }]);
        }
        await assertItemsReceivable(tx, input.lines);
        // The store's minimum shelf life: a line that leaves less is refused, naming the line.
        const short = input.lines.flatMap((l, i) =>
          meetsMinimumShelfLife(l.expiry, today, store.min_shelf_life_days)
            ? []
            : [{ field: `lines[${i}].expiry`, message: `batch ${l.batchNo} leaves ${daysToExpiry(l.expiry, today)} day(s) of shelf life; store ${store.code} takes batches with at least ${store.min_shelf_life_days}` }],
        );
        if (short.length) throw new DomainError('unprocessable', 'shelf-life-too-short', short.map((e) => `${e.field}: ${e.message}`).join('; '), { minShelfLifeDays: store.min_shelf_life_days }, short);

        // Receipts take the same (store, item) locks as every other movement, so a receipt that
        // creates a balance row never meets a transfer-in creating it too in the other order.
        await lockBalances(tx, caller.branchId, { storeIds: [input.storeId], itemIds: input.lines.map((l) => l.itemId) });
        const receiptId = uuidv7();
        await tx.query(
          `INSERT INTO goods_receipts (id, branch_id, store_id, supplier_id, invoice_number, invoice_date, received_at, received_on, created_by)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
          [receiptId, caller.branchId, input.storeId, input.supplierId, input.invoiceNumber, input.invoiceDate, now, today, caller.userId],
        );
        const movements: MovementRow[] = [];
        const lines = [];
        for (const l of input.lines) {
          await tx.query(
            `INSERT INTO batches (id, branch_id, item_id, batch_no, expiry, mrp_paise, purchase_rate_paise) VALUES ($1, $2, $3, $4, $5, $6, $7)
             ON CONFLICT (item_id, batch_no) DO NOTHING`,
            [uuidv7(), caller.branchId, l.itemId, l.batchNo, l.expiry, l.mrpPaise, l.purchaseRatePaise],
          );
          const batch = await tx.one<{ id: string; expiry: string }>(`SELECT id, to_char(expiry, 'YYYY-MM-DD') AS expiry FROM batches WHERE item_id = $1 AND batch_no = $2`, [
            l.itemId,
            l.batchNo,
          ]);
          if (batch.expiry !== l.expiry) {
            throw conflict('batch-expiry-mismatch', `Batch ${l.batchNo} was received before with expiry ${batch.expiry}, not ${l.expiry}; check the invoice`);
          }
          const base = { storeId: input.storeId, itemId: l.itemId, batchId: batch.id, expiry: l.expiry, referenceType: 'goods-receipt', referenceId: receiptId };
          movements.push({ ...base, quantity: l.quantity, movement: 'receipt' });
          if (l.freeQuantity) movements.push({ ...base, quantity: l.freeQuantity, movement: 'free' });
          lines.push({ itemId: l.itemId, batchId: batch.id, batchNo: l.batchNo, quantity: l.quantity, freeQuantity: l.freeQuantity ?? 0, expiry: l.expiry, purchaseRatePaise: l.purchaseRatePaise, mrpPaise: l.mrpPaise });
        }
        await recordMovements(tx, caller.branchId, caller.userId, movements);
        await this.outbox.append(
          tx,
          GoodsReceived,
          { receiptId, storeId: input.storeId, supplierId: input.supplierId, supplierGstin: supplier.gstin, invoiceNumber: input.invoiceNumber, invoiceDate: input.invoiceDate, lines },
          { key: receiptId, branchId: caller.branchId, actor: { type: 'user', id: caller.userId, name: caller.name }, correlationId: caller.correlationId },
        );
        return { id: receiptId, storeId: input.storeId, supplierId: input.supplierId, invoiceNumber: input.invoiceNumber, invoiceDate: input.invoiceDate, receivedOn: today, lines };
      });
    } catch (error) {
      if (pgCode(error) === PG.uniqueViolation && pgConstraint(error)?.startsWith('goods_receipts')) {
        throw conflict('invoice-received', `Invoice ${input.invoiceNumber} of this supplier was received already`);
      }
      throw error;
    }
  }

  /** Goods receipts, newest first, by store, supplier and the Indian dates they were received on (inclusive). */
  async list(caller: Caller, filter: { storeId?: string; supplierId?: string; from?: string; to?: string }, page: PageRequest): Promise<Page<GoodsReceiptView>> {
    return this.db.transaction(
      { branchId: caller.branchId },
      async (tx) => {
        const headers = await tx.query<{
          id: string;
          store_id: string;
          store_code: string;
          supplier_id: string;
          supplier_name: string;
          gstin: string;
          invoice_number: string;
          invoice_date: string;
          received_at: Date;
          received_on: string;
          created_by: string;
        }>(
          `SELECT g.id, g.store_id, st.code AS store_code, g.supplier_id, sp.name AS supplier_name, sp.gstin, g.invoice_number,
                  to_char(g.invoice_date, 'YYYY-MM-DD') AS invoice_date, g.received_at, to_char(g.received_on, 'YYYY-MM-DD') AS received_on, g.created_by
           FROM goods_receipts g JOIN stores st ON st.id = g.store_id JOIN suppliers sp ON sp.id = g.supplier_id
           WHERE g.branch_id = $1 AND ($2::uuid IS NULL OR g.store_id = $2) AND ($3::uuid IS NULL OR g.supplier_id = $3)
             AND ($4::date IS NULL OR g.received_on >= $4) AND ($5::date IS NULL OR g.received_on <= $5)
           ORDER BY g.received_at DESC, g.id DESC
           LIMIT $6 OFFSET $7`,
          [caller.branchId, filter.storeId ?? null, filter.supplierId ?? null, filter.from ?? null, filter.to ?? null, page.limit + 1, page.offset],
        );
        const lines = headers.length
          ? await tx.query<{ receipt_id: string; item_id: string; generic_name: string; strength: string | null; batch_id: string; batch_no: string; expiry: string; quantity: string; free_quantity: string }>(
              `SELECT l.reference_id AS receipt_id, l.item_id, i.generic_name, i.strength, l.batch_id, b.batch_no, to_char(b.expiry, 'YYYY-MM-DD') AS expiry,
                      sum(l.quantity) FILTER (WHERE l.movement = 'receipt') AS quantity, coalesce(sum(l.quantity) FILTER (WHERE l.movement = 'free'), 0) AS free_quantity
               FROM stock_ledger l JOIN items i ON i.id = l.item_id JOIN batches b ON b.id = l.batch_id
               WHERE l.branch_id = $1 AND l.reference_type = 'goods-receipt' AND l.reference_id = ANY($2::uuid[])
               GROUP BY l.reference_id, l.item_id, i.generic_name, i.strength, l.batch_id, b.batch_no, b.expiry
               ORDER BY i.generic_name, b.batch_no`,
              [caller.branchId, headers.map((h) => h.id)],
            )
          : [];
        const views: GoodsReceiptView[] = headers.map((h) => ({
          id: h.id,
          storeId: h.store_id,
          storeCode: h.store_code,
          supplierId: h.supplier_id,
          supplierName: h.supplier_name,
          supplierGstin: h.gstin,
          invoiceNumber: h.invoice_number,
          invoiceDate: h.invoice_date,
          receivedAt: h.received_at.toISOString(),
          receivedOn: h.received_on,
          receivedBy: h.created_by,
          lines: lines
            .filter((l) => l.receipt_id === h.id)
            .map((l) => ({
              itemId: l.item_id,
              itemName: [l.generic_name, l.strength].filter(Boolean).join(' '),
              batchId: l.batch_id,
              batchNo: l.batch_no,
              expiry: l.expiry,
              quantity: Number(l.quantity),
              freeQuantity: Number(l.free_quantity),
            })),
        }));
        return toPage(views, page);
      },
      { readOnly: true },
    );
  }
}

/** Every line names an item of the branch (400 otherwise) that is still in use (422 for a deactivated one). */
async function assertItemsReceivable(tx: Tx, lines: ReceiptInput['lines']): Promise<void> {
  for (const [i, l] of lines.entries()) {
    const item = await tx.maybeOne<{ generic_name: string; retired: boolean }>('SELECT generic_name, retired_at IS NOT NULL AS retired FROM items WHERE id = $1', [l.itemId]);
    const field = `lines[${i}].itemId`;
    if (!item) throw new DomainError('validation', 'validation-failed', `${field} names no item`, {}, [{ field, message: 'names no item' }]);
    if (item.retired) throw new DomainError('unprocessable', 'item-inactive', `${item.generic_name} is deactivated: it is no longer received`, {}, [{ field, message: 'is a deactivated item' }]);
  }
}
