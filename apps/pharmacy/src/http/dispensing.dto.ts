import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsInt, IsOptional, IsString, IsUUID, Max, MaxLength, Min, ValidateIf, ValidateNested } from 'class-validator';
import { DRUG_SCHEDULES, SUPPLY_KINDS } from '@hms/contracts-pharmacy';
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

// Responses. Names carry the service's name: schema names must be unique across the services the
// gateway's document merges.

export class PharmacyPrescription {
  @ApiProperty({ nullable: true, type: String, description: 'The clinical service’s prescription id, if given' }) id!: string | null;
  @ApiProperty({ example: 'Dr. Meera Rao' }) prescriberName!: string;
  @ApiProperty({ example: 'MMC-2011-12345' }) prescriberRegistrationNumber!: string;
  @ApiProperty({ nullable: true, type: String, example: '12 MG Road, Pune' }) prescriberAddress!: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date', example: '2026-11-21' }) prescribedOn!: string | null;
}

export class PharmacyDispenseLine {
  @ApiProperty({ format: 'uuid' }) itemId!: string;
  @ApiProperty({ example: 'Calpol (Paracetamol) 500 mg' }) itemName!: string;
  @ApiProperty({ format: 'uuid' }) batchId!: string;
  @ApiProperty({ example: 'B2611A' }) batchNo!: string;
  @ApiProperty({ format: 'date', example: '2028-06-30' }) expiry!: string;
  @ApiProperty({ example: 10 }) quantity!: number;
  @ApiProperty({ example: 0, description: 'Units the patient has returned since' }) returnedQuantity!: number;
  @ApiProperty({ example: 200, description: 'Per unit, paise' }) mrpPaise!: number;
  @ApiProperty({ example: '3004' }) hsn!: string;
  @ApiProperty({ example: 500, description: 'GST rate in basis points on the day of supply' }) gstRateBp!: number;
}

export class PharmacyDispense {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) storeId!: string;
  @ApiProperty({ example: 'MAIN-PHARMACY' }) storeCode!: string;
  @ApiProperty({ enum: SUPPLY_KINDS }) supplyKind!: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) patientId!: string | null;
  @ApiProperty({ nullable: true, type: String, example: 'Anita Devi' }) patientName!: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) admissionId!: string | null;
  @ApiProperty({ nullable: true, type: PharmacyPrescription }) prescription!: PharmacyPrescription | null;
  @ApiProperty({ format: 'date-time' }) dispensedAt!: string;
  @ApiProperty({ description: 'The user who dispensed' }) dispensedBy!: string;
  @ApiProperty({ type: [PharmacyDispenseLine] }) lines!: PharmacyDispenseLine[];
}

/** A batch supplied by a new dispense (FEFO picks: one item may take several batches). */
export class PharmacyDispensedLine {
  @ApiProperty({ format: 'uuid' }) itemId!: string;
  @ApiProperty({ example: 'Calpol (Paracetamol) 500 mg' }) itemName!: string;
  @ApiProperty({ format: 'uuid' }) batchId!: string;
  @ApiProperty({ example: 'B2611A' }) batchNo!: string;
  @ApiProperty({ format: 'date', example: '2028-06-30' }) expiry!: string;
  @ApiProperty({ example: 10 }) quantity!: number;
  @ApiProperty({ example: 200, description: 'Per unit, paise' }) mrpPaise!: number;
  @ApiProperty({ example: '3004' }) hsn!: string;
  @ApiProperty({ example: 500, description: 'GST rate in basis points in force on the day of supply' }) gstRateBp!: number;
  @ApiProperty({ enum: DRUG_SCHEDULES }) schedule!: string;
}

/** What POST dispenses answers: the supply as made. */
export class PharmacyDispensed {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) storeId!: string;
  @ApiProperty({ enum: SUPPLY_KINDS }) supplyKind!: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) patientId!: string | null;
  @ApiProperty({ nullable: true, type: String, example: 'Anita Devi', description: 'The patient record’s name when a patient is named, else the typed one' }) patientName!: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) admissionId!: string | null;
  @ApiProperty({ format: 'date-time' }) dispensedAt!: string;
  @ApiProperty({ type: [PharmacyDispensedLine] }) lines!: PharmacyDispensedLine[];
}
