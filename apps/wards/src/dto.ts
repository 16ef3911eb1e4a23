import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min, MinLength, ValidateNested } from 'class-validator';
import { ADMISSION_TYPES, BED_STATES, DISCHARGE_TYPES } from '@hms/contracts-wards';

const CODE = /^[A-Z0-9][A-Z0-9_-]{0,19}$/;
const CODE_MESSAGE = 'must be 1–20 capital letters, digits, _ or -';

export class CreateCategoryDto {
  @ApiProperty({ example: 'ICU' }) @IsString() @Matches(/^[A-Z][A-Z0-9_-]{1,19}$/, { message: `code ${CODE_MESSAGE}` }) code!: string;
  @ApiProperty({ example: 'Intensive care unit' }) @IsString() @MinLength(1) @MaxLength(100) name!: string;
  @ApiProperty({ description: 'ICU, CCU, ICCU, NICU: exempt from GST on room rent at any tariff' }) @IsBoolean() isCriticalCare!: boolean;
}

export class TariffDto {
  @ApiProperty({ example: '2026-04-01', description: 'The date (India) from which the tariff applies' })
  @IsString()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'effectiveFrom must be a date like 2026-04-01' })
  effectiveFrom!: string;

  @ApiProperty({ example: 600000, description: 'Per day, in paise (Rs 6,000 = 600000)' })
  @IsInt()
  @Min(0)
  @Max(100_000_000)
  dailyRatePaise!: number;
}

export class CreateWardDto {
  @ApiProperty({ example: 'W3' }) @IsString() @Matches(CODE, { message: `code ${CODE_MESSAGE}` }) code!: string;
  @ApiProperty({ example: 'Medical ward 3' }) @IsString() @MinLength(1) @MaxLength(100) name!: string;
  @ApiPropertyOptional({ example: '3' }) @IsOptional() @IsString() @MaxLength(20) floor?: string;
  @ApiProperty({ enum: ['male', 'female', 'mixed'] }) @IsIn(['male', 'female', 'mixed']) genderPolicy!: 'male' | 'female' | 'mixed';
  @ApiPropertyOptional({ example: 'General medicine' }) @IsOptional() @IsString() @MaxLength(100) speciality?: string;
}

export class UpdateWardDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MinLength(1) @MaxLength(100) name?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(20) floor?: string;
  @ApiPropertyOptional({ enum: ['male', 'female', 'mixed'] }) @IsOptional() @IsIn(['male', 'female', 'mixed']) genderPolicy?: 'male' | 'female' | 'mixed';
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) speciality?: string;
}

export class CreateRoomDto {
  @ApiProperty({ example: 'R301' }) @IsString() @Matches(CODE, { message: `code ${CODE_MESSAGE}` }) code!: string;
}

export class CreateBedDto {
  @ApiProperty() @IsUUID() wardId!: string;
  @ApiPropertyOptional() @IsOptional() @IsUUID() roomId?: string;
  @ApiProperty({ example: 'B12' }) @IsString() @Matches(CODE, { message: `code ${CODE_MESSAGE}` }) code!: string;
  @ApiProperty() @IsUUID() categoryId!: string;
}

export class BedStateDto {
  @ApiProperty({ enum: BED_STATES.filter((s) => s !== 'occupied') })
  @IsIn(BED_STATES.filter((s) => s !== 'occupied'), { message: 'state must be available, reserved, cleaning, maintenance or blocked' })
  state!: string;

  @ApiPropertyOptional({ description: 'Why (maintenance, blocking)' }) @IsOptional() @IsString() @MaxLength(500) reason?: string;
  @ApiPropertyOptional({ description: 'For a reservation: the patient it is held for' }) @IsOptional() @IsUUID() patientId?: string;
}

export class DoctorDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) id?: string;
  @ApiProperty({ example: 'Dr. Meera Rao' }) @IsString() @MinLength(1) @MaxLength(200) name!: string;
}

export class AdmitDto {
  @ApiProperty() @IsUUID() patientId!: string;
  @ApiProperty() @IsUUID() bedId!: string;
  @ApiProperty({ type: DoctorDto }) @ValidateNested() @Type(() => DoctorDto) admittingDoctor!: DoctorDto;
  @ApiProperty({ example: 'General medicine' }) @IsString() @MinLength(1) @MaxLength(100) department!: string;
  @ApiProperty({ example: 'Community-acquired pneumonia' }) @IsString() @MinLength(1) @MaxLength(1000) reason!: string;
  @ApiProperty({ enum: ADMISSION_TYPES }) @IsIn(ADMISSION_TYPES) admissionType!: (typeof ADMISSION_TYPES)[number];
  @ApiPropertyOptional({ example: 4, description: 'Expected stay in days' }) @IsOptional() @IsInt() @Min(0) @Max(365) expectedStayDays?: number;
  @ApiPropertyOptional({ example: 'RV/26-27/000045', description: 'Receipt voucher of the advance deposit' })
  @IsOptional()
  @IsString()
  @MaxLength(50)
  depositReference?: string;
}

export class TransferDto {
  @ApiProperty() @IsUUID() toBedId!: string;
  @ApiProperty({ description: 'The bed the desk believes the patient is in; a different one means someone moved them first (409)' })
  @IsUUID()
  fromBedId!: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(500) reason?: string;
}

export class DischargeDto {
  @ApiProperty({ enum: DISCHARGE_TYPES }) @IsIn(DISCHARGE_TYPES) dischargeType!: (typeof DISCHARGE_TYPES)[number];
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(2000) notes?: string;
}
