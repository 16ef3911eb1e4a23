import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { Allow, Matches, ValidateBy } from 'class-validator';
import { IsOmittable, PageOf, isCalendarDate } from '@hms/platform-http';
import { indianDayRange } from '@hms/platform-time';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ACTOR_ID = /^[\w.@:-]{1,100}$/;
const EVENT_TYPE = /^[a-z0-9.-]{1,100}\*?$/;
const INSTANT = /^(\d{4}-\d{2}-\d{2})(?:T([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d)(?:\.\d{1,6})?)?(Z|[+-](?:[01]\d|2[0-3]):[0-5]\d))?$/;

/**
 * A query instant: a full ISO instant with its offset, or a calendar date meaning the start (or
 * end) of that day in India. Anything else (a 30 February, a missing offset) is left as it came,
 * for `IsQueryInstant` to refuse, never rolled over to another day.
 */
function queryInstant(value: unknown, edge: 'start' | 'end'): unknown {
  if (typeof value !== 'string') return value;
  const m = INSTANT.exec(value);
  if (!m || !isCalendarDate(m[1])) return value;
  if (m[2] === undefined) {
    // The trail's `to` is inclusive, so a date as `to` means the last millisecond of that day in India.
    const day = indianDayRange(m[1]);
    return edge === 'start' ? day.start : new Date(day.end.getTime() - 1);
  }
  return new Date(value);
}

/** A value `queryInstant` could read. */
function IsQueryInstant(): PropertyDecorator {
  return ValidateBy({
    name: 'isQueryInstant',
    validator: {
      validate: (value) => value instanceof Date,
      defaultMessage: () => 'must be a real date (2026-04-01, a day in India) or an instant with its offset (2026-04-01T09:30:00Z)',
    },
  });
}

/** GET api/v1/audit/events: which entries, and which page of them. */
export class AuditEventsQueryDto {
  @ApiPropertyOptional()
  @IsOmittable()
  @Matches(UUID, { message: 'must be a patient id (UUID)' })
  @Transform(({ value }) => (typeof value === 'string' ? value.toLowerCase() : value))
  patientId?: string;

  @ApiPropertyOptional()
  @IsOmittable()
  @Matches(ACTOR_ID, { message: 'must be a user id' })
  actorId?: string;

  @ApiPropertyOptional({ description: 'Exact event type, or a prefix ending in *' })
  @IsOmittable()
  @Matches(EVENT_TYPE, { message: 'must be an event type such as patients.patient.registered' })
  type?: string;

  @ApiPropertyOptional({ type: String, description: 'An instant (2026-04-01T09:30:00Z, or with an offset), or a date: the start of that day in India' })
  @IsOmittable()
  @IsQueryInstant()
  @Transform(({ value }) => queryInstant(value, 'start'))
  from?: Date;

  @ApiPropertyOptional({ type: String, description: 'An instant, or a date: the end of that day in India' })
  @IsOmittable()
  @IsQueryInstant()
  @Transform(({ value }) => queryInstant(value, 'end'))
  to?: Date;

  // Checked and bounded by the platform's pageRequest, with its messages, like every paged list;
  // documented by @ApiPaging on the route.
  @Allow()
  limit?: unknown;

  @Allow()
  offset?: unknown;
}

/** One entry of the audit trail: an event of any service, as recorded and hashed into the chain. */
export class AuditTrailEntry {
  @ApiProperty({ format: 'uuid', description: 'The entry’s own id' }) id!: string;
  @ApiProperty({ type: 'integer', description: 'Its place in the hash chain (one chain for every branch)' }) seq!: number;
  @ApiProperty({ format: 'uuid', description: 'The id of the event recorded' }) eventId!: string;
  @ApiProperty({ example: 'patients.patient.registered' }) type!: string;
  @ApiProperty({ example: 'patients', description: 'The service that published the event' }) source!: string;
  @ApiProperty({ format: 'date-time', description: 'When the event happened' }) occurredAt!: string;
  @ApiProperty({ format: 'date-time', description: 'When the trail recorded it' }) recordedAt!: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'The branch the event was about; null for a platform-wide one' }) branchId!: string | null;
  @ApiProperty({ description: 'The user, or the system part, that acted' }) actorId!: string;
  @ApiProperty({ enum: ['user', 'system'] }) actorType!: 'user' | 'system';
  @ApiProperty({ type: [String], format: 'uuid', description: 'The patients the event concerns' }) patientIds!: string[];
  @ApiProperty({ type: String, nullable: true }) correlationId!: string | null;

  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true, description: 'The event’s payload as published; null for an event without one' })
  data!: Record<string, unknown> | null;

  @ApiProperty({ description: 'This entry’s hash, chained to the previous one’s' }) hash!: string;
}

/** GET api/v1/audit/events: a page of the trail, newest first. */
export const AuditTrailEntryPage = PageOf(AuditTrailEntry);

/** GET api/v1/audit/verify: whether the hash chain holds, and how many entries were checked. */
export class AuditChainVerification {
  @ApiProperty({ description: 'False when an entry was altered, removed or reordered anywhere in the chain' }) valid!: boolean;
  @ApiProperty({ type: 'integer', description: 'Entries checked: your branch’s (every branch’s with platform:audit)' }) checked!: number;
  @ApiPropertyOptional({ format: 'uuid', description: 'When invalid: the first entry that does not hold, if it is one you may see' }) firstInvalidId?: string;
  @ApiPropertyOptional({ description: 'When invalid: what is wrong' }) reason?: string;
}
