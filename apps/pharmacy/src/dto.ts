import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsInt, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min, MinLength, ValidateNested } from 'class-validator';
import { DRUG_SCHEDULES, STORE_KINDS, SUPPLY_KINDS } from '@hms/contracts-pharmacy';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export class CreateItemDto {
  @ApiProperty({ example: 'PCM500' }) @IsString() @Matches(/^[A-Z0-9][A-Z0-9_-]{0,29}$/, { message: 'code must be 1–30 capital letters, digits, _ or -' }) code!: string;
  @ApiProperty({ enum: ['drug', 'consumable'] }) @IsIn(['drug', 'consumable']) kind!: 'drug' | 'consumable';
  @ApiProperty({ example: 'Paracetamol' }) @IsString() @MinLength(1) @MaxLength(200) genericName!: string;
  @ApiPropertyOptional({ example: 'Calpol' }) @IsOptional() @IsString() @MaxLength(200) brandName?: string;
  @ApiProperty({ example: 'tablet' }) @IsString() @MinLength(1) @MaxLength(50) form!: string;
  @ApiPropertyOptional({ example: '500 mg' }) @IsOptional() @IsString() @MaxLength(50) strength?: string;
  @ApiProperty({ example: 'tablet', description: 'The unit stock is counted in' }) @IsString() @MinLength(1) @MaxLength(20) unit!: string;
  @ApiProperty({ example: 10, description: 'Units in a pack' }) @IsInt() @Min(1) @Max(100_000) packSize!: number;
  @ApiProperty({ example: '3004', description: 'HSN code: 4, 6 or 8 digits' }) @IsString() @Matches(/^\d{4}(\d{2}){0,2}$/, { message: 'hsn must be 4, 6 or 8 digits' }) hsn!: string;
  @ApiProperty({ enum: DRUG_SCHEDULES }) @IsIn(DRUG_SCHEDULES) schedule!: (typeof DRUG_SCHEDULES)[number];

  @ApiProperty({ example: 500, description: 'GST rate in basis points (500 = 5%) from effectiveFrom' })
  @IsInt()
  @Min(0)
  @Max(2800)
  gstRateBp!: number;

  @ApiProperty({ example: '2025-09-22' }) @IsString() @Matches(DATE, { message: 'gstEffectiveFrom must be a date' }) gstEffectiveFrom!: string;
}

export class GstRateDto {
  @ApiProperty({ example: '2025-09-22' }) @IsString() @Matches(DATE, { message: 'effectiveFrom must be a date' }) effectiveFrom!: string;
  @ApiProperty({ example: 500 }) @IsInt() @Min(0) @Max(2800) rateBp!: number;
}

export class CreateStoreDto {
  @ApiProperty({ example: 'MAIN-STORE' }) @IsString() @Matches(/^[A-Z0-9][A-Z0-9_-]{0,19}$/, { message: 'code must be 1–20 capital letters, digits, _ or -' }) code!: string;
  @ApiProperty({ example: 'Main store' }) @IsString() @MinLength(1) @MaxLength(100) name!: string;
  @ApiProperty({ enum: STORE_KINDS }) @IsIn(STORE_KINDS) kind!: (typeof STORE_KINDS)[number];
  @ApiPropertyOptional({ description: 'For a ward sub-store' }) @IsOptional() @IsUUID() wardId?: string;
}

export class ReorderLevelDto {
  @ApiProperty() @IsInt() @Min(0) @Max(10_000_000) reorderLevel!: number;
  @ApiProperty() @IsInt() @Min(0) @Max(10_000_000) reorderQuantity!: number;
}

export class CreateSupplierDto {
  @ApiProperty({ example: 'Pune Pharma Distributors' }) @IsString() @MinLength(1) @MaxLength(200) name!: string;
  @ApiProperty({ example: '27AAPFU0939F1ZV' }) @IsString() @MaxLength(20) gstin!: string;
}

export class ReceiptLineDto {
  @ApiProperty() @IsUUID() itemId!: string;
  @ApiProperty({ example: 'B2611A' }) @IsString() @Matches(/^[A-Za-z0-9][A-Za-z0-9/_.-]{0,29}$/, { message: 'batchNo must be 1–30 letters, digits or / _ . -' }) batchNo!: string;
  @ApiProperty({ example: '2028-06-30' }) @IsString() @Matches(DATE, { message: 'expiry must be a date' }) expiry!: string;
  @ApiProperty({ example: 100 }) @IsInt() @Min(1) @Max(10_000_000) quantity!: number;
  @ApiPropertyOptional({ example: 10 }) @IsOptional() @IsInt() @Min(0) @Max(10_000_000) freeQuantity?: number;
  @ApiProperty({ example: 150, description: 'Per unit, paise' }) @IsInt() @Min(0) @Max(100_000_000) purchaseRatePaise!: number;
  @ApiProperty({ example: 200, description: 'Per unit, paise' }) @IsInt() @Min(0) @Max(100_000_000) mrpPaise!: number;
}

export class GoodsReceiptDto {
  @ApiProperty() @IsUUID() storeId!: string;
  @ApiProperty() @IsUUID() supplierId!: string;
  @ApiProperty({ example: 'PPD/2026/00042' }) @IsString() @MinLength(1) @MaxLength(30) invoiceNumber!: string;
  @ApiProperty({ example: '2026-11-20' }) @IsString() @Matches(DATE, { message: 'invoiceDate must be a date' }) invoiceDate!: string;

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
  @ApiPropertyOptional({ example: '2026-11-21' }) @IsOptional() @IsString() @Matches(DATE, { message: 'prescribedOn must be a date' }) prescribedOn?: string;
}

export class DispenseLineDto {
  @ApiProperty() @IsUUID() itemId!: string;
  @ApiProperty({ example: 10 }) @IsInt() @Min(1) @Max(100_000) quantity!: number;
}

export class DispenseDto {
  @ApiProperty() @IsUUID() storeId!: string;
  @ApiProperty({ enum: SUPPLY_KINDS, description: 'inpatient (exempt composite supply), outpatient or otc (taxable counter sale)' })
  @IsIn(SUPPLY_KINDS)
  supplyKind!: (typeof SUPPLY_KINDS)[number];
  @ApiPropertyOptional() @IsOptional() @IsUUID() patientId?: string;
  @ApiPropertyOptional({ example: 'Anita Devi' }) @IsOptional() @IsString() @MaxLength(200) patientName?: string;
  @ApiPropertyOptional({ description: 'Required for an in-patient supply' }) @IsOptional() @IsUUID() admissionId?: string;
  @ApiPropertyOptional({ type: PrescriptionDto }) @IsOptional() @ValidateNested() @Type(() => PrescriptionDto) prescription?: PrescriptionDto;

  @ApiProperty({ type: [DispenseLineDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => DispenseLineDto)
  lines!: DispenseLineDto[];
}
