import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min } from 'class-validator';
import { BED_STATES, WARD_GENDER_POLICIES, type BedState, type WardGenderPolicy } from '@hms/contracts-wards';
import { DEFAULT_PAGE_SIZE, IsCalendarDate, IsNotBlank, MAX_PAGE_SIZE, PageQuery } from '@hms/platform-http';
import { PageLimit, PageOffset } from './query.dto';

const CODE = /^[A-Z0-9][A-Z0-9_-]{0,19}$/;
const CODE_MESSAGE = 'must be 1–20 capital letters, digits, _ or -';

// Requests ---------------------------------------------------------------------------------------

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

/** The wards of the branch, a page at a time: retired ones when `includeRetired` is exactly `true` (any other value means no). */
export class ListWardsQueryDto extends PageQuery {
  @ApiPropertyOptional({ type: String })
  @Transform(({ value }) => value === 'true')
  @IsBoolean()
  includeRetired = false;
}

/** The rooms of a ward, a page at a time. */
export class ListRoomsQueryDto {
  @ApiPropertyOptional({ enum: ['true', 'false'], description: 'Include retired rooms (default false)' })
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean({ message: 'includeRetired must be true or false' })
  includeRetired = false;

  @PageLimit({ type: 'integer', minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE }) limit: number = DEFAULT_PAGE_SIZE;
  @PageOffset({ type: 'integer', minimum: 0, default: 0 }) offset = 0;
}

// Responses ----------------------------------------------------------------------------------------

export class WardBedCategoryTariff {
  @ApiProperty({ format: 'date', example: '2026-04-01', description: 'The date (India) from which the tariff applies' }) effectiveFrom!: string;
  @ApiProperty({ type: 'integer', example: 600000, description: 'Per day, in paise' }) dailyRatePaise!: number;
}

export class WardBedCategory {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'ICU' }) code!: string;
  @ApiProperty({ example: 'Intensive care unit' }) name!: string;
  @ApiProperty() isCriticalCare!: boolean;
  @ApiProperty() retired!: boolean;
  @ApiProperty({ type: 'integer', nullable: true, example: 600000, description: 'The tariff in force today (India), in paise; null when none is yet' }) currentDailyRatePaise!: number | null;
  @ApiProperty({ type: [WardBedCategoryTariff], description: 'Every dated tariff, oldest first' }) tariffs!: WardBedCategoryTariff[];
}

export class WardBedCategoryList {
  @ApiProperty({ type: [WardBedCategory], description: 'By code' }) items!: WardBedCategory[];
}

export class WardResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'W3' }) code!: string;
  @ApiProperty({ example: 'Medical ward 3' }) name!: string;
  @ApiProperty({ type: String, nullable: true, example: '3' }) floor!: string | null;
  @ApiProperty({ enum: WARD_GENDER_POLICIES }) genderPolicy!: WardGenderPolicy;
  @ApiProperty({ type: String, nullable: true, example: 'General medicine' }) speciality!: string | null;
  @ApiProperty() retired!: boolean;
  @ApiProperty({ description: 'Beds in service (not retired)', example: 24 }) beds!: number;
}

export class WardList {
  @ApiProperty({ type: [WardResponse], description: 'By code' }) items!: WardResponse[];
}

export class WardRoomResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) wardId!: string;
  @ApiProperty({ example: 'R301' }) code!: string;
  @ApiProperty() retired!: boolean;
  @ApiProperty({ description: 'Beds in service (not retired)', example: 2 }) beds!: number;
}

export class WardRetiredBed {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'B12' }) code!: string;
  @ApiProperty({ enum: BED_STATES, description: 'The state the bed was in when it was retired' }) state!: BedState;
}

export class WardRoomRetiredResponse extends WardRoomResponse {
  @ApiProperty({ type: [WardRetiredBed], description: 'The beds this retirement took out of service' }) retiredBeds!: WardRetiredBed[];
}

export class WardRetiredResponse extends WardResponse {
  @ApiProperty({ type: [WardRetiredBed], description: 'The beds this retirement took out of service' }) retiredBeds!: WardRetiredBed[];
}

export class WardBedCreatedResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) wardId!: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) roomId!: string | null;
  @ApiProperty({ example: 'B12' }) code!: string;
  @ApiProperty({ format: 'uuid' }) categoryId!: string;
  @ApiProperty({ enum: ['available'], description: 'A new bed is available' }) state!: BedState;
}

export class WardBedRetiredResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'B12' }) code!: string;
  @ApiProperty({ description: 'Always true: the bed is retired (or already was)' }) retired!: boolean;
}
