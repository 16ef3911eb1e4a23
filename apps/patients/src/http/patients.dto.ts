import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Exclude, Expose, Transform, Type } from 'class-transformer';
import { IsBoolean, IsDefined, IsIn, IsInt, IsOptional, IsString, Length, Matches, Max, MaxLength, Min, MinLength, ValidateBy, ValidateIf, ValidateNested } from 'class-validator';
import { DEFAULT_PAGE_SIZE, IsCalendarDate, IsNotBlank, IsPersonName, MAX_PAGE_SIZE } from '@hms/platform-http';
import { MAX_AGE_DAYS, MAX_AGE_MONTHS } from '@hms/patients-domain';

export const SEXES = ['M', 'F', 'O', 'U'] as const;

/**
 * Optional in a PATCH, never null: the record must keep a value. A null is a 400 naming the
 * field (it used to reach the service and fail there with a 500).
 */
function OptionalNotNull(): PropertyDecorator {
  return applyDecorators(
    ValidateIf((_object: object, value: unknown) => value !== undefined),
    IsDefined({ message: '$property is required and cannot be cleared with null; leave it out to keep the current value' }),
  );
}

const AGE_YEARS_FROM_ONE = { message: 'ageYears must be at least 1: for a baby under one year give ageMonths (1 to 23) or ageDays (0 to 365)' };
const ABHA_NUMBER_NOT_EMPTY = { message: 'abhaNumber must not be empty: leave it out when the patient has no ABHA number' };
const ABHA_ADDRESS_NOT_EMPTY = { message: 'abhaAddress must not be empty: leave it out when the patient has no ABHA address' };

export class AddressDto {
  @ApiPropertyOptional({ example: '12 MG Road' }) @IsOptional() @IsString() @MaxLength(300) line?: string;
  @ApiPropertyOptional({ example: 'Pune' }) @IsOptional() @IsString() @MaxLength(100) city?: string;
  @ApiPropertyOptional({ example: 'Maharashtra' }) @IsOptional() @IsString() @MaxLength(100) state?: string;

  @ApiPropertyOptional({ example: '411001' })
  @IsOptional()
  @IsString()
  @Matches(/^[1-9][0-9]{5}$/, { message: 'pincode must be 6 digits, not starting with 0' })
  pincode?: string;
}

export class EmergencyContactDto {
  @ApiProperty({ example: 'Suresh Patel' }) @IsString() @MinLength(1) @MaxLength(200) @IsPersonName() name!: string;
  @ApiProperty({ example: '+919812300009' }) @IsString() @MaxLength(20) phone!: string;
  @ApiPropertyOptional({ example: 'spouse' }) @IsOptional() @IsString() @MaxLength(50) relation?: string;
}

export class PatientGuardianDto {
  @ApiProperty({ example: 'Sunita Patel', description: "The parent's or guardian's name as written" })
  @IsString()
  @MaxLength(200)
  @IsPersonName()
  name!: string;

  @ApiProperty({ example: 'mother', description: 'mother, father, grandparent, legal guardian, …' })
  @IsString()
  @MaxLength(50)
  @IsNotBlank()
  relation!: string;

  @ApiProperty({ example: '+919812300010', description: 'Indian mobile; stored as E.164' })
  @IsString()
  @MaxLength(20)
  phone!: string;
}

export class RegisterPatientDto {
  @ApiProperty({ example: 'अनीता देवी', description: 'Full name as written, in any script; not blank, no bidirectional control characters' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  @IsPersonName()
  name!: string;

  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) @IsPersonName() givenName?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) @IsPersonName() familyName?: string;

  @ApiProperty({ enum: SEXES }) @IsIn(SEXES, { message: 'sex must be one of M, F, O, U' }) sex!: (typeof SEXES)[number];

  @ApiPropertyOptional({ example: '1980-05-02', description: 'A real date from 1900; give this or one of ageYears, ageMonths, ageDays' })
  @IsOptional()
  @IsString()
  @IsCalendarDate()
  dateOfBirth?: string;

  @ApiPropertyOptional({
    example: 44,
    minimum: 1,
    maximum: 130,
    description: 'When the date of birth is not known: estimated as 1 January of (this year − age) and marked estimated. For a baby under one year give ageMonths or ageDays',
  })
  @IsOptional()
  @IsInt()
  @Min(1, AGE_YEARS_FROM_ONE)
  @Max(130)
  ageYears?: number;

  @ApiPropertyOptional({
    example: 7,
    minimum: 1,
    maximum: MAX_AGE_MONTHS,
    description: 'A baby\'s age in completed months, when the date of birth is not known: estimated as the 1st of the month that many months ago (in India) and marked estimated',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_AGE_MONTHS)
  ageMonths?: number;

  @ApiPropertyOptional({
    example: 12,
    minimum: 0,
    maximum: MAX_AGE_DAYS,
    description: 'A newborn\'s age in days, when the date of birth is not known: estimated as that many days before today (in India) and marked estimated',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_AGE_DAYS)
  ageDays?: number;

  @ApiPropertyOptional({ example: '+919812300001', description: 'Indian mobile; stored as E.164' })
  @IsOptional()
  @IsString()
  @MaxLength(20)
  phone?: string;

  @ApiPropertyOptional({ example: '91-3772-0586-4665', description: 'Leave it out when the patient has none; an empty string is refused' })
  @IsOptional()
  @IsString()
  @MaxLength(20)
  @IsNotBlank(ABHA_NUMBER_NOT_EMPTY)
  abhaNumber?: string;

  @ApiPropertyOptional({ example: 'heena.patel@abdm', description: 'Leave it out when the patient has none; an empty string is refused' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  @IsNotBlank(ABHA_ADDRESS_NOT_EMPTY)
  abhaAddress?: string;

  @ApiPropertyOptional({ type: AddressDto }) @IsOptional() @ValidateNested() @Type(() => AddressDto) address?: AddressDto;

  @ApiPropertyOptional({ type: EmergencyContactDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => EmergencyContactDto)
  emergencyContact?: EmergencyContactDto;

  @ApiPropertyOptional({ type: PatientGuardianDto, description: 'Parent or guardian, for a patient under 18 only (refused for an adult: record their next of kin as emergencyContact)' })
  @IsOptional()
  @ValidateNested()
  @Type(() => PatientGuardianDto)
  guardian?: PatientGuardianDto;

  @ApiPropertyOptional({ default: false, description: 'A medico-legal case (MLC): accident, assault, burns, poisoning, …' })
  @IsOptional()
  @IsBoolean()
  medicoLegal?: boolean;

  @ApiPropertyOptional({ example: 'MLC/2025/0142', description: 'Only with medicoLegal: true' })
  @IsOptional()
  @IsString()
  @MaxLength(50)
  @IsNotBlank()
  mlcNumber?: string;

  @ApiPropertyOptional({ example: 'Shivajinagar Police Station', description: 'The police station informed; only with medicoLegal: true' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  @IsNotBlank()
  policeStation?: string;

  @ApiPropertyOptional({ description: 'Register although likely duplicates were reported (after checking them)' })
  @IsOptional()
  @IsBoolean()
  confirmedNotDuplicate?: boolean;
}

/**
 * Fields a PATCH may change. Leaving a field out keeps it. `null` clears an optional field
 * (givenName, familyName, phone, abhaNumber, abhaAddress, address, emergencyContact, guardian,
 * mlcNumber, policeStation) and is a 400 for a required one (name, sex, dateOfBirth, the ages,
 * medicoLegal). A deceased patient's record takes only the medico-legal fields.
 */
export class UpdatePatientDto {
  @ApiPropertyOptional({ description: 'Cannot be null' }) @OptionalNotNull() @IsString() @MinLength(1) @MaxLength(200) @IsPersonName() name?: string;
  @ApiPropertyOptional({ nullable: true }) @IsOptional() @IsString() @MaxLength(100) @IsPersonName() givenName?: string | null;
  @ApiPropertyOptional({ nullable: true }) @IsOptional() @IsString() @MaxLength(100) @IsPersonName() familyName?: string | null;
  @ApiPropertyOptional({ enum: SEXES, description: 'Cannot be null' }) @OptionalNotNull() @IsIn(SEXES, { message: 'sex must be one of M, F, O, U' }) sex?: (typeof SEXES)[number];
  @ApiPropertyOptional({ example: '1980-05-02', description: 'Cannot be null' }) @OptionalNotNull() @IsString() @IsCalendarDate() dateOfBirth?: string;
  @ApiPropertyOptional({ minimum: 1, maximum: 130, description: 'Cannot be null' }) @OptionalNotNull() @IsInt() @Min(1, AGE_YEARS_FROM_ONE) @Max(130) ageYears?: number;
  @ApiPropertyOptional({ minimum: 1, maximum: MAX_AGE_MONTHS, description: 'Cannot be null' }) @OptionalNotNull() @IsInt() @Min(1) @Max(MAX_AGE_MONTHS) ageMonths?: number;
  @ApiPropertyOptional({ minimum: 0, maximum: MAX_AGE_DAYS, description: 'Cannot be null' }) @OptionalNotNull() @IsInt() @Min(0) @Max(MAX_AGE_DAYS) ageDays?: number;
  @ApiPropertyOptional({ nullable: true }) @IsOptional() @IsString() @MaxLength(20) phone?: string | null;
  @ApiPropertyOptional({ nullable: true, description: 'null clears it; an empty string is refused' })
  @IsOptional()
  @IsString()
  @MaxLength(20)
  @IsNotBlank(ABHA_NUMBER_NOT_EMPTY)
  abhaNumber?: string | null;
  @ApiPropertyOptional({ nullable: true, description: 'null clears it; an empty string is refused' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  @IsNotBlank(ABHA_ADDRESS_NOT_EMPTY)
  abhaAddress?: string | null;
  @ApiPropertyOptional({ type: AddressDto, nullable: true }) @IsOptional() @ValidateNested() @Type(() => AddressDto) address?: AddressDto | null;

  @ApiPropertyOptional({ type: EmergencyContactDto, nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => EmergencyContactDto)
  emergencyContact?: EmergencyContactDto | null;

  @ApiPropertyOptional({ type: PatientGuardianDto, nullable: true, description: 'For a patient under 18 only; null clears it' })
  @IsOptional()
  @ValidateNested()
  @Type(() => PatientGuardianDto)
  guardian?: PatientGuardianDto | null;

  @ApiPropertyOptional({ description: 'Cannot be null. Setting it false clears mlcNumber and policeStation; only a records officer (patients:merge) may clear a recorded case' })
  @OptionalNotNull()
  @IsBoolean()
  medicoLegal?: boolean;

  @ApiPropertyOptional({ nullable: true }) @IsOptional() @IsString() @MaxLength(50) @IsNotBlank() mlcNumber?: string | null;
  @ApiPropertyOptional({ nullable: true }) @IsOptional() @IsString() @MaxLength(200) @IsNotBlank() policeStation?: string | null;
}

/** A whole number from `min` to `max`, one message however it fails (as the platform's pageRequest words it). */
function IsWholeNumberFrom(min: number, max: number): PropertyDecorator {
  return ValidateBy({
    name: 'isWholeNumberFrom',
    validator: {
      validate: (value: unknown) => Number.isInteger(value) && (value as number) >= min && (value as number) <= max,
      defaultMessage: () => `must be a whole number from ${min} to ${max}`,
    },
  });
}

/** A paging value as the platform's pageRequest reads it: absent or empty is the default, anything else a number (NaN when not one). */
const pagingValue =
  (fallback: number) =>
  ({ value }: { value: unknown }): number =>
    value === undefined || value === '' ? fallback : Number(value);

/**
 * The search box and its paging (GET /api/v1/patients). Query parameters other than these are
 * ignored, as they always were (`@Exclude` on the class: only the exposed ones are read).
 */
@Exclude()
export class SearchPatientsQueryDto {
  @Expose()
  // A UHID, phone, ABHA number or ABHA address (exact), or a name in any script (fuzzy).
  @ApiProperty({ example: 'Hina Patel' })
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.normalize('NFC').trim() : ''))
  @Length(2, 100, { message: 'must be 2 to 100 characters' })
  q!: string;

  @Expose()
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE, description: 'Page size' })
  @Transform(pagingValue(DEFAULT_PAGE_SIZE))
  @IsWholeNumberFrom(1, MAX_PAGE_SIZE)
  limit!: number;

  @Expose()
  @ApiPropertyOptional({ type: 'integer', minimum: 0, maximum: 1_000_000, default: 0, description: 'Rows to skip (the nextOffset of the previous page)' })
  @Transform(pagingValue(0))
  @IsWholeNumberFrom(0, 1_000_000)
  offset!: number;
}

export class RecordDeathDto {
  @ApiProperty({ example: '2025-08-14', description: 'Date of death in India: a real date, not in the future, not before the date of birth' })
  @IsString()
  @IsCalendarDate()
  dateOfDeath!: string;
}

export class WithdrawDeathDto {
  @ApiProperty({ example: 'Recorded on the wrong patient (UHID mix-up at the ward desk)', description: 'Why the recorded death was wrong; kept in the audit trail' })
  @IsString()
  @MaxLength(500)
  @IsNotBlank()
  reason!: string;
}

export class MergePatientDto {
  @ApiProperty({ description: 'The record that is folded into this one; its UHID will resolve to this patient' })
  @IsString()
  @Matches(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, { message: 'mergedPatientId must be a patient id' })
  mergedPatientId!: string;
}

export class UhidSettingsDto {
  @ApiProperty({ example: 'PUNE', description: '2–8 capital letters or digits, starting with a letter' })
  @IsString()
  @MaxLength(8)
  prefix!: string;
}

// ---- Responses (documentation only: the service returns plain objects of these shapes) ----

export class PatientAgeDto {
  @ApiProperty({ type: 'integer', example: 7 }) value!: number;
  @ApiProperty({ enum: ['days', 'months', 'years'], description: 'Days under one month, months under two years, years after' }) unit!: 'days' | 'months' | 'years';
  @ApiProperty({ example: '7 months' }) text!: string;
}

export class PatientRecordedByDto {
  @ApiProperty({ description: 'The user who recorded it' }) id!: string;
  @ApiProperty({ nullable: true, type: String }) name!: string | null;
}

export class PatientWarningDto {
  @ApiProperty({ example: 'abha-check-digit' }) code!: string;
  @ApiProperty() message!: string;
}

export class PatientRecordDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'PUNE00000042' }) uhid!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ nullable: true, type: String }) givenName!: string | null;
  @ApiProperty({ nullable: true, type: String }) familyName!: string | null;
  @ApiProperty({ enum: SEXES }) sex!: (typeof SEXES)[number];
  @ApiProperty({ nullable: true, type: String, format: 'date', example: '1980-05-02' }) dateOfBirth!: string | null;
  @ApiProperty({ description: 'True when estimated from an age in years, months or days' }) dateOfBirthEstimated!: boolean;
  @ApiProperty({ nullable: true, type: 'integer', description: 'Completed years (at death, for a deceased patient)' }) ageYears!: number | null;
  @ApiProperty({ nullable: true, type: PatientAgeDto, description: 'The age as said at the desk: days, months or years (at death, for a deceased patient)' })
  age!: PatientAgeDto | null;
  @ApiProperty({ nullable: true, type: String }) phone!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'XX-XXXX-XXXX-XXXX; masked but for the last 4 digits in search results' }) abhaNumber!: string | null;
  @ApiProperty({ nullable: true, type: String }) abhaAddress!: string | null;
  @ApiProperty({ nullable: true, type: AddressDto }) address!: AddressDto | null;
  @ApiProperty({ nullable: true, type: EmergencyContactDto }) emergencyContact!: EmergencyContactDto | null;
  @ApiProperty({ nullable: true, type: PatientGuardianDto }) guardian!: PatientGuardianDto | null;
  @ApiProperty({ description: 'A death is recorded' }) deceased!: boolean;
  @ApiProperty({ nullable: true, type: String, format: 'date', example: '2025-08-14' }) dateOfDeath!: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time', description: 'When the death was recorded (system time)' }) deathRecordedAt!: string | null;
  @ApiProperty({ nullable: true, type: PatientRecordedByDto, description: 'Who recorded the death' }) deathRecordedBy!: PatientRecordedByDto | null;
  @ApiProperty() medicoLegal!: boolean;
  @ApiProperty({ nullable: true, type: String }) mlcNumber!: string | null;
  @ApiProperty({ nullable: true, type: String }) policeStation!: string | null;
  @ApiProperty({ enum: ['active', 'merged'], description: 'Merge state: merged once folded into another record' }) status!: 'active' | 'merged';
  @ApiProperty({ description: 'False once merged away or deceased: such a record takes no edits but corrections' }) active!: boolean;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) mergedInto!: string | null;
  @ApiProperty({ type: [PatientWarningDto] }) warnings!: PatientWarningDto[];
  @ApiProperty({ type: 'integer', description: 'The record’s version: its ETag' }) version!: number;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

export class PatientUhidSettingsResponse {
  @ApiProperty({ example: 'PUNE', description: 'The prefix of the UHIDs the branch issues (its code until one is set)' }) prefix!: string;
  @ApiProperty({ type: 'integer', example: 1, description: 'The number the next UHID takes' }) nextValue!: number;
  @ApiProperty({ description: 'True once a UHID was issued: the prefix can no longer change' }) locked!: boolean;
}
