import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength, ValidateNested } from 'class-validator';

export const SEXES = ['M', 'F', 'O', 'U'] as const;

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
  @ApiProperty({ example: 'Suresh Patel' }) @IsString() @MinLength(1) @MaxLength(200) name!: string;
  @ApiProperty({ example: '+919812300009' }) @IsString() @MaxLength(20) phone!: string;
  @ApiPropertyOptional({ example: 'spouse' }) @IsOptional() @IsString() @MaxLength(50) relation?: string;
}

export class RegisterPatientDto {
  @ApiProperty({ example: 'अनीता देवी', description: 'Full name as written, in any script' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name!: string;

  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) givenName?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) familyName?: string;

  @ApiProperty({ enum: SEXES }) @IsIn(SEXES, { message: 'sex must be one of M, F, O, U' }) sex!: (typeof SEXES)[number];

  @ApiPropertyOptional({ example: '1980-05-02', description: 'Give this or ageYears' })
  @IsOptional()
  @IsString()
  @MaxLength(10)
  dateOfBirth?: string;

  @ApiPropertyOptional({ example: 44, description: 'When the date of birth is not known; the date is then estimated' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(130)
  ageYears?: number;

  @ApiPropertyOptional({ example: '+919812300001', description: 'Indian mobile; stored as E.164' })
  @IsOptional()
  @IsString()
  @MaxLength(20)
  phone?: string;

  @ApiPropertyOptional({ example: '91-3772-0586-4665' }) @IsOptional() @IsString() @MaxLength(20) abhaNumber?: string;
  @ApiPropertyOptional({ example: 'heena.patel@abdm' }) @IsOptional() @IsString() @MaxLength(100) abhaAddress?: string;

  @ApiPropertyOptional({ type: AddressDto }) @IsOptional() @ValidateNested() @Type(() => AddressDto) address?: AddressDto;

  @ApiPropertyOptional({ type: EmergencyContactDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => EmergencyContactDto)
  emergencyContact?: EmergencyContactDto;

  @ApiPropertyOptional({ description: 'Register although likely duplicates were reported (after checking them)' })
  @IsOptional()
  @IsBoolean()
  confirmedNotDuplicate?: boolean;
}

/** Fields a PATCH may change; `null` clears an optional field. */
export class UpdatePatientDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MinLength(1) @MaxLength(200) name?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) givenName?: string | null;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) familyName?: string | null;
  @ApiPropertyOptional({ enum: SEXES }) @IsOptional() @IsIn(SEXES) sex?: (typeof SEXES)[number];
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(10) dateOfBirth?: string;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(0) @Max(130) ageYears?: number;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(20) phone?: string | null;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(20) abhaNumber?: string | null;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) abhaAddress?: string | null;
  @ApiPropertyOptional({ type: AddressDto }) @IsOptional() @ValidateNested() @Type(() => AddressDto) address?: AddressDto | null;

  @ApiPropertyOptional({ type: EmergencyContactDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => EmergencyContactDto)
  emergencyContact?: EmergencyContactDto | null;
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
