import { AdmissionEntity } from './admission.entity';
import { BatchEntity } from './batch.entity';
import { DispenseLineEntity } from './dispense-line.entity';
import { DispenseEntity } from './dispense.entity';
import { GoodsReceiptEntity } from './goods-receipt.entity';
import { H1RegisterEntryEntity } from './h1-register-entry.entity';
import { ItemGstRateEntity } from './item-gst-rate.entity';
import { ItemEntity } from './item.entity';
import { PatientEntity } from './patient.entity';
import { ReorderLevelEntity } from './reorder-level.entity';
import { StockAdjustmentEntity } from './stock-adjustment.entity';
import { StockBalanceEntity } from './stock-balance.entity';
import { StockLedgerEntity } from './stock-ledger.entity';
import { StockReturnEntity } from './stock-return.entity';
import { StockTakeCountEntity } from './stock-take-count.entity';
import { StoreEntity } from './store.entity';
import { SupplierEntity } from './supplier.entity';
import { TransferLineEntity } from './transfer-line.entity';
import { TransferEntity } from './transfer.entity';

/** One entity per table of the pharmacy schema. */
export const pharmacyEntities = [
  ItemEntity,
  ItemGstRateEntity,
  StoreEntity,
  ReorderLevelEntity,
  SupplierEntity,
  GoodsReceiptEntity,
  BatchEntity,
  StockLedgerEntity,
  StockBalanceEntity,
  DispenseEntity,
  DispenseLineEntity,
  H1RegisterEntryEntity,
  TransferEntity,
  TransferLineEntity,
  StockAdjustmentEntity,
  StockTakeCountEntity,
  StockReturnEntity,
  PatientEntity,
  AdmissionEntity,
] as const;
