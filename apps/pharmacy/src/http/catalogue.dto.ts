import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min, MinLength, ValidateIf } from 'class-validator';
import { DRUG_SCHEDULES, STORE_KINDS } from '@hms/contracts-pharmacy';
import { IsCalendarDate, IsNotBlank, PageQuery } from '@hms/platform-http';
import { MAX_GST_RATE_BP } from '../domain';
import { QueryBoolean } from './query-fields';

const ITEM_KINDS = ['drug', 'consumable'] as const;
const HSN = /^\d{4}(\d{2}){0,2}$/;
const HSN_MESSAGE = 'hsn must be 4, 6 or 8 digits';
/** The longest a store may ask a batch to have left when it arrives: ten years. */
const MAX_SHELF_LIFE_DAYS = 3650;

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

const INCLUDE_INACTIVE = 'Also list deactivated ones (default false)';

/** GET items: a page of the item master, by code or the start of a name. */
export class ListItemsQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'Code, or the start of a generic or brand name', minLength: 1, maxLength: 100 })
  @ValidateIf((_: object, value: unknown) => value !== undefined)
  @IsString({ message: 'must be 1 to 100 characters' })
  @MinLength(1, { message: 'must be 1 to 100 characters' })
  @MaxLength(100, { message: 'must be 1 to 100 characters' })
  q?: string;

  @ApiPropertyOptional({ type: Boolean, description: INCLUDE_INACTIVE }) @QueryBoolean() includeInactive?: boolean;
}

/** GET stores: a page of the branch's stores by code. */
export class ListStoresQuery extends PageQuery {
  @ApiPropertyOptional({ type: Boolean, description: INCLUDE_INACTIVE }) @QueryBoolean() includeInactive?: boolean;
}

/** GET suppliers: a page of the branch's suppliers by name. */
export class ListSuppliersQuery extends PageQuery {
  @ApiPropertyOptional({ type: Boolean, description: INCLUDE_INACTIVE }) @QueryBoolean() includeInactive?: boolean;
}

// Responses. Names carry the service's name: schema names must be unique across the services the
// gateway's document merges.

export class PharmacyGstRate {
  @ApiProperty({ format: 'date', example: '2025-09-22' }) effectiveFrom!: string;
  @ApiProperty({ example: 500, description: 'Basis points (500 = 5%)' }) rateBp!: number;
}

export class PharmacyItem {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'PCM500' }) code!: string;
  @ApiProperty({ enum: ITEM_KINDS }) kind!: string;
  @ApiProperty({ example: 'Paracetamol' }) genericName!: string;
  @ApiProperty({ example: 'Calpol', nullable: true, type: String }) brandName!: string | null;
  @ApiProperty({ example: 'tablet' }) form!: string;
  @ApiProperty({ example: '500 mg', nullable: true, type: String }) strength!: string | null;
  @ApiProperty({ example: 'tablet' }) unit!: string;
  @ApiProperty({ example: 10 }) packSize!: number;
  @ApiProperty({ example: '30049099' }) hsn!: string;
  @ApiProperty({ enum: DRUG_SCHEDULES }) schedule!: string;
  @ApiProperty({ example: 500, nullable: true, type: Number, description: 'The rate in force today (India); null before the first rate starts' }) gstRateBp!: number | null;
  @ApiProperty({ type: [PharmacyGstRate], description: 'The rate history, oldest first' }) gstRates!: PharmacyGstRate[];
  @ApiProperty({ description: 'false once deactivated' }) active!: boolean;
  @ApiProperty({ example: 3, description: 'Also sent as the ETag' }) version!: number;
}

export class PharmacyStore {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'MAIN-STORE' }) code!: string;
  @ApiProperty({ example: 'Main store' }) name!: string;
  @ApiProperty({ enum: STORE_KINDS }) kind!: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'The ward of a ward sub-store' }) wardId!: string | null;
  @ApiProperty({ example: 0 }) minShelfLifeDays!: number;
  @ApiProperty({ description: 'false once deactivated' }) active!: boolean;
  @ApiProperty({ example: 1, description: 'Also sent as the ETag' }) version!: number;
}

export class PharmacySupplier {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'Pune Pharma Distributors' }) name!: string;
  @ApiProperty({ example: '27AAPFU0939F1ZV' }) gstin!: string;
  @ApiProperty({ example: '27', description: 'The GST state code, from the GSTIN' }) stateCode!: string;
  @ApiProperty({ description: 'false once deactivated' }) active!: boolean;
  @ApiProperty({ example: 1, description: 'Also sent as the ETag' }) version!: number;
}

export class PharmacyReorderLevel {
  @ApiProperty({ format: 'uuid' }) storeId!: string;
  @ApiProperty({ format: 'uuid' }) itemId!: string;
  @ApiProperty({ example: 100 }) reorderLevel!: number;
  @ApiProperty({ example: 500 }) reorderQuantity!: number;
}
