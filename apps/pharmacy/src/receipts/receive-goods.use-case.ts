import { Inject, Injectable } from '@nestjs/common';
import { type FieldError } from '@hms/contracts-common';
import { GoodsReceived } from '@hms/contracts-pharmacy';
import type { Caller } from '@hms/platform-auth';
import { isCalendarDate } from '@hms/platform-http';
import { Outbox } from '@hms/platform-messaging';
import { Database, PG, pgCode, pgConstraint, type Tx } from '@hms/platform-persistence';
import { CLOCK, Clock, ID_GENERATOR, type IdGenerator } from '@hms/platform-time';
import { GoodsReceiptsRepository } from '../data/goods-receipts.repository';
import { ItemsRepository } from '../data/items.repository';
import { StockRepository, type MovementRow } from '../data/stock.repository';
import { StoresRepository } from '../data/stores.repository';
import { SuppliersRepository } from '../data/suppliers.repository';
import { daysToExpiry, indianDate, isExpired, meetsMinimumShelfLife, monthYearExpiry } from '../domain';
import { eventMeta, scopeOf } from '@hms/platform-service';
import { conflict, notFound, pharmacyError } from '../domain/errors';

export interface ReceiptInput {
  storeId: string;
  supplierId: string;
  invoiceNumber: string;
  invoiceDate: string;
  /** `expiry`: YYYY-MM-DD, or MM/YYYY or YYYY-MM meaning the last day of that month. */
  lines: { itemId: string; batchNo: string; expiry: string; quantity: number; freeQuantity?: number; purchaseRatePaise: number; mrpPaise: number }[];
}

/** An expiry as a date: a month and year means the last day of that month; null if it is neither. */
const expiryDate = (text: string): string | null => monthYearExpiry(text) ?? (isCalendarDate(text) ? text : null);

/** Receives goods from a supplier into one store: batches with expiry, quantities and rates. */
@Injectable()
export class ReceiveGoodsUseCase {
  constructor(
    private readonly db: Database,
    private readonly outbox: Outbox,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly stores: StoresRepository,
    private readonly suppliers: SuppliersRepository,
    private readonly items: ItemsRepository,
    private readonly stock: StockRepository,
    private readonly receipts: GoodsReceiptsRepository,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
  ) {}

  async execute(caller: Caller, request: ReceiptInput) {
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
    if (errors.length) throw pharmacyError('validation', 'validation-failed', errors.map((e) => `${e.field} ${e.message}`).join('; '), {}, errors);

    try {
      return await this.db.transaction(scopeOf(caller), async (tx) => {
        // FOR SHARE: the store is not deactivated (which needs it empty) while stock comes in.
        const store = await this.stores.shareLock(tx, input.storeId);
        if (!store) throw notFound('The store', 'store-not-found');
        if (store.retired) throw pharmacyError('unprocessable', 'store-inactive', `Store ${store.code} is deactivated: it receives nothing`, {}, [{ field: 'storeId', message: 'is a deactivated store' }]);
        const supplier = await this.suppliers.find(tx, input.supplierId);
        if (!supplier) throw notFound('The supplier', 'supplier-not-found');
        if (supplier.retiredAt !== null) {
          throw pharmacyError('unprocessable', 'supplier-inactive', `${supplier.name} is deactivated: no goods are received from them`, {}, [{ field: 'supplierId', message: 'is a deactivated supplier' }]);
        }
        await this.assertItemsReceivable(tx, input.lines);
        // The store's minimum shelf life: a line that leaves less is refused, naming the line.
        const short = input.lines.flatMap((l, i) =>
          meetsMinimumShelfLife(l.expiry, today, store.minShelfLifeDays)
            ? []
            : [{ field: `lines[${i}].expiry`, message: `batch ${l.batchNo} leaves ${daysToExpiry(l.expiry, today)} day(s) of shelf life; store ${store.code} takes batches with at least ${store.minShelfLifeDays}` }],
        );
        if (short.length) throw pharmacyError('unprocessable', 'shelf-life-too-short', short.map((e) => `${e.field}: ${e.message}`).join('; '), { minShelfLifeDays: store.minShelfLifeDays }, short);

        // Receipts take the same (store, item) locks as every other movement, so a receipt that
        // creates a balance row never meets a transfer-in creating it too in the other order.
        await this.stock.lockBalances(tx, caller.branchId, { storeIds: [input.storeId], itemIds: input.lines.map((l) => l.itemId) });
        const receiptId = this.ids.next();
        await this.receipts.insert(tx, {
          id: receiptId,
          branchId: caller.branchId,
          storeId: input.storeId,
          supplierId: input.supplierId,
          invoiceNumber: input.invoiceNumber,
          invoiceDate: input.invoiceDate,
          receivedAt: now,
          receivedOn: today,
          createdBy: caller.userId,
        });
        const movements: MovementRow[] = [];
        const lines = [];
        for (const l of input.lines) {
          const batch = await this.stock.receiveBatch(tx, { id: this.ids.next(), branchId: caller.branchId, itemId: l.itemId, batchNo: l.batchNo, expiry: l.expiry, mrpPaise: l.mrpPaise, purchaseRatePaise: l.purchaseRatePaise });
          if (batch.expiry !== l.expiry) {
            throw conflict('batch-expiry-mismatch', `Batch ${l.batchNo} was received before with expiry ${batch.expiry}, not ${l.expiry}; check the invoice`);
          }
          const base = { storeId: input.storeId, itemId: l.itemId, batchId: batch.id, expiry: l.expiry, referenceType: 'goods-receipt', referenceId: receiptId };
          movements.push({ ...base, quantity: l.quantity, movement: 'receipt' });
          if (l.freeQuantity) movements.push({ ...base, quantity: l.freeQuantity, movement: 'free' });
          lines.push({ itemId: l.itemId, batchId: batch.id, batchNo: l.batchNo, quantity: l.quantity, freeQuantity: l.freeQuantity ?? 0, expiry: l.expiry, purchaseRatePaise: l.purchaseRatePaise, mrpPaise: l.mrpPaise });
        }
        await this.stock.recordMovements(tx, caller.branchId, caller.userId, movements);
        await this.outbox.append(
          tx,
          GoodsReceived,
          { receiptId, storeId: input.storeId, supplierId: input.supplierId, supplierGstin: supplier.gstin, invoiceNumber: input.invoiceNumber, invoiceDate: input.invoiceDate, lines },
          eventMeta(caller, receiptId),
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

  /** Every line names an item of the branch (400 otherwise) that is still in use (422 for a deactivated one). */
  private async assertItemsReceivable(tx: Tx, lines: ReceiptInput['lines']): Promise<void> {
    for (const [i, l] of lines.entries()) {
      const item = await this.items.receivable(tx, l.itemId);
      const field = `lines[${i}].itemId`;
      if (!item) throw pharmacyError('validation', 'validation-failed', `${field} names no item`, {}, [{ field, message: 'names no item' }]);
      if (item.retired) throw pharmacyError('unprocessable', 'item-inactive', `${item.genericName} is deactivated: it is no longer received`, {}, [{ field, message: 'is a deactivated item' }]);
    }
  }
}
