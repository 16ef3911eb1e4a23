import { Body, Controller, Get, Header, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { CurrentCaller, RequirePermissions, type Caller } from '@hms/platform-auth';
import { FHIR_CONTENT_TYPE } from '../domain/fhir';
import { GetBedLocationUseCase } from '../fhir/get-bed-location.use-case';
import { GetEncounterUseCase } from '../fhir/get-encounter.use-case';
import { GetWardLocationUseCase } from '../fhir/get-ward-location.use-case';
import { AcknowledgeHl7MessagesUseCase } from '../hl7-feed/acknowledge-hl7-messages.use-case';
import { CreateHl7SubscriptionUseCase } from '../hl7-feed/create-hl7-subscription.use-case';
import { GetHl7SubscriptionUseCase } from '../hl7-feed/get-hl7-subscription.use-case';
import { ListAdmissionHl7MessagesUseCase } from '../hl7-feed/list-admission-hl7-messages.use-case';
import { ListHl7SubscriptionsUseCase } from '../hl7-feed/list-hl7-subscriptions.use-case';
import { ReadHl7MessagesUseCase } from '../hl7-feed/read-hl7-messages.use-case';
import { AcknowledgeHl7Dto, AdmissionHl7MessagesQueryDto, CreateHl7SubscriptionDto, Hl7MessagesQueryDto } from './interop.dto';
import { ApiWardsProblems } from './problems.dto';

const uuid = new ParseUUIDPipe();

/**
 * The feed carries patients' names, birth dates, UHIDs and admission reasons, and a cursor that
 * decides what an interface engine sees next: every route needs wards:integration (the
 * integration role, or an administrator), never just wards:read.
 */
@ApiTags('wards: HL7 v2 feed')
@ApiBearerAuth()
@Controller('api/v1/wards/hl7')
export class Hl7FeedController {
  constructor(
    private readonly createSubscription: CreateHl7SubscriptionUseCase,
    private readonly listSubscriptions: ListHl7SubscriptionsUseCase,
    private readonly getSubscription: GetHl7SubscriptionUseCase,
    private readonly readMessages: ReadHl7MessagesUseCase,
    private readonly acknowledge: AcknowledgeHl7MessagesUseCase,
    private readonly admissionMessages: ListAdmissionHl7MessagesUseCase,
  ) {}

  @Post('subscriptions')
  @RequirePermissions('wards:integration')
  @ApiWardsProblems(400, 401, 403, 409)
  @ApiOperation({ summary: 'Subscribe a system to the branch’s ADT feed (A01, A02, A03); it starts at the beginning of the feed' })
  create(@Body() body: CreateHl7SubscriptionDto, @CurrentCaller() caller: Caller) {
    return this.createSubscription.execute(caller, body.name);
  }

  @Get('subscriptions')
  @RequirePermissions('wards:integration')
  @ApiWardsProblems(401, 403)
  async list(@CurrentCaller() caller: Caller) {
    return { items: await this.listSubscriptions.execute(caller) };
  }

  @Get('subscriptions/:id')
  @RequirePermissions('wards:integration')
  @ApiWardsProblems(400, 401, 403, 404)
  get(@Param('id', uuid) id: string, @CurrentCaller() caller: Caller) {
    return this.getSubscription.execute(caller, id);
  }

  @Get('subscriptions/:id/messages')
  @RequirePermissions('wards:integration')
  @ApiWardsProblems(400, 401, 403, 404)
  @ApiOperation({ summary: 'The next unacknowledged HL7 messages, in feed order; reading does not move the cursor' })
  messages(@Param('id', uuid) id: string, @CurrentCaller() caller: Caller, @Query() query: Hl7MessagesQueryDto) {
    return this.readMessages.execute(caller, id, query.limit);
  }

  @Post('subscriptions/:id/ack')
  @HttpCode(200)
  @RequirePermissions('wards:integration')
  @ApiWardsProblems(400, 401, 403, 404, 409, 422)
  @ApiOperation({ summary: 'Acknowledge every message up to a sequence number: the cursor moves forward only, and never past the feed’s end' })
  ack(@Param('id', uuid) id: string, @Body() body: AcknowledgeHl7Dto, @CurrentCaller() caller: Caller) {
    return this.acknowledge.execute(caller, id, body.upToSeq);
  }

  @Get('messages')
  @RequirePermissions('wards:integration')
  @ApiWardsProblems(400, 401, 403, 404)
  @ApiOperation({ summary: 'The HL7 messages about one admission, in feed order' })
  async byAdmission(@CurrentCaller() caller: Caller, @Query() query: AdmissionHl7MessagesQueryDto) {
    return { items: await this.admissionMessages.execute(caller, query.admissionId) };
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
  constructor(
    private readonly getEncounter: GetEncounterUseCase,
    private readonly getBedLocation: GetBedLocationUseCase,
    private readonly getWardLocation: GetWardLocationUseCase,
  ) {}

  @Get('admissions/:id/fhir')
  @RequirePermissions('wards:read')
  @Header('Content-Type', FHIR_CONTENT_TYPE)
  @ApiProduces(FHIR_CONTENT_TYPE)
  @ApiOperation({ summary: 'The admission as a FHIR R4 Encounter, with its bed history' })
  encounter(@Param('id', uuid) id: string, @CurrentCaller() caller: Caller) {
    return this.getEncounter.execute(caller, id);
  }

  @Get('beds/:id/fhir')
  @RequirePermissions('wards:read')
  @Header('Content-Type', FHIR_CONTENT_TYPE)
  @ApiProduces(FHIR_CONTENT_TYPE)
  @ApiOperation({ summary: 'The bed as a FHIR R4 Location, with its occupancy (HL7 table 0116)' })
  bed(@Param('id', uuid) id: string, @CurrentCaller() caller: Caller) {
    return this.getBedLocation.execute(caller, id);
  }

  @Get('wards/:id/fhir')
  @RequirePermissions('wards:read')
  @Header('Content-Type', FHIR_CONTENT_TYPE)
  @ApiProduces(FHIR_CONTENT_TYPE)
  @ApiOperation({ summary: 'The ward as a FHIR R4 Location, which its beds are part of' })
  ward(@Param('id', uuid) id: string, @CurrentCaller() caller: Caller) {
    return this.getWardLocation.execute(caller, id);
  }
}
