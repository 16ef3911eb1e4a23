import { defineEvent, topicName } from '@hms/contracts-common';

export const DISPENSE_TOPIC = topicName('pharmacy', 'dispense');
export const STOCK_TOPIC = topicName('pharmacy', 'stock');

export const DRUG_SCHEDULES = ['NONE', 'G', 'H', 'H1', 'X', 'NDPS'] as const;
export type DrugSchedule = (typeof DRUG_SCHEDULES)[number];

export const STORE_KINDS = ['main', 'pharmacy', 'ward'] as const;
export type StoreKind = (typeof STORE_KINDS)[number];

/** In-patient supplies are part of the exempt composite supply (GST-03); counter sales are taxable (GST-04). */
export const SUPPLY_KINDS = ['inpatient', 'outpatient', 'otc'] as const;
export type SupplyKind = (typeof SUPPLY_KINDS)[number];

// Expiry convention of every `expiry` below: a batch is usable through its expiry date,
// inclusive, judged by the Indian date, and expired from the next day. An expiry printed as a month
// and year (MM/YYYY, as on Indian strips) is received as the last day of that month.

export interface DispensedLine {
  itemId: string;
  itemName: string;
  batchId: string;
  batchNo: string;
  /** YYYY-MM-DD: the batch is usable through this day, inclusive. */
  expiry: string;
  quantity: number;
  mrpPaise: number;
  hsn: string;
  /** GST rate in basis points (500 = 5%) in force on the day of supply. */
  gstRateBp: number;
  schedule: DrugSchedule;
}

export interface DispensedData {
  dispenseId: string;
  storeId: string;
  supplyKind: SupplyKind;
  patientId: string | null;
  admissionId: string | null;
  prescriptionId: string | null;
  dispensedAt: string;
  lines: DispensedLine[];
}

export interface StockMovementLine {
  itemId: string;
  batchId: string;
  batchNo: string;
  quantity: number;
}

export interface GoodsReceivedData {
  receiptId: string;
  storeId: string;
  supplierId: string;
  supplierGstin: string;
  invoiceNumber: string;
  invoiceDate: string;
  /** `expiry` as a date (a month-and-year expiry given at receipt is its last day), usable through that day. */
  lines: (StockMovementLine & { freeQuantity: number; expiry: string; purchaseRatePaise: number; mrpPaise: number })[];
}

export interface StockReturnedData {
  returnId: string;
  storeId: string;
  kind: 'patient-return' | 'return-to-supplier';
  patientId: string | null;
  dispenseId: string | null;
  /** For a return to supplier. */
  supplierId: string | null;
  lines: StockMovementLine[];
}

export interface StockTransferredData {
  transferId: string;
  fromStoreId: string;
  toStoreId: string;
  status: 'in-transit' | 'received';
  lines: StockMovementLine[];
}

export interface StockAdjustedData {
  adjustmentId: string;
  storeId: string;
  reason: string;
  kind: 'adjustment' | 'stock-take' | 'expiry-write-off';
  lines: StockMovementLine[];
}

export interface ReorderNeededData {
  storeId: string;
  itemId: string;
  itemName: string;
  onHand: number;
  reorderLevel: number;
  reorderQuantity: number;
}

export const Dispensed = defineEvent<DispensedData>('pharmacy.dispense.dispensed', DISPENSE_TOPIC);
export const StockReturned = defineEvent<StockReturnedData>('pharmacy.stock.returned', STOCK_TOPIC);
export const GoodsReceived = defineEvent<GoodsReceivedData>('pharmacy.stock.goods-received', STOCK_TOPIC);
export const StockTransferred = defineEvent<StockTransferredData>('pharmacy.stock.transferred', STOCK_TOPIC);
export const StockAdjusted = defineEvent<StockAdjustedData>('pharmacy.stock.adjusted', STOCK_TOPIC);
export const ReorderNeeded = defineEvent<ReorderNeededData>('pharmacy.stock.reorder-needed', STOCK_TOPIC);
