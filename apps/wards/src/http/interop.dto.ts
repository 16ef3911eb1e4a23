import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsString, Matches, Max, Min } from 'class-validator';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '@hms/platform-http';
import { FEED_PAGE_DEFAULT, FEED_PAGE_MAX } from '../hl7-feed/feed-views';
import { IsWholeNumberBetween } from './query.dto';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export class CreateHl7SubscriptionDto {
  @ApiProperty({ example: 'lis-adt', description: 'A name the subscribing system is known by in this branch' })
  @IsString()
  @Matches(/^[A-Za-z0-9][A-Za-z0-9 ._-]{0,99}$/, { message: 'name must be 1–100 letters, digits, spaces, . _ or -, starting with a letter or digit' })
  name!: string;
}

export class AcknowledgeHl7Dto {
  @ApiProperty({ example: 42, description: 'The last sequence number the subscriber has processed; every message up to it counts as read' })
  @IsInt()
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER)
  upToSeq!: number;
}

/** The next page of a subscription's messages: `limit` is 1 to FEED_PAGE_MAX plain digits. */
export class Hl7MessagesQueryDto {
  // Documented as the platform's paging has always documented it here.
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE, description: 'Page size' })
  @Transform(({ value }) => (value === undefined ? FEED_PAGE_DEFAULT : typeof value === 'string' && /^\d{1,4}$/.test(value) ? Number(value) : NaN))
  @IsWholeNumberBetween(1, FEED_PAGE_MAX, `must be a whole number from 1 to ${FEED_PAGE_MAX}`)
  limit: number = FEED_PAGE_DEFAULT;
}

/** The messages about one admission. */
export class AdmissionHl7MessagesQueryDto {
  @ApiProperty({ type: String })
  @Transform(({ value }) => (typeof value === 'string' ? value.toLowerCase() : value))
  @Matches(UUID, { message: 'must be a UUID' })
  admissionId!: string;
}
