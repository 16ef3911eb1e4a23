import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateBy,
  ValidateIf,
  ValidateNested,
  buildMessage,
  type ValidationOptions,
} from 'class-validator';
import { DRUG_SCHEDULES, STORE_KINDS, SUPPLY_KINDS } from '@hms/contracts-pharmacy';
import { IsCalendarDate, IsNotBlank, IsPersonName, isCalendarDate } from '@hms/platform-http';
import { MAX_GST_RATE_BP, monthYearExpiry } from './domain';

const ITEM_KINDS = ['drug', 'consumable'] as const;
const HSN = /^\d{4}(\d{2}){0,2}$/;
const HSN_MESSAGE = 'hsn must be 4, 6 or 8 digits';
/** The longest a store may ask a batch to have left when it arrives: ten years. */
const MAX_SHELF_LIFE_DAYS = 3650;

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

/** Present (not undefined): a PATCH field that may be left out but never sent as null. */
const present = (_: object, value: unknown) => value !== undefined;

export class CreateItemDto {
  @ApiProperty({ example: 'PCM500' }) @IsString() @Matches(/^[A-Z0-9][A-Z0-9_-]{0,29}$/, { message: 'code must be 1–30 capital letters, digits, _ or -' }) code!: string;
  @ApiProperty({ enum: ITEM_KINDS }) @IsIn(ITEM_KINDS) kind!: (typeof ITEM_KINDS)[number];
  @ApiProperty({ example: 'Paracetamol' }) @IsString() @MinLength(1) @MaxLength(200) @IsNotBlank() genericName!: string;
  @ApiPropertyOptional({ example: 'Calpol' }) @IsOptional() @IsString() @MaxLength(200) @IsNotBlank() brandName?: string;
  @ApiProperty({ example: 'tablet' }) @IsString() @MinLength(1) @MaxLength(50) @IsNotBlank() form!: string;
  @ApiPropertyOptional({ example: '500 mg' }) @IsOptional() @IsString() @MaxLength(50) @IsNotBlank() strength?: string;
  @ApiProperty({ example: 'tablet', description: 'The unit stock is counted in' }) @IsString() @MinLength(1) @MaxLength(20) @IsNotBlank() unit!: string;
  @ApiProperty({ example: 10, description: 'Units in a pack' }) @IsInt() @Min(1) @Max(100_000) packSize!: number;
  @ApiProperty({ example: '3004', description: 'HSN code: 4, 6 or 8 digits' }) @IsString() @Matches(HSN, { message: HSN_MESSAGE }) hsn!: string;
  @ApiProperty({ enum: DRUG_SCHEDULES }) @IsIn(DRUG_SCHEDULES) schedule!: (typeof DRUG_SCHEDULES)[number];

  @ApiProperty({ example: 500, description: 'GST rate in basis points (500 = 5%) from gstEffectiveFrom: a rate in force on that date (0, 0.25, 3, 5, 12, 18, 28%; 40% from 22 Sep 2025)' })
  @IsInt()
  @Min(0)
  @Max(MAX_GST_RATE_BP)
  gstRateBp!: number;

  @ApiProperty({ example: '2025-09-22', description: 'From 2017-07-01, when GST began' }) @IsString() @IsCalendarDate() gstEffectiveFrom!: string;
}

/** What a PATCH of an item may change; `null` clears brand name or strength. The code never changes. */
export class UpdateItemDto {
  @ApiPropertyOptional({ enum: ITEM_KINDS }) @ValidateIf(present) @IsIn(ITEM_KINDS) kind?: (typeof ITEM_KINDS)[number];
  @ApiPropertyOptional({ example: 'Paracetamol' }) @ValidateIf(present) @IsString() @MaxLength(200) @IsNotBlank() genericName?: string;
  @ApiPropertyOptional({ example: 'Calpol', nullable: true, type: String }) @IsOptional() @IsString() @MaxLength(200) @IsNotBlank() brandName?: string | null;
  @ApiPropertyOptional({ example: 'tablet' }) @ValidateIf(present) @IsString() @MaxLength(50) @IsNotBlank() form?: string;
  @ApiPropertyOptional({ example: '650 mg', nullable: true, type: String }) @IsOptional() @IsString() @MaxLength(50) @IsNotBlank() strength?: string | null;
  @ApiPropertyOptional({ example: 'tablet' }) @ValidateIf(present) @IsString() @MaxLength(20) @IsNotBlank() unit?: string;
  @ApiPropertyOptional({ example: 15 }) @ValidateIf(present) @IsInt() @Min(1) @Max(100_000) packSize?: number;
  @ApiPropertyOptional({ example: '30049099' }) @ValidateIf(present) @IsString() @Matches(HSN, { message: HSN_MESSAGE }) hsn?: string;
  @ApiPropertyOptional({ enum: DRUG_SCHEDULES }) @ValidateIf(present) @IsIn(DRUG_SCHEDULES) schedule?: (typeof DRUG_SCHEDULES)[number];
  @ApiPropertyOptional({ description: 'false deactivates: the item can then be neither received nor dispensed; true brings it back' })
  @ValidateIf(present)
  @IsBoolean()
  active?: boolean;
}

export class GstRateDto {
  @ApiProperty({ example: '2025-09-22', description: 'From 2017-07-01, when GST began' }) @IsString() @IsCalendarDate() effectiveFrom!: string;
  @ApiProperty({ example: 500, description: 'Basis points: a GST rate in force on effectiveFrom' }) @IsInt() @Min(0) @Max(MAX_GST_RATE_BP) rateBp!: number;
}

export class CreateStoreDto {
  @ApiProperty({ example: 'MAIN-STORE' }) @IsString() @Matches(/^[A-Z0-9][A-Z0-9_-]{0,19}$/, { message: 'code must be 1–20 capital letters, digits, _ or -' }) code!: string;
  @ApiProperty({ example: 'Main store' }) @IsString() @MinLength(1) @MaxLength(100) @IsNotBlank() name!: string;
  @ApiProperty({ enum: STORE_KINDS }) @IsIn(STORE_KINDS) kind!: (typeof STORE_KINDS)[number];
  @ApiPropertyOptional({ description: 'For a ward sub-store' }) @IsOptional() @IsUUID() wardId?: string;
  @ApiPropertyOptional({ example: 90, default: 0, description: 'Days of shelf life a batch must have left on the day it is received (0: not expired that day)' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_SHELF_LIFE_DAYS)
  minShelfLifeDays?: number;
}

/** What a PATCH of a store may change. Code and kind never change. */
export class UpdateStoreDto {
  @ApiPropertyOptional({ example: 'Main store, ground floor' }) @ValidateIf(present) @IsString() @MaxLength(100) @IsNotBlank() name?: string;
  @ApiPropertyOptional({ example: 90, description: 'Days of shelf life a batch must have left on the day it is received' })
  @ValidateIf(present)
  @IsInt()
  @Min(0)
  @Max(MAX_SHELF_LIFE_DAYS)
  minShelfLifeDays?: number;
  @ApiPropertyOptional({ description: 'false deactivates (only an empty store, with nothing in transit to or from it): it can then neither receive nor dispense' })
  @ValidateIf(present)
  @IsBoolean()
  active?: boolean;
}

export class ReorderLevelDto {
  @ApiProperty() @IsInt() @Min(0) @Max(10_000_000) reorderLevel!: number;
  @ApiProperty() @IsInt() @Min(0) @Max(10_000_000) reorderQuantity!: number;
}

export class CreateSupplierDto {
  @ApiProperty({ example: 'Pune Pharma Distributors' }) @IsString() @MinLength(1) @MaxLength(200) @IsNotBlank() name!: string;
  @ApiProperty({ example: '27AAPFU0939F1ZV' }) @IsString() @MaxLength(20) gstin!: string;
}

/** What a PATCH of a supplier may change. The GSTIN never changes: a new GSTIN is a new supplier. */
export class UpdateSupplierDto {
  @ApiPropertyOptional({ example: 'Pune Pharma Distributors LLP' }) @ValidateIf(present) @IsString() @MaxLength(200) @IsNotBlank() name?: string;
  @ApiPropertyOptional({ description: 'false deactivates: no more goods are received from the supplier' }) @ValidateIf(present) @IsBoolean() active?: boolean;
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

export class PrescriptionDto {
  @ApiPropertyOptional({ description: 'The clinical service’s prescription id, once it exists' }) @IsOptional() @IsString() @MaxLength(64) id?: string;
  @ApiProperty({ example: 'Dr. Meera Rao' }) @IsString() @MaxLength(200) prescriberName!: string;
  @ApiProperty({ example: 'MMC-2011-12345' }) @IsString() @MaxLength(50) prescriberRegistrationNumber!: string;
  @ApiPropertyOptional({ example: '12 MG Road, Pune' }) @IsOptional() @IsString() @MaxLength(300) prescriberAddress?: string;
  @ApiPropertyOptional({ example: '2026-11-21' }) @IsOptional() @IsString() @IsCalendarDate() prescribedOn?: string;
}

export class DispenseLineDto {
  @ApiProperty() @IsUUID() itemId!: string;
  @ApiProperty({ example: 10 }) @IsInt() @Min(1) @Max(100_000) quantity!: number;
}

/**
 * A typed patient name is checked here when it has text (a person's name, no bidirectional
 * controls); an empty or blank one is refused by the dispensing rules, naming the field.
 */
const typedName = (dto: { patientName?: unknown }) =>
  dto.patientName !== undefined && dto.patientName !== null && !(typeof dto.patientName === 'string' && dto.patientName.trim() === '');

export class DispenseDto {
  @ApiProperty() @IsUUID() storeId!: string;
  @ApiProperty({ enum: SUPPLY_KINDS, description: 'inpatient (exempt composite supply), outpatient or otc (taxable counter sale)' })
  @IsIn(SUPPLY_KINDS)
  supplyKind!: (typeof SUPPLY_KINDS)[number];
  @ApiPropertyOptional({ description: 'A registered patient: the H1 register then takes the name from the patient record' }) @IsOptional() @IsUUID() patientId?: string;
  @ApiPropertyOptional({ example: 'Anita Devi', description: 'For a walk-in without patientId: the name the H1 register records (not blank)' })
  @ValidateIf(typedName)
  @IsString()
  @MaxLength(200)
  @IsPersonName()
  patientName?: string;
  @ApiPropertyOptional({ description: 'Required for an in-patient supply: an open admission of the patient' }) @IsOptional() @IsUUID() admissionId?: string;
  @ApiPropertyOptional({ type: PrescriptionDto }) @IsOptional() @ValidateNested() @Type(() => PrescriptionDto) prescription?: PrescriptionDto;

  @ApiProperty({ type: [DispenseLineDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => DispenseLineDto)
  lines!: DispenseLineDto[];
}
