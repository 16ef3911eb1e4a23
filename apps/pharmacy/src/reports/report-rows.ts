import type { BatchStockRow } from '../data/stock-reports.repository';

/** Paise sums come back from PostgreSQL as numeric text; they are whole numbers well inside 2^53. */
export const paise = (value: string | number | null) => Number(value ?? 0);

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

export const batchStockLine = ({ purchaseValue, mrpValue, ...r }: BatchStockRow): BatchStockLine => ({ ...r, purchaseValuePaise: paise(purchaseValue), mrpValuePaise: paise(mrpValue) });
