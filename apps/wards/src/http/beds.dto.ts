import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { BED_STATES, type BedState } from '@hms/contracts-wards';
import { DEFAULT_PAGE_SIZE } from '@hms/platform-http';
import { PageLimit, PageOffset } from './query.dto';

const MANUAL_STATES = BED_STATES.filter((s) => s !== 'occupied');

export class BedStateDto {
  @ApiProperty({ enum: MANUAL_STATES })
  @IsIn(MANUAL_STATES, { message: 'state must be available, reserved, cleaning, maintenance or blocked' })
  state!: Exclude<BedState, 'occupied'>;

  @ApiPropertyOptional({ description: 'Why (maintenance, blocking)' }) @IsOptional() @IsString() @MaxLength(500) reason?: string;
  @ApiPropertyOptional({ description: 'For a reservation: the patient it is held for' }) @IsOptional() @IsUUID() patientId?: string;
}

/** A bed's history, a page at a time. */
export class BedHistoryQueryDto {
  @PageLimit() limit: number = DEFAULT_PAGE_SIZE;
  @PageOffset() offset = 0;
}

// Responses ----------------------------------------------------------------------------------------

export class WardBedResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'B12' }) code!: string;
  @ApiProperty({ format: 'uuid' }) wardId!: string;
  @ApiProperty({ example: 'W3' }) wardCode!: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) roomId!: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'R301' }) roomCode!: string | null;
  @ApiProperty({ format: 'uuid' }) categoryId!: string;
  @ApiProperty({ example: 'ICU' }) categoryCode!: string;
  @ApiProperty() isCriticalCare!: boolean;
  @ApiProperty({ enum: BED_STATES }) state!: BedState;
  @ApiProperty({ format: 'date-time', description: 'When the bed entered its state' }) since!: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'The admission in the bed, when occupied' }) admissionId!: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'The patient the bed is reserved for, when reserved' }) reservedForPatientId!: string | null;
  @ApiProperty() retired!: boolean;
  @ApiProperty({ type: 'integer', example: 3 }) version!: number;
}

export class WardBedHistoryEntry {
  @ApiProperty({ enum: BED_STATES, nullable: true, description: 'Null for the bed’s creation' }) from!: BedState | null;
  @ApiProperty({ enum: BED_STATES }) to!: BedState;
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty({ description: 'The user who changed the state' }) actorId!: string;
  @ApiProperty({ type: String, nullable: true, example: 'cleaned' }) reason!: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'The admission that caused the change, if one did' }) admissionId!: string | null;
}

/** A page of a bed's history, newest first (this list has no nextOffset: a short page is the last). */

