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
