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

// Responses ----------------------------------------------------------------------------------------

export class WardHl7Subscription {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'lis-adt' }) name!: string;
  @ApiProperty({ type: 'integer', example: 42, description: 'The last sequence number acknowledged (0 before the first)' }) acknowledgedSeq!: number;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export class WardHl7SubscriptionList {
  @ApiProperty({ type: [WardHl7Subscription] }) items!: WardHl7Subscription[];
}

export class WardHl7Message {
  @ApiProperty({ type: 'integer', example: 43, description: 'The message’s place in the branch’s feed' }) seq!: number;
  @ApiProperty({ description: 'MSH-10, the message control id' }) controlId!: string;
  @ApiProperty({ enum: ['A01', 'A02', 'A03'], description: 'A01 admit, A02 transfer, A03 discharge' }) triggerEvent!: 'A01' | 'A02' | 'A03';
  @ApiProperty({ enum: ['ADT^A01', 'ADT^A02', 'ADT^A03'] }) messageType!: string;
  @ApiProperty({ format: 'uuid' }) admissionId!: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'The patient whose data the message carries' }) patientId!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ description: 'The HL7 v2 message itself (ER7, segments separated by carriage returns)' }) message!: string;
}

/** The next unacknowledged messages of a subscription. */
export class WardHl7MessageBatch {
  @ApiProperty({ type: WardHl7Subscription }) subscription!: WardHl7Subscription;
  @ApiProperty({ type: [WardHl7Message], description: 'In feed order' }) items!: WardHl7Message[];
  @ApiProperty({ description: 'More unacknowledged messages follow these' }) hasMore!: boolean;
}

export class WardHl7MessageList {
  @ApiProperty({ type: [WardHl7Message], description: 'In feed order' }) items!: WardHl7Message[];
}
