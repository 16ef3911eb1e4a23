import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { DomainError, type FieldError } from '@hms/contracts-common';
import { CurrentCaller, RequirePermissions, type Caller } from '@hms/platform-auth';
import { isCalendarDate, pageRequest, ApiPaging } from '@hms/platform-http';
import { indianDayRange } from '@hms/platform-time';
import { AuditTrailService } from './audit-trail.service';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

@ApiTags('audit')
@ApiBearerAuth()
@Controller('api/v1/audit')
export class AuditController {
  constructor(private readonly trail: AuditTrailService) {}

  @Get('events')
  @RequirePermissions('audit:read')
  @ApiOperation({ summary: 'Who did what to which patient: the audit trail of your branch, newest first' })
  @ApiQuery({ name: 'patientId', required: false })
  @ApiQuery({ name: 'actorId', required: false })
  @ApiQuery({ name: 'type', required: false, description: 'Exact event type, or a prefix ending in *' })
  @ApiQuery({ name: 'from', required: false, description: 'An instant (2026-04-01T09:30:00Z, or with an offset), or a date: the start of that day in India' })
  @ApiQuery({ name: 'to', required: false, description: 'An instant, or a date: the end of that day in India' })
  @ApiPaging()
  events(
    @CurrentCaller() caller: Caller,
    @Query('patientId') patientId?: string,
    @Query('actorId') actorId?: string,
    @Query('type') type?: string,
    @Query('from') from?: string,
    @Query('to') to?: string,
    @Query('limit') limit?: string,
    @Query('offset') offset?: string,
  ) {
    const errors: FieldError[] = [];
    if (patientId !== undefined && !UUID.test(patientId)) errors.push({ field: 'patientId', message: 'must be a patient id (UUID)' });
    if (actorId !== undefined && !/^[\w.@:-]{1,100}$/.test(actorId)) errors.push({ field: 'actorId', message: 'must be a user id' });
    if (type !== undefined && !/^[a-z0-9.-]{1,100}\*?$/.test(type)) errors.push({ field: 'type', message: 'must be an event type such as patients.patient.registered' });
    const fromDate = parseInstant(from, 'from', 'start', errors);
    const toDate = parseInstant(to, 'to', 'end', errors);
    if (errors.length) throw new DomainError('validation', 'validation-failed', errors.map((e) => `${e.field}: ${e.message}`).join('; '), {}, errors);
    return this.trail.query(caller, { patientId: patientId?.toLowerCase(), actorId, type, from: fromDate, to: toDate }, pageRequest(limit, offset));
  }

  @Get('verify')
  @RequirePermissions('audit:read')
  @ApiOperation({
    summary: 'Check the whole hash chain: detects altered, removed or reordered entries',
    description: 'A branch’s auditor sees the count of their branch’s entries; platform:audit sees every branch’s.',
  })
  verify(@CurrentCaller() caller: Caller) {
    return this.trail.verify(caller.platformPermissions.has('platform:audit') ? 'all' : { branchId: caller.branchId });
  }
}

const INSTANT = /^(\d{4}-\d{2}-\d{2})(?:T([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d)(?:\.\d{1,6})?)?(Z|[+-](?:[01]\d|2[0-3]):[0-5]\d))?$/;

/**
 * A query instant: a full ISO instant with its offset, or a calendar date meaning the start (or
 * end) of that day in India. Anything else (a 30 February, a missing offset) is refused, never
 * rolled over to another day.
 */
function parseInstant(value: string | undefined, field: string, edge: 'start' | 'end', errors: FieldError[]): Date | undefined {
  if (value === undefined) return undefined;
  const m = INSTANT.exec(value);
  if (!m || !isCalendarDate(m[1])) {
    errors.push({ field, message: 'must be a real date (2026-04-01, a day in India) or an instant with its offset (2026-04-01T09:30:00Z)' });
    return undefined;
  }
  if (m[2] === undefined) {
    // The trail's `to` is inclusive, so a date as `to` means the last millisecond of that day in India.
    const day = indianDayRange(m[1]);
    return edge === 'start' ? day.start : new Date(day.end.getTime() - 1);
  }
  return new Date(value);
}
