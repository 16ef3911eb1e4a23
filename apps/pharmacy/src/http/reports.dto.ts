import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ValidateBy } from 'class-validator';
import { PageOf, PageQuery } from '@hms/platform-http';
import { nearExpiryDays } from '../domain';
import { NotAfterTo, OrRequired, QueryDate, QueryId } from './query-fields';
import { PharmacyBatchInStore } from './stock.dto';

/** A report of one store, or of all the branch's stores. */
export class StoreReportQuery {
  @ApiPropertyOptional({ format: 'uuid' }) @QueryId() storeId?: string;
}

/** A paged report of one store, or of all the branch's stores. */
export class PagedStoreReportQuery extends PageQuery {
  @ApiPropertyOptional({ format: 'uuid' }) @QueryId() storeId?: string;
}

/** GET reports/in-transit. */
export class InTransitReportQuery extends PageQuery {
  @ApiPropertyOptional({ format: 'uuid', description: 'Sent from or to this store' }) @QueryId() storeId?: string;
}

/** GET reports/near-expiry: batches expiring within the next `days` days. */
export class NearExpiryReportQuery extends PageQuery {
  @ApiPropertyOptional({ format: 'uuid' }) @QueryId() storeId?: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 730, default: 90, example: 90 })
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? (nearExpiryDays(value) ?? value) : value))
  @ValidateBy({ name: 'nearExpiryDays', validator: { validate: (value: unknown) => typeof value === 'number' } }, { message: 'must be a whole number from 1 to 730' })
  days = 90;
}

/** GET reports/movements: an item's or a batch's ledger rows between two dates (India, inclusive). */
export class MovementsReportQuery extends PageQuery {
  @ApiPropertyOptional({ format: 'uuid', description: 'Give itemId or batchId, not both' }) @QueryId() @OrRequired('batchId', { notBoth: true }) itemId?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @QueryId() batchId?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @QueryId() storeId?: string;
  @ApiPropertyOptional({ example: '2026-11-01' }) @QueryDate() @NotAfterTo() from?: string;
  @ApiPropertyOptional({ example: '2026-11-30' }) @QueryDate() to?: string;
}

// Responses. Names carry the service's name: schema names must be unique across the services the
// gateway's document merges.

export class PharmacyBelowReorderLine {
  @ApiProperty({ format: 'uuid' }) storeId!: string;
  @ApiProperty({ example: 'MAIN-STORE' }) storeCode!: string;
  @ApiProperty({ format: 'uuid' }) itemId!: string;
  @ApiProperty({ example: 'PCM500' }) itemCode!: string;
  @ApiProperty({ example: 'Paracetamol' }) genericName!: string;
  @ApiProperty({ example: 40, description: 'On hand expiring today or later' }) usableOnHand!: number;
  @ApiProperty({ example: 100 }) reorderLevel!: number;
  @ApiProperty({ example: 500 }) reorderQuantity!: number;
  @ApiProperty({ example: 60, description: 'reorderLevel minus usableOnHand' }) shortBy!: number;
  @ApiProperty({ example: 0, description: 'Units in transit to the store' }) inTransit!: number;
}

/** A batch in stock, with its value. */
export class PharmacyBatchStockLine extends PharmacyBatchInStore {
  @ApiProperty({ example: 70, description: 'From today (India); negative once expired' }) daysToExpiry!: number;
  @ApiProperty({ example: 7200, description: 'At purchase rate, paise' }) purchaseValuePaise!: number;
  @ApiProperty({ example: 9600, description: 'At MRP, paise' }) mrpValuePaise!: number;
}

export class PharmacyNearExpiryReport extends PageOf(PharmacyBatchStockLine) {
  @ApiProperty({ format: 'date', example: '2026-11-22', description: 'Today in India' }) today!: string;
  @ApiProperty({ format: 'date', example: '2027-02-20', description: 'The last expiry date included: today + days' }) until!: string;
}

export class PharmacyExpiredStockReport extends PageOf(PharmacyBatchStockLine) {
  @ApiProperty({ format: 'date', example: '2026-11-22', description: 'Today in India: batches expiring before it are listed' }) today!: string;
}

/** Units of stock with their value at purchase rate and at MRP. */
export class PharmacyStockValue {
  @ApiProperty({ example: 1200 }) units!: number;
  @ApiProperty({ example: 180000, description: 'Paise' }) purchaseValuePaise!: number;
  @ApiProperty({ example: 240000, description: 'Paise' }) mrpValuePaise!: number;
}

export class PharmacyStoreValuation {
  @ApiProperty({ format: 'uuid' }) storeId!: string;
  @ApiProperty({ example: 'MAIN-STORE' }) storeCode!: string;
  @ApiProperty({ example: 1200 }) units!: number;
  @ApiProperty({ example: 180000, description: 'Paise' }) purchaseValuePaise!: number;
  @ApiProperty({ example: 240000, description: 'Paise' }) mrpValuePaise!: number;
  @ApiProperty({ type: PharmacyStockValue, description: 'The expired part, included in the figures above' }) expired!: PharmacyStockValue;
}

export class PharmacyValuationTotals {
  @ApiProperty({ example: 1200 }) units!: number;
  @ApiProperty({ example: 180000, description: 'Paise' }) purchaseValuePaise!: number;
  @ApiProperty({ example: 240000, description: 'Paise' }) mrpValuePaise!: number;
  @ApiProperty({ type: PharmacyStockValue, description: 'The expired part, included in the figures above' }) expired!: PharmacyStockValue;
}

export class PharmacyStockValuation {
  @ApiProperty({ format: 'date', example: '2026-11-22', description: 'Today in India: batches expiring before it count as expired' }) asOf!: string;
  @ApiProperty({ type: [PharmacyStoreValuation], description: 'Every store in use (or the one asked for), by code' }) stores!: PharmacyStoreValuation[];
  @ApiProperty({ type: PharmacyValuationTotals, description: 'The sum over the stores listed' }) totals!: PharmacyValuationTotals;
}

const MOVEMENTS = ['receipt', 'free', 'issue', 'dispense', 'transfer-out', 'transfer-in', 'adjustment', 'return-to-supplier', 'patient-return', 'expiry-write-off', 'stock-take'] as const;
const REFERENCE_TYPES = ['goods-receipt', 'dispense', 'transfer', 'stock-adjustment', 'stock-return'] as const;

/** A row of the stock ledger. */
export class PharmacyStockMovement {
  @ApiProperty({ type: 'integer', example: 1042, description: 'The ledger row’s number: the order rows were written in' }) id!: number;
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty({ format: 'uuid' }) storeId!: string;
  @ApiProperty({ example: 'MAIN-STORE' }) storeCode!: string;
  @ApiProperty({ format: 'uuid' }) itemId!: string;
  @ApiProperty({ format: 'uuid' }) batchId!: string;
  @ApiProperty({ example: 'B2611A' }) batchNo!: string;
  @ApiProperty({ enum: MOVEMENTS }) movement!: string;
  @ApiProperty({ example: -10, description: 'Signed: receipts add, issues take away' }) quantity!: number;
  @ApiProperty({ enum: REFERENCE_TYPES, description: 'What the movement belongs to' }) referenceType!: string;
  @ApiProperty({ format: 'uuid' }) referenceId!: string;
  @ApiProperty({ nullable: true, type: String, example: 'Strip damaged in handling' }) reason!: string | null;
  @ApiProperty({ description: 'The user who moved the stock' }) actorId!: string;
}

/** A batch on a transfer that has not been received yet. */
export class PharmacyInTransitLine {
  @ApiProperty({ format: 'uuid' }) transferId!: string;
  @ApiProperty({ format: 'uuid' }) fromStoreId!: string;
  @ApiProperty({ example: 'MAIN-STORE' }) fromStoreCode!: string;
  @ApiProperty({ format: 'uuid' }) toStoreId!: string;
  @ApiProperty({ example: 'WARD-3' }) toStoreCode!: string;
  @ApiProperty({ format: 'date-time' }) sentAt!: string;
  @ApiProperty({ format: 'uuid' }) itemId!: string;
  @ApiProperty({ example: 'Paracetamol' }) genericName!: string;
  @ApiProperty({ format: 'uuid' }) batchId!: string;
  @ApiProperty({ example: 'B2611A' }) batchNo!: string;
  @ApiProperty({ format: 'date', example: '2028-06-30' }) expiry!: string;
  @ApiProperty({ example: 50 }) quantity!: number;
  @ApiProperty({ example: 7500, description: 'At purchase rate, paise' }) purchaseValuePaise!: number;
  @ApiProperty({ example: 10000, description: 'At MRP, paise' }) mrpValuePaise!: number;
}
