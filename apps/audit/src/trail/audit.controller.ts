import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { DomainError, type FieldError } from '@hms/contracts-common';
import { CurrentCaller, RequirePermissions, type Caller } from '@hms/platform-auth';
import { pageRequest } from '@hms/platform-http';
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
  @ApiQuery({ name: 'from', required: false, description: 'ISO instant' })
  @ApiQuery({ name: 'to', required: false, description: 'ISO instant' })
  @ApiQuery({ name: 'limit', required: false })
  @ApiQuery({ name: 'offset', required: false })
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
    const fromDate = parseInstant(from, 'from', errors);
    const toDate = parseInstant(to, 'to', errors);
    if (errors.length) throw new DomainError('validation', 'validation-failed', errors.map((e) => `${e.field}: ${e.message}`).join('; '), {}, errors);
    return this.trail.query(caller, { patientId: patientId?.toLowerCase(), actorId, type, from: fromDate, to: toDate }, pageRequest(limit, offset));
  }

  @Get('verify')
  @RequirePermissions('audit:read')
  @ApiOperation({ summary: 'Check the whole hash chain: detects altered, removed or reordered entries' })
  verify() {
    return this.trail.verify();
  }
}

function parseInstant(value: string | undefined, field: string, errors: FieldError[]): Date | undefined {
  if (value === undefined) return undefined;
  const date = new Date(value);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(date.getTime())) {
    errors.push({ field, message: 'must be an ISO date or instant, e.g. 2026-04-01T00:00:00Z' });
    return undefined;
  }
  return date;
}
