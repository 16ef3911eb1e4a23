import { ApiPaging } from '@hms/platform-http';
import { Body, Controller, Get, Header, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import { DomainError } from '@hms/contracts-common';
import { CurrentCaller, RequirePermissions, type Caller } from '@hms/platform-auth';
import { FHIR_CONTENT_TYPE } from './domain/fhir';
import { FhirService } from './fhir.service';
import { FEED_PAGE_DEFAULT, FEED_PAGE_MAX, Hl7FeedService } from './hl7-feed.service';
import { ApiWardsProblems } from '../openapi';
import { AcknowledgeHl7Dto, CreateHl7SubscriptionDto } from './interop.dto';

const uuid = new ParseUUIDPipe();
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function feedLimit(raw: string | undefined): number {
  if (raw === undefined) return FEED_PAGE_DEFAULT;
  const n = /^\d{1,4}$/.test(raw) ? Number(raw) : NaN;
  if (!(n >= 1 && n <= FEED_PAGE_MAX)) {
    throw new DomainError('validation', 'validation-failed', `limit must be a whole number from 1 to ${FEED_PAGE_MAX}`, {}, [
      { field: 'limit', message: `must be a whole number from 1 to ${FEED_PAGE_MAX}` },
    ]);
  }
  return n;
}

/**
 * The feed carries patients' names, birth dates, UHIDs and admission reasons, and a cursor that
 * decides what an interface engine sees next: every route needs wards:integration (the
 * integration role, or an administrator), never just wards:read.
 */
@ApiTags('wards: HL7 v2 feed')
@ApiBearerAuth()
@Controller('api/v1/wards/hl7')
export class Hl7FeedController {
  constructor(private readonly feed: Hl7FeedService) {}

  @Post('subscriptions')
  @RequirePermissions('wards:integration')
  @ApiWardsProblems(400, 401, 403, 409)
  @ApiOperation({ summary: 'Subscribe a system to the branch’s ADT feed (A01, A02, A03); it starts at the beginning of the feed' })
  create(@Body() body: CreateHl7SubscriptionDto, @CurrentCaller() caller: Caller) {
    return this.feed.createSubscription(caller, body.name);
  }

  @Get('subscriptions')
  @RequirePermissions('wards:integration')
  @ApiWardsProblems(401, 403)
  async list(@CurrentCaller() caller: Caller) {
    return { items: await this.feed.listSubscriptions(caller) };
  }

  @Get('subscriptions/:id')
  @RequirePermissions('wards:integration')
  @ApiWardsProblems(400, 401, 403, 404)
  get(@Param('id', uuid) id: string, @CurrentCaller() caller: Caller) {
    return this.feed.getSubscription(caller, id);
  }

  @Get('subscriptions/:id/messages')
  @RequirePermissions('wards:integration')
  @ApiWardsProblems(400, 401, 403, 404)
  @ApiOperation({ summary: 'The next unacknowledged HL7 messages, in feed order; reading does not move the cursor' })
  @ApiPaging({ offset: false })
  messages(@Param('id', uuid) id: string, @CurrentCaller() caller: Caller, @Query('limit') limit?: string) {
    return this.feed.pending(caller, id, feedLimit(limit));
  }

  @Post('subscriptions/:id/ack')
  @HttpCode(200)
  @RequirePermissions('wards:integration')
  @ApiWardsProblems(400, 401, 403, 404, 409, 422)
  @ApiOperation({ summary: 'Acknowledge every message up to a sequence number: the cursor moves forward only, and never past the feed’s end' })
  ack(@Param('id', uuid) id: string, @Body() body: AcknowledgeHl7Dto, @CurrentCaller() caller: Caller) {
    return this.feed.acknowledge(caller, id, body.upToSeq);
  }

  @Get('messages')
  @RequirePermissions('wards:integration')
  @ApiWardsProblems(400, 401, 403, 404)
  @ApiOperation({ summary: 'The HL7 messages about one admission, in feed order' })
  @ApiQuery({ name: 'admissionId', required: true })
  async byAdmission(@CurrentCaller() caller: Caller, @Query('admissionId') admissionId?: string) {
    if (!admissionId || !UUID.test(admissionId)) {
      throw new DomainError('validation', 'validation-failed', 'admissionId is required and must be an admission id', {}, [{ field: 'admissionId', message: 'must be a UUID' }]);
    }
    return { items: await this.feed.forAdmission(caller, admissionId.toLowerCase()) };
  }
}

/**
 * FHIR views stay on wards:read: the Encounter says no more than the admission view that
 * wards:read already shows (GET admissions/:id), and a Location says nothing about a patient.
 * Reading moves no cursor, and the gateway records each read of patient data.
 */
@ApiTags('wards: FHIR R4')
@ApiBearerAuth()
@Controller('api/v1/wards')
export class FhirController {
  constructor(private readonly fhir: FhirService) {}

  @Get('admissions/:id/fhir')
  @RequirePermissions('wards:read')
  @Header('Content-Type', FHIR_CONTENT_TYPE)
  @ApiProduces(FHIR_CONTENT_TYPE)
  @ApiOperation({ summary: 'The admission as a FHIR R4 Encounter, with its bed history' })
  encounter(@Param('id', uuid) id: string, @CurrentCaller() caller: Caller) {
    return this.fhir.encounter(caller, id);
  }

  @Get('beds/:id/fhir')
  @RequirePermissions('wards:read')
  @Header('Content-Type', FHIR_CONTENT_TYPE)
  @ApiProduces(FHIR_CONTENT_TYPE)
  @ApiOperation({ summary: 'The bed as a FHIR R4 Location, with its occupancy (HL7 table 0116)' })
  bed(@Param('id', uuid) id: string, @CurrentCaller() caller: Caller) {
    return this.fhir.bed(caller, id);
  }

  @Get('wards/:id/fhir')
  @RequirePermissions('wards:read')
  @Header('Content-Type', FHIR_CONTENT_TYPE)
  @ApiProduces(FHIR_CONTENT_TYPE)
  @ApiOperation({ summary: 'The ward as a FHIR R4 Location, which its beds are part of' })
  ward(@Param('id', uuid) id: string, @CurrentCaller() caller: Caller) {
    return this.fhir.ward(caller, id);
  }
}
