import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { ADMISSION_TYPES, BED_STATES, DISCHARGE_TYPES, WARD_GENDER_POLICIES, type WardGenderPolicy } from '@hms/contracts-wards';
import { DEFAULT_PAGE_SIZE, IsCalendarDate, IsNotBlank, IsPersonName, MAX_PAGE_SIZE } from '@hms/platform-http';

const CODE = /^[A-Z0-9][A-Z0-9_-]{0,19}$/;
const CODE_MESSAGE = 'must be 1–20 capital letters, digits, _ or -';

export class CreateCategoryDto {
  @ApiProperty({ example: 'ICU' }) @IsString() @Matches(/^[A-Z][A-Z0-9_-]{1,19}$/, { message: `code ${CODE_MESSAGE}` }) code!: string;
  @ApiProperty({ example: 'Intensive care unit' }) @IsString() @IsNotBlank() @MaxLength(100) name!: string;
  @ApiProperty({ description: 'ICU, CCU, ICCU, NICU: exempt from GST on room rent at any tariff' }) @IsBoolean() isCriticalCare!: boolean;
}

export class TariffDto {
  @ApiProperty({ example: '2026-04-01', format: 'date', description: 'The date (India) from which the tariff applies' })
  @IsCalendarDate()
  effectiveFrom!: string;

  @ApiProperty({ example: 600000, description: 'Per day, in paise (Rs 6,000 = 600000)' })
  @IsInt()
  @Min(0)
  @Max(100_000_000)
  dailyRatePaise!: number;
}

export class CreateWardDto {
  @ApiProperty({ example: 'W3' }) @IsString() @Matches(CODE, { message: `code ${CODE_MESSAGE}` }) code!: string;
  @ApiProperty({ example: 'Medical ward 3' }) @IsString() @IsNotBlank() @MaxLength(100) name!: string;
  @ApiPropertyOptional({ example: '3' }) @IsOptional() @IsString() @IsNotBlank() @MaxLength(20) floor?: string;
  @ApiProperty({ enum: WARD_GENDER_POLICIES }) @IsIn(WARD_GENDER_POLICIES) genderPolicy!: WardGenderPolicy;
  @ApiPropertyOptional({ example: 'General medicine' }) @IsOptional() @IsString() @IsNotBlank() @MaxLength(100) speciality?: string;
}

export class UpdateWardDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @IsNotBlank() @MaxLength(100) name?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @IsNotBlank() @MaxLength(20) floor?: string;
  @ApiPropertyOptional({ enum: WARD_GENDER_POLICIES }) @IsOptional() @IsIn(WARD_GENDER_POLICIES) genderPolicy?: WardGenderPolicy;
  @ApiPropertyOptional() @IsOptional() @IsString() @IsNotBlank() @MaxLength(100) speciality?: string;
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
  @ApiPropertyOptional() @IsOptional() @IsString() @IsNotBlank() @MaxLength(100) id?: string;
  @ApiProperty({ example: 'Dr. Meera Rao' }) @IsString() @IsPersonName() @MaxLength(200) name!: string;
}

export class GenderPolicyOverrideDto {
  @ApiProperty({ example: 'Mother staying with her admitted child; no female bed free', description: 'Why the ward’s gender policy is set aside; recorded with who and when' })
  @IsString()
  @IsNotBlank()
  @MaxLength(500)
  reason!: string;
}

const GENDER_OVERRIDE_DESCRIPTION =
  'Only when the bed’s ward takes patients of one sex and the patient’s recorded sex does not fit (otherwise the request is refused with 422 ward-gender-policy)';

export class AdmitDto {
  @ApiProperty() @IsUUID() patientId!: string;
  @ApiProperty() @IsUUID() bedId!: string;
  @ApiProperty({ type: DoctorDto }) @ValidateNested() @Type(() => DoctorDto) admittingDoctor!: DoctorDto;
  @ApiProperty({ example: 'General medicine' }) @IsString() @IsNotBlank() @MaxLength(100) department!: string;
  @ApiProperty({ example: 'Community-acquired pneumonia' }) @IsString() @IsNotBlank() @MaxLength(1000) reason!: string;
  @ApiProperty({ enum: ADMISSION_TYPES }) @IsIn(ADMISSION_TYPES) admissionType!: (typeof ADMISSION_TYPES)[number];
  @ApiPropertyOptional({ example: 4, description: 'Expected stay in days' }) @IsOptional() @IsInt() @Min(0) @Max(365) expectedStayDays?: number;
  @ApiPropertyOptional({ example: 'RV/26-27/000045', description: 'Receipt voucher of the advance deposit' })
  @IsOptional()
  @IsString()
  @MaxLength(50)
  depositReference?: string;

  @ApiPropertyOptional({ type: GenderPolicyOverrideDto, description: GENDER_OVERRIDE_DESCRIPTION })
  @IsOptional()
  @ValidateNested()
  @Type(() => GenderPolicyOverrideDto)
  genderPolicyOverride?: GenderPolicyOverrideDto;
}

export class BedTransferDto {
  @ApiProperty() @IsUUID() toBedId!: string;
  @ApiProperty({ description: 'The bed the desk believes the patient is in; a different one means someone moved them first (409)' })
  @IsUUID()
  fromBedId!: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(500) reason?: string;

  @ApiPropertyOptional({ type: GenderPolicyOverrideDto, description: `${GENDER_OVERRIDE_DESCRIPTION}; a move within one ward needs none` })
  @IsOptional()
  @ValidateNested()
  @Type(() => GenderPolicyOverrideDto)
  genderPolicyOverride?: GenderPolicyOverrideDto;
}

export class DischargeDto {
  @ApiProperty({ enum: DISCHARGE_TYPES }) @IsIn(DISCHARGE_TYPES) dischargeType!: (typeof DISCHARGE_TYPES)[number];
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(2000) notes?: string;
}

/** Occupancy over a range of Indian dates, both ends included. */
export class OccupancyQueryDto {
  @ApiProperty({ example: '2026-04-01', format: 'date' }) @IsCalendarDate() from!: string;
  @ApiProperty({ example: '2026-04-30', format: 'date' }) @IsCalendarDate() to!: string;
}

/** The rooms of a ward, a page at a time. */
export class ListRoomsQueryDto {
  @ApiPropertyOptional({ enum: ['true', 'false'], description: 'Include retired rooms (default false)' })
  @IsOptional()
  @IsIn(['true', 'false'], { message: 'includeRetired must be true or false' })
  includeRetired?: 'true' | 'false';

  // Parsed and bounded by the platform's pageRequest, like every paged list.
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE }) @IsOptional() @IsString() limit?: string;
  @ApiPropertyOptional({ type: 'integer', minimum: 0, default: 0 }) @IsOptional() @IsString() offset?: string;
}
