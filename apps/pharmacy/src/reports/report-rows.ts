import type { BatchStockRow } from '../data/stock-reports.repository';

/** Paise sums come back from PostgreSQL as numeric text; they are whole numbers well inside 2^53. */
export const paise = (value: string | number | null) => Number(value ?? 0);

/** A batch's stock as a report shows it: the row, its paise sums as numbers. */
export type BatchStockLine = Omit<BatchStockRow, 'purchaseValue' | 'mrpValue'> & { purchaseValuePaise: number; mrpValuePaise: number };

export const batchStockLine = ({ purchaseValue, mrpValue, ...r }: BatchStockRow): BatchStockLine => ({ ...r, purchaseValuePaise: paise(purchaseValue), mrpValuePaise: paise(mrpValue) });
