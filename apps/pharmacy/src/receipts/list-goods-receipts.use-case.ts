import { Injectable } from '@nestjs/common';
import type { Caller } from '@hms/platform-auth';
import { toPage, type Page, type PageRequest } from '@hms/platform-http';
import { Database } from '@hms/platform-persistence';
import { scopeOf } from '@hms/platform-service';
import { GoodsReceiptsRepository, type GoodsReceiptFilter } from '../data/goods-receipts.repository';

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

/** Goods receipts, newest first, by store, supplier and the Indian dates they were received on (inclusive), with their batches. */
@Injectable()
export class ListGoodsReceiptsUseCase {
  constructor(
    private readonly db: Database,
    private readonly receipts: GoodsReceiptsRepository,
  ) {}

  execute(caller: Caller, filter: GoodsReceiptFilter, page: PageRequest): Promise<Page<GoodsReceiptView>> {
    return this.db.transaction(
      scopeOf(caller),
      async (tx) => {
        const headers = await this.receipts.headers(tx, caller.branchId, filter, page.limit + 1, page.offset);
        const lines = await this.receipts.lines(
          tx,
          caller.branchId,
          headers.map((h) => h.id),
        );
        const views: GoodsReceiptView[] = headers.map((h) => ({
          ...h,
          receivedAt: h.receivedAt.toISOString(),
          lines: lines
            .filter((l) => l.receiptId === h.id)
            .map((l) => ({
              itemId: l.itemId,
              itemName: [l.genericName, l.strength].filter(Boolean).join(' '),
              batchId: l.batchId,
              batchNo: l.batchNo,
              expiry: l.expiry,
              quantity: Number(l.quantity),
              freeQuantity: Number(l.freeQuantity),
            })),
        }));
        return toPage(views, page);
      },
      { readOnly: true },
    );
  }
}
