import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsInt, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min, MinLength, ValidateBy, ValidateNested, buildMessage, type ValidationOptions } from 'class-validator';
import { IsCalendarDate, IsNotBlank, PageQuery, isCalendarDate } from '@hms/platform-http';
import { monthYearExpiry } from '../domain';
import { NotAfterTo, QueryDate, QueryId } from './query-fields';

/**
 * A batch expiry as the invoice or strip gives it: a date `YYYY-MM-DD`, or a month and year
 * `MM/YYYY` or `YYYY-MM`, which means the last day of that month.
 */
export function IsExpiry(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isExpiry',
      validator: {
        validate: (value) => isCalendarDate(value) || (typeof value === 'string' && monthYearExpiry(value) !== null),
        defaultMessage: buildMessage((each) => `${each}$property must be a date YYYY-MM-DD, or a month MM/YYYY or YYYY-MM (the last day of that month), from 1900 to 2199`, options),
      },
    },
    options,
  );
}

export class ReceiptLineDto {
  @ApiProperty() @IsUUID() itemId!: string;
  @ApiProperty({ example: 'B2611A' }) @IsString() @Matches(/^[A-Za-z0-9][A-Za-z0-9/_.-]{0,29}$/, { message: 'batchNo must be 1–30 letters, digits or / _ . -' }) batchNo!: string;
  @ApiProperty({ example: '06/2028', description: 'YYYY-MM-DD, or the month as printed on the strip, MM/YYYY or YYYY-MM: the batch is usable through that day (the last day of that month)' })
  @IsString()
  @IsExpiry()
  expiry!: string;
  @ApiProperty({ example: 100 }) @IsInt() @Min(1) @Max(10_000_000) quantity!: number;
  @ApiPropertyOptional({ example: 10 }) @IsOptional() @IsInt() @Min(0) @Max(10_000_000) freeQuantity?: number;
  @ApiProperty({ example: 150, description: 'Per unit, paise' }) @IsInt() @Min(0) @Max(100_000_000) purchaseRatePaise!: number;
  @ApiProperty({ example: 200, description: 'Per unit, paise' }) @IsInt() @Min(0) @Max(100_000_000) mrpPaise!: number;
}

export class GoodsReceiptDto {
  @ApiProperty() @IsUUID() storeId!: string;
  @ApiProperty() @IsUUID() supplierId!: string;
  @ApiProperty({ example: 'PPD/2026/00042' }) @IsString() @MinLength(1) @MaxLength(30) @IsNotBlank() invoiceNumber!: string;
  @ApiProperty({ example: '2026-11-20' }) @IsString() @IsCalendarDate() invoiceDate!: string;

  @ApiProperty({ type: [ReceiptLineDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(500)
  @ValidateNested({ each: true })
  @Type(() => ReceiptLineDto)
  lines!: ReceiptLineDto[];
}

/** GET goods-receipts: by store, supplier and the days received (India, both inclusive). */
export class ListGoodsReceiptsQuery extends PageQuery {
  @ApiPropertyOptional({ format: 'uuid' }) @QueryId() storeId?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @QueryId() supplierId?: string;
  @ApiPropertyOptional({ example: '2026-11-01', description: 'Received on or after (YYYY-MM-DD)' }) @QueryDate() @NotAfterTo() from?: string;
  @ApiPropertyOptional({ example: '2026-11-30', description: 'Received on or before (YYYY-MM-DD)' }) @QueryDate() to?: string;
}

// Responses. Names carry the service's name: schema names must be unique across the services the
// gateway's document merges.

export class PharmacyGoodsReceiptLine {
  @ApiProperty({ format: 'uuid' }) itemId!: string;
  @ApiProperty({ example: 'Paracetamol 500 mg', description: 'Generic name and strength' }) itemName!: string;
  @ApiProperty({ format: 'uuid' }) batchId!: string;
  @ApiProperty({ example: 'B2611A' }) batchNo!: string;
  @ApiProperty({ format: 'date', example: '2028-06-30' }) expiry!: string;
  @ApiProperty({ example: 100 }) quantity!: number;
  @ApiProperty({ example: 10 }) freeQuantity!: number;
}

export class PharmacyGoodsReceipt {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) storeId!: string;
  @ApiProperty({ example: 'MAIN-STORE' }) storeCode!: string;
  @ApiProperty({ format: 'uuid' }) supplierId!: string;
  @ApiProperty({ example: 'Pune Pharma Distributors' }) supplierName!: string;
  @ApiProperty({ example: '27AAPFU0939F1ZV' }) supplierGstin!: string;
  @ApiProperty({ example: 'PPD/2026/00042' }) invoiceNumber!: string;
  @ApiProperty({ format: 'date', example: '2026-11-20' }) invoiceDate!: string;
  @ApiProperty({ format: 'date-time' }) receivedAt!: string;
  @ApiProperty({ format: 'date', example: '2026-11-21', description: 'The day in India it was received' }) receivedOn!: string;
  @ApiProperty({ description: 'The user who received it' }) receivedBy!: string;
  @ApiProperty({ type: [PharmacyGoodsReceiptLine] }) lines!: PharmacyGoodsReceiptLine[];
}

/** A line of a new goods receipt, as received. */
export class PharmacyReceivedLine {
  @ApiProperty({ format: 'uuid' }) itemId!: string;
  @ApiProperty({ format: 'uuid' }) batchId!: string;
  @ApiProperty({ example: 'B2611A' }) batchNo!: string;
  @ApiProperty({ example: 100 }) quantity!: number;
  @ApiProperty({ example: 10, description: '0 when none came free' }) freeQuantity!: number;
  @ApiProperty({ format: 'date', example: '2028-06-30', description: 'As a date: a month and year sent is the last day of that month' }) expiry!: string;
  @ApiProperty({ example: 150, description: 'Per unit, paise' }) purchaseRatePaise!: number;
  @ApiProperty({ example: 200, description: 'Per unit, paise' }) mrpPaise!: number;
}

/** What POST goods-receipts answers: the receipt as recorded. */
export class PharmacyReceivedGoods {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) storeId!: string;
  @ApiProperty({ format: 'uuid' }) supplierId!: string;
  @ApiProperty({ example: 'PPD/2026/00042' }) invoiceNumber!: string;
  @ApiProperty({ format: 'date', example: '2026-11-20' }) invoiceDate!: string;
  @ApiProperty({ format: 'date', example: '2026-11-21', description: 'The day in India it was received' }) receivedOn!: string;
  @ApiProperty({ type: [PharmacyReceivedLine] }) lines!: PharmacyReceivedLine[];
}
