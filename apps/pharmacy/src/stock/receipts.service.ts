import { Inject, Injectable } from '@nestjs/common';
import { DomainError, conflict, notFound, type FieldError } from '@hms/contracts-common';
import { GoodsReceived } from '@hms/contracts-pharmacy';
import type { Caller } from '@hms/platform-auth';
import { Outbox } from '@hms/platform-messaging';
import { Clock, Database, PG, pgCode, pgConstraint, uuidv7 } from '@hms/platform-persistence';
import { indianDate, isCalendarDate } from '../domain';
import { recordMovements, type MovementRow } from './ledger';
import { lockBalances } from './stock-locks';

export const CLOCK = Symbol('CLOCK');

export interface ReceiptInput {
  storeId: string;
  supplierId: string;
  invoiceNumber: string;
  invoiceDate: string;
  lines: { itemId: string; batchNo: string; expiry: string; quantity: number; freeQuantity?: number; purchaseRatePaise: number; mrpPaise: number }[];
}

/** Goods received from a supplier: batches with expiry, quantities and rates, into one store. */
@Injectable()
export class ReceiptsService {
  constructor(
    private readonly db: Database,
    private readonly outbox: Outbox,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async receive(caller: Caller, request: ReceiptInput) {
    // Ids are compared as text below (the same batch named twice) and go into events: lower case only.
    const input: ReceiptInput = {
      ...request,
      storeId: request.storeId.toLowerCase(),
      supplierId: request.supplierId.toLowerCase(),
      lines: request.lines.map((l) => ({ ...l, itemId: l.itemId.toLowerCase() })),
    };
    const now = this.clock.now();
    const today = indianDate(now);
    const errors: FieldError[] = [];
    if (!isCalendarDate(input.invoiceDate)) errors.push({ field: 'invoiceDate', message: 'is not a calendar date' });
    else if (input.invoiceDate > today) errors.push({ field: 'invoiceDate', message: 'is in the future' });
    input.lines.forEach((l, i) => {
      if (!isCalendarDate(l.expiry)) errors.push({ field: `lines[${i}].expiry`, message: 'is not a calendar date' });
      // A batch that has expired, or expires on the day it arrives, is refused.
      else if (l.expiry <= today) errors.push({ field: `lines[${i}].expiry`, message: `batch ${l.batchNo} has expired (${l.expiry}); it cannot be received` });
      if (l.mrpPaise < l.purchaseRatePaise) errors.push({ field: `lines[${i}].mrpPaise`, message: 'is below the purchase rate' });
    });
    const keys = input.lines.map((l) => `${l.itemId}/${l.batchNo}`);
    if (new Set(keys).size !== keys.length) errors.push({ field: 'lines', message: 'name each item batch once' });
    if (errors.length) throw new DomainError('validation', 'validation-failed', errors.map((e) => `${e.field} ${e.message}`).join('; '), {}, errors);

    try {
      return await this.db.transaction({ branchId: caller.branchId }, async (tx) => {
        const store = await tx.maybeOne('SELECT id FROM stores WHERE id = $1 AND retired_at IS NULL', [input.storeId]);
        if (!store) throw notFound('The store', 'store-not-found');
        const supplier = await tx.maybeOne<{ gstin: string }>('SELECT gstin FROM suppliers WHERE id = $1', [input.supplierId]);
        if (!supplier) throw notFound('The supplier', 'supplier-not-found');
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
        for (const [i, l] of input.lines.entries()) {
          const item = await tx.maybeOne('SELECT id FROM items WHERE id = $1 AND retired_at IS NULL', [l.itemId]);
          if (!item) throw new DomainError('validation', 'validation-failed', `lines[${i}].itemId names no item`, {}, [{ field: `lines[${i}].itemId`, message: 'names no item' }]);
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
}
