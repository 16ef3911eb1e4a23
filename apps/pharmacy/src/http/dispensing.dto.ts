import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsInt, IsOptional, IsString, IsUUID, Max, MaxLength, Min, ValidateIf, ValidateNested } from 'class-validator';
import { SUPPLY_KINDS } from '@hms/contracts-pharmacy';
import { IsCalendarDate, IsPersonName, PageQuery } from '@hms/platform-http';
import { OrRequired, QueryId } from './query-fields';

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

/** GET dispenses: a patient's (records merged into theirs included) or an admission's, or both. */
export class ListDispensesQuery extends PageQuery {
  @ApiPropertyOptional({ format: 'uuid', description: 'Give patientId, admissionId or both' }) @QueryId() @OrRequired('admissionId') patientId?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @QueryId() admissionId?: string;
}

export class PharmacyPrescription {
  @ApiProperty({ nullable: true, type: String }) id!: string | null;
  @ApiProperty({ example: 'Dr. Meera Rao' }) prescriberName!: string;
  @ApiProperty({ example: 'MMC-2011-12345' }) prescriberRegistrationNumber!: string;
  @ApiProperty({ nullable: true, type: String }) prescriberAddress!: string | null;
  @ApiProperty({ nullable: true, type: String, example: '2026-11-21' }) prescribedOn!: string | null;
}

export class PharmacyDispenseLine {
  @ApiProperty() itemId!: string;
  @ApiProperty({ example: 'Calpol (Paracetamol) 500 mg' }) itemName!: string;
  @ApiProperty() batchId!: string;
  @ApiProperty({ example: 'B2611A' }) batchNo!: string;
  @ApiProperty({ example: '2028-06-30' }) expiry!: string;
  @ApiProperty({ example: 10 }) quantity!: number;
  @ApiProperty({ example: 0, description: 'Units the patient has returned since' }) returnedQuantity!: number;
  @ApiProperty({ example: 200 }) mrpPaise!: number;
  @ApiProperty({ example: '3004' }) hsn!: string;
  @ApiProperty({ example: 500 }) gstRateBp!: number;
}

export class PharmacyDispense {
  @ApiProperty() id!: string;
  @ApiProperty() storeId!: string;
  @ApiProperty({ example: 'MAIN-PHARMACY' }) storeCode!: string;
  @ApiProperty({ enum: SUPPLY_KINDS }) supplyKind!: string;
  @ApiProperty({ nullable: true, type: String }) patientId!: string | null;
  @ApiProperty({ nullable: true, type: String, example: 'Anita Devi' }) patientName!: string | null;
  @ApiProperty({ nullable: true, type: String }) admissionId!: string | null;
  @ApiProperty({ nullable: true, type: PharmacyPrescription }) prescription!: PharmacyPrescription | null;
  @ApiProperty() dispensedAt!: string;
  @ApiProperty({ description: 'The user who dispensed' }) dispensedBy!: string;
  @ApiProperty({ type: [PharmacyDispenseLine] }) lines!: PharmacyDispenseLine[];
}

export class PharmacyDispensePage {
  @ApiProperty({ type: [PharmacyDispense] }) items!: PharmacyDispense[];
  @ApiProperty({ example: 20 }) limit!: number;
  @ApiProperty({ example: 0 }) offset!: number;
  @ApiProperty({ nullable: true, type: Number, description: 'Offset of the next page; null on the last' }) nextOffset!: number | null;
}

