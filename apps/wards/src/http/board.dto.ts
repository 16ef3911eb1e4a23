import { ApiProperty } from '@nestjs/swagger';
import { IsCalendarDate } from '@hms/platform-http';
import { IdFilter } from './query.dto';

/** The bed board of the branch, or of one ward. */
export class BedBoardQueryDto {
  @IdFilter('must be a ward id') wardId?: string;
}

/** Occupancy over a range of Indian dates, both ends included. */
export class OccupancyQueryDto {
  @ApiProperty({ example: '2026-04-01', format: 'date' }) @IsCalendarDate() from!: string;
  @ApiProperty({ example: '2026-04-30', format: 'date' }) @IsCalendarDate() to!: string;
}
