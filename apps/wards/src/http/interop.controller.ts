import { Body, Controller, Get, Header, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { CurrentCaller, RequirePermissions, type Caller } from '@hms/platform-auth';
import { ApiProblems, PageOf, PageQuery } from '@hms/platform-http';
import { FHIR_CONTENT_TYPE } from '../domain/fhir';
import { GetBedLocationUseCase } from '../fhir/get-bed-location.use-case';
import { GetEncounterUseCase } from '../fhir/get-encounter.use-case';
import { GetWardLocationUseCase } from '../fhir/get-ward-location.use-case';
import { AcknowledgeHl7MessagesUseCase } from '../hl7-feed/acknowledge-hl7-messages.use-case';
import { CreateHl7SubscriptionUseCase } from '../hl7-feed/create-hl7-subscription.use-case';
import { FEED_PAGE_MAX } from '../hl7-feed/feed-views';
import { GetHl7SubscriptionUseCase } from '../hl7-feed/get-hl7-subscription.use-case';
import { ListAdmissionHl7MessagesUseCase } from '../hl7-feed/list-admission-hl7-messages.use-case';
import { ListHl7SubscriptionsUseCase } from '../hl7-feed/list-hl7-subscriptions.use-case';
import { ReadHl7MessagesUseCase } from '../hl7-feed/read-hl7-messages.use-case';
import {
  AcknowledgeHl7Dto,
  AdmissionHl7MessagesQueryDto,
  CreateHl7SubscriptionDto,
  Hl7MessagesQueryDto,
  WardHl7MessageBatch,
  WardHl7MessageList,
  WardHl7Subscription,
} from './interop.dto';

const uuid = new ParseUUIDPipe();

/** A FHIR R4 resource, answered as application/fhir+json. */
function ApiFhirResource(resourceType: 'Encounter' | 'Location', description: string): MethodDecorator {
  return ApiOkResponse({
    description,
    content: { [FHIR_CONTENT_TYPE]: { schema: { type: 'object', additionalProperties: true, description: `A FHIR R4 ${resourceType} resource (resourceType "${resourceType}")` } } },
  });
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
  @ApiCreatedResponse({ type: WardHl7Subscription, description: 'The subscription, its cursor at 0' })
  @ApiProblems({ 400: 'The name is invalid', 409: 'A subscription of this branch has that name (subscription-name-taken)' })
  @ApiOperation({ summary: 'Subscribe a system to the branch’s ADT feed (A01, A02, A03); it starts at the beginning of the feed' })
  create(@Body() body: CreateHl7SubscriptionDto, @CurrentCaller() caller: Caller) {
    return this.createSubscription.execute(caller, body.name);
  }

  @Get('subscriptions')
  @RequirePermissions('wards:integration')
  @ApiOkResponse({ type: PageOf(WardHl7Subscription) })
  @ApiProblems({ 400: 'A paging parameter is invalid, or a parameter the list does not take was sent' })
  list(@CurrentCaller() caller: Caller, @Query() query: PageQuery) {
    return this.listSubscriptions.execute(caller, query);
  }

  @Get('subscriptions/:id')
  @RequirePermissions('wards:integration')
  @ApiOkResponse({ type: WardHl7Subscription })
  @ApiProblems({ 400: 'The id is not a UUID', 404: 'No such subscription in this branch (subscription-not-found)' })
  get(@Param('id', uuid) id: string, @CurrentCaller() caller: Caller) {
    return this.getSubscription.execute(caller, id);
  }

  @Get('subscriptions/:id/messages')
  @RequirePermissions('wards:integration')
  @ApiOperation({ summary: 'The next unacknowledged HL7 messages, in feed order; reading does not move the cursor' })
  @ApiOkResponse({ type: WardHl7MessageBatch })
  @ApiProblems({ 400: `The id is not a UUID, or limit is not a whole number from 1 to ${FEED_PAGE_MAX}`, 404: 'No such subscription in this branch (subscription-not-found)' })
  messages(@Param('id', uuid) id: string, @CurrentCaller() caller: Caller, @Query() query: Hl7MessagesQueryDto) {
    return this.readMessages.execute(caller, id, query.limit);
  }

  @Post('subscriptions/:id/ack')
  @HttpCode(200)
  @RequirePermissions('wards:integration')
  @ApiOkResponse({ type: WardHl7Subscription, description: 'The subscription with its cursor moved (unchanged when it was there already)' })
  @ApiProblems({
    400: 'The id is not a UUID, or upToSeq is not a whole number from 0',
    404: 'No such subscription in this branch (subscription-not-found)',
    409: 'upToSeq is behind the cursor, which never moves back (ack-behind-cursor)',
    422: 'upToSeq is past the end of the feed (ack-beyond-feed)',
  })
  @ApiOperation({ summary: 'Acknowledge every message up to a sequence number: the cursor moves forward only, and never past the feed’s end' })
  ack(@Param('id', uuid) id: string, @Body() body: AcknowledgeHl7Dto, @CurrentCaller() caller: Caller) {
    return this.acknowledge.execute(caller, id, body.upToSeq);
  }

  @Get('messages')
  @RequirePermissions('wards:integration')
  @ApiOperation({ summary: 'The HL7 messages about one admission, in feed order' })
  @ApiOkResponse({ type: WardHl7MessageList })
  @ApiProblems({ 400: 'admissionId is not a UUID', 404: 'No such admission (admission-not-found)' })
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
  @ApiFhirResource('Encounter', 'The admission as an Encounter')
  @ApiProblems({ 400: 'The id is not a UUID', 404: 'No such admission in this branch (admission-not-found)' })
  encounter(@Param('id', uuid) id: string, @CurrentCaller() caller: Caller) {
    return this.getEncounter.execute(caller, id);
  }

  @Get('beds/:id/fhir')
  @RequirePermissions('wards:read')
  @Header('Content-Type', FHIR_CONTENT_TYPE)
  @ApiProduces(FHIR_CONTENT_TYPE)
  @ApiOperation({ summary: 'The bed as a FHIR R4 Location, with its occupancy (HL7 table 0116)' })
  @ApiFhirResource('Location', 'The bed as a Location')
  @ApiProblems({ 400: 'The id is not a UUID', 404: 'No such bed in this branch (bed-not-found)' })
  bed(@Param('id', uuid) id: string, @CurrentCaller() caller: Caller) {
    return this.getBedLocation.execute(caller, id);
  }

  @Get('wards/:id/fhir')
  @RequirePermissions('wards:read')
  @Header('Content-Type', FHIR_CONTENT_TYPE)
  @ApiProduces(FHIR_CONTENT_TYPE)
  @ApiOperation({ summary: 'The ward as a FHIR R4 Location, which its beds are part of' })
  @ApiFhirResource('Location', 'The ward as a Location')
  @ApiProblems({ 400: 'The id is not a UUID', 404: 'No such ward in this branch (ward-not-found)' })
  ward(@Param('id', uuid) id: string, @CurrentCaller() caller: Caller) {
    return this.getWardLocation.execute(caller, id);
  }
}
