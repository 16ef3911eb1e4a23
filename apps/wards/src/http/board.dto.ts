import { ApiProperty } from '@nestjs/swagger';
import { BED_STATES, type BedState } from '@hms/contracts-wards';
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

// Responses ----------------------------------------------------------------------------------------

/** Counts of beds keyed by bed state; a state no bed is in is left out. */
const BEDS_BY_STATE = {
  type: 'object',
  additionalProperties: { type: 'integer' },
  description: `Beds by state (${BED_STATES.join(', ')}); a state no bed is in is left out`,
  example: { available: 10, occupied: 12, cleaning: 2 },
} as const;

export class WardBoardAdmission {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'IP/26-27/000123' }) ipNumber!: string;
  @ApiProperty({ format: 'uuid' }) patientId!: string;
  @ApiProperty({ type: String, nullable: true, example: 'PUNE00000042', description: 'Null while the patients service has not described the patient yet' }) uhid!: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'Anita Devi', description: 'Null while the patients service has not described the patient yet' }) name!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) expectedDischargeAt!: string | null;
}

export class WardBoardBed {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'B12' }) code!: string;
  @ApiProperty({ type: String, nullable: true, example: 'R301', description: 'The room’s code; null for a bed in no room' }) room!: string | null;
  @ApiProperty({ example: 'ICU', description: 'The bed category’s code' }) category!: string;
  @ApiProperty() isCriticalCare!: boolean;
  @ApiProperty({ enum: BED_STATES }) state!: BedState;
  @ApiProperty({ format: 'date-time', description: 'When the bed entered its state' }) since!: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) reservedForPatientId!: string | null;
  @ApiProperty({ type: WardBoardAdmission, nullable: true, description: 'Who is in the bed; null when nobody is' }) admission!: WardBoardAdmission | null;
}

export class WardBoardWard {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'W3' }) code!: string;
  @ApiProperty({ example: 'Medical ward 3' }) name!: string;
  @ApiProperty({ type: String, nullable: true, example: '3' }) floor!: string | null;
  @ApiProperty(BEDS_BY_STATE) counts!: Record<string, number>;
  @ApiProperty({ type: [WardBoardBed], description: 'Beds in service, by room and bed code' }) beds!: WardBoardBed[];
}

export class WardBedBoard {
  @ApiProperty({ format: 'date-time' }) generatedAt!: string;
  @ApiProperty({ type: [WardBoardWard], description: 'Wards with a bed in service, by code' }) wards!: WardBoardWard[];
}

export class WardCensusGroup {
  @ApiProperty({ example: 'W3', description: 'The ward’s or the category’s code' }) code!: string;
  @ApiProperty({ type: 'integer', example: 24 }) beds!: number;
  @ApiProperty({ type: 'integer', example: 12 }) occupied!: number;
  @ApiProperty(BEDS_BY_STATE) byState!: Record<string, number>;
  @ApiProperty({ example: 0.5, description: 'Occupied beds over beds, to three decimals (0 without beds)' }) occupancy!: number;
}

export class WardCensus {
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty({ type: 'integer', description: 'Beds in service' }) beds!: number;
  @ApiProperty({ type: 'integer' }) occupied!: number;
  @ApiProperty({ example: 0.5, description: 'Occupied beds over beds, to three decimals (0 without beds)' }) occupancy!: number;
  @ApiProperty({ type: [WardCensusGroup], description: 'By ward code' }) byWard!: WardCensusGroup[];
  @ApiProperty({ type: [WardCensusGroup], description: 'By category code' }) byCategory!: WardCensusGroup[];
}

export class WardOccupancyGroup {
  @ApiProperty({ example: 'W3', description: 'The ward’s or the category’s code' }) code!: string;
  @ApiProperty({ example: 310.5, description: 'To three decimals' }) occupiedBedDays!: number;
  @ApiProperty({ example: 720, description: 'To three decimals' }) availableBedDays!: number;
  @ApiProperty({ example: 0.431, description: 'Occupied over available bed-days, to three decimals (0 without any available)' }) occupancy!: number;
}

export class WardOccupancy {
  @ApiProperty({ format: 'date', example: '2026-04-01' }) from!: string;
  @ApiProperty({ format: 'date', example: '2026-04-30' }) to!: string;
  @ApiProperty({ example: 310.5, description: 'To three decimals' }) occupiedBedDays!: number;
  @ApiProperty({ example: 720, description: 'To three decimals' }) availableBedDays!: number;
  @ApiProperty({ example: 0.431, description: 'Occupied over available bed-days, to three decimals (0 without any available)' }) occupancy!: number;
  @ApiProperty({ type: [WardOccupancyGroup], description: 'By ward code' }) byWard!: WardOccupancyGroup[];
  @ApiProperty({ type: [WardOccupancyGroup], description: 'By category code' }) byCategory!: WardOccupancyGroup[];
  @ApiProperty({ type: 'integer', description: 'Discharges in the range' }) discharges!: number;
  @ApiProperty({ type: Number, nullable: true, example: 4.25, description: 'Average length of stay of those discharges, in days to three decimals; null without any' })
  averageLengthOfStayDays!: number | null;
}
