import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional } from 'class-validator';
import { PageQuery } from '@hms/platform-http';

/** An event a service parked after its retries ran out (the same in every service). */
export class DeadLetter {
  @ApiProperty({ example: '42', description: 'The dead letter’s number, as a string (what `:id/replay` takes)' }) id!: string;
  @ApiProperty({ example: 'wards', description: 'The consumer group (service) that could not process the event' }) consumerGroup!: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'The branch the event was about, if any' }) branchId!: string | null;
  @ApiProperty({ description: 'The topic the event came from' }) topic!: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'Null when the message was not a readable event' }) eventId!: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'patients.patient.registered', description: 'Null when the message was not a readable event' }) eventType!: string | null;
  @ApiProperty({ description: 'Why the last attempt failed' }) error!: string;
  @ApiProperty({ type: 'integer', description: 'Attempts made before it was parked' }) attempts!: number;
  @ApiProperty({ format: 'date-time' }) parkedAt!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'When it was replayed; null while it waits' }) replayedAt!: string | null;
}

/** GET …/admin/dead-letters: a page of them, oldest first; replayed ones too if asked. */
export class DeadLetterQuery extends PageQuery {
  @ApiPropertyOptional({ type: Boolean, description: 'true: replayed ones too (default: only those still waiting)' })
  @Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsOptional()
  @IsBoolean({ message: 'must be one of true, false' })
  includeReplayed?: boolean;
}

/** A dead letter run through its handler again, successfully. */
export class DeadLetterReplay {
  @ApiProperty({ example: '42' }) id!: string;
  @ApiProperty({ enum: ['replayed'] }) outcome!: 'replayed';
}
