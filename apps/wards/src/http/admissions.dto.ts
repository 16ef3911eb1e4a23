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

// Responses ----------------------------------------------------------------------------------------

const BILLING_CLEARANCES = ['cleared', 'pending', 'unknown'] as const;

export class WardAdmissionPatient {
  @ApiProperty({ example: 'PUNE00000042' }) uhid!: string;
  @ApiProperty({ example: 'Anita Devi' }) name!: string;
}

export class WardAdmittingDoctor {
  @ApiProperty({ type: String, nullable: true, description: 'The doctor’s id when the desk gave one' }) id!: string | null;
  @ApiProperty({ example: 'Dr. Meera Rao' }) name!: string;
}

export class WardOverrideActor {
  @ApiProperty({ description: 'The user who set the policy aside' }) id!: string;
  @ApiProperty({ type: String, nullable: true }) name!: string | null;
}

export class WardGenderPolicyOverride {
  @ApiProperty({ enum: ['male', 'female'], description: 'The policy of the ward the patient was placed in' }) wardPolicy!: 'male' | 'female';
  @ApiProperty({ example: 'F', description: 'The patient’s recorded sex at the time (M, F, O or U)' }) patientSex!: string;
  @ApiProperty({ example: 'Mother staying with her admitted child; no female bed free' }) reason!: string;
  @ApiProperty({ type: WardOverrideActor }) by!: WardOverrideActor;
  @ApiProperty({ format: 'date-time' }) at!: string;
}

export class WardAdmissionStay {
  @ApiProperty({ format: 'uuid' }) bedId!: string;
  @ApiProperty({ example: 'B12' }) bedCode!: string;
  @ApiProperty({ example: 'W3' }) wardCode!: string;
  @ApiProperty({ example: 'ICU' }) categoryCode!: string;
  @ApiProperty() isCriticalCare!: boolean;
  @ApiProperty({ type: 'integer', nullable: true, example: 600000, description: 'Per-day tariff in paise in force when the stay began; null when the category had none' })
  dailyRatePaise!: number | null;
  @ApiProperty({ format: 'date-time' }) from!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'Null while the patient is in this bed' }) to!: string | null;
  @ApiProperty({ type: WardGenderPolicyOverride, nullable: true, description: 'The override this stay was placed under, if any' })
  genderPolicyOverride!: WardGenderPolicyOverride | null;
}

/** An admission with its patient's identifiers and bed history. */
export class WardAdmission {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'IP/26-27/000123' }) ipNumber!: string;
  @ApiProperty({ format: 'uuid' }) patientId!: string;
  @ApiProperty({ type: WardAdmissionPatient }) patient!: WardAdmissionPatient;
  @ApiProperty({ enum: ADMISSION_STATUSES }) status!: (typeof ADMISSION_STATUSES)[number];
  @ApiProperty({ enum: ADMISSION_TYPES }) admissionType!: (typeof ADMISSION_TYPES)[number];
  @ApiProperty({ format: 'date-time' }) admittedAt!: string;
  @ApiProperty({ type: WardAdmittingDoctor }) admittingDoctor!: WardAdmittingDoctor;
  @ApiProperty({ example: 'General medicine' }) department!: string;
  @ApiProperty({ example: 'Community-acquired pneumonia' }) reason!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) expectedDischargeAt!: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'RV/26-27/000045' }) depositReference!: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'The bed the patient is in (the last one, once discharged)' }) bedId!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) dischargedAt!: string | null;
  @ApiProperty({ enum: DISCHARGE_TYPES, nullable: true }) dischargeType!: (typeof DISCHARGE_TYPES)[number] | null;
  @ApiProperty({ type: String, nullable: true }) dischargeNotes!: string | null;
  @ApiProperty({ enum: BILLING_CLEARANCES, description: 'What billing last said about the bill' }) billingClearance!: (typeof BILLING_CLEARANCES)[number];
  @ApiProperty({ type: 'integer', nullable: true, description: 'Dues recorded by billing, in paise' }) duesPaise!: number | null;
  @ApiProperty({ type: WardGenderPolicyOverride, nullable: true, description: 'The override under which the patient was admitted to the first bed, if any' })
  genderPolicyOverride!: WardGenderPolicyOverride | null;
  @ApiProperty({ type: 'integer', example: 1 }) version!: number;
  @ApiProperty({ type: [WardAdmissionStay], description: 'The beds the patient has been in, in order' }) stays!: WardAdmissionStay[];
}

export class WardAdmissionWarning {
  @ApiProperty({ example: 'billing-not-cleared' }) code!: string;
  @ApiProperty({ example: 'No billing clearance has been received; the discharge stands' }) message!: string;
}

/** An admission as an admission, a transfer or a discharge answers it: with what the desk should know. */
export class WardAdmissionWithWarnings extends WardAdmission {
  @ApiProperty({ type: [WardAdmissionWarning] }) warnings!: WardAdmissionWarning[];
}
