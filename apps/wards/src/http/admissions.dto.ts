import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUUID, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { ADMISSION_TYPES, DISCHARGE_TYPES } from '@hms/contracts-wards';
import { DEFAULT_PAGE_SIZE, IsNotBlank, IsPersonName } from '@hms/platform-http';
import { IdFilter, PageLimit, PageOffset } from './query.dto';

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

const ADMISSION_STATUSES = ['admitted', 'discharged'] as const;

/** Admissions of the branch, newest first, filtered by status, patient or ward, a page at a time. */
export class ListAdmissionsQueryDto {
  @ApiPropertyOptional({ enum: ADMISSION_STATUSES })
  @IsOptional()
  @IsIn(ADMISSION_STATUSES, { message: 'is admitted or discharged' })
  status?: (typeof ADMISSION_STATUSES)[number];

  @IdFilter('must be an id') patientId?: string;
  @IdFilter('must be an id') wardId?: string;
  @PageLimit() limit: number = DEFAULT_PAGE_SIZE;
  @PageOffset() offset = 0;
}
