import { Body, Controller, Get, Headers, HttpCode, Param, ParseUUIDPipe, Patch, Post, Put, Query, Res, UseInterceptors } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiPreconditionFailedResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentCaller, RequirePermissions, type Caller } from '@hms/platform-auth';
import { etagOf, versionFromIfMatch } from '@hms/platform-http';
import { IdempotencyInterceptor } from '@hms/platform-service';
import { RecordDeathUseCase } from '../death/record-death.use-case';
import { WithdrawDeathUseCase } from '../death/withdraw-death.use-case';
import { MergePatientsUseCase } from '../merge/merge-patients.use-case';
import { FindPatientByUhidUseCase } from '../records/find-patient-by-uhid.use-case';
import { GetPatientUseCase } from '../records/get-patient.use-case';
import { UpdatePatientUseCase } from '../records/update-patient.use-case';
import { RegisterPatientUseCase } from '../registration/register-patient.use-case';
import { SearchPatientsUseCase } from '../search/search-patients.use-case';
import { GetUhidSettingsUseCase } from '../uhid/get-uhid-settings.use-case';
import { SetUhidPrefixUseCase } from '../uhid/set-uhid-prefix.use-case';
import {
  MergePatientDto,
  PatientRecordDto,
  PatientSearchPageDto,
  RecordDeathDto,
  RegisterPatientDto,
  SearchPatientsQueryDto,
  UhidSettingsDto,
  UpdatePatientDto,
  WithdrawDeathDto,
} from './patients.dto';

const uuid = new ParseUUIDPipe();

/**
 * The patient register over HTTP. The UHID settings stay on this controller: their routes live
 * under /api/v1/patients and their OpenAPI operation ids (PatientsController_…) are published.
 */
@ApiTags('patients')
@ApiBearerAuth()
@Controller('api/v1/patients')
export class PatientsController {
  constructor(
    private readonly registerPatient: RegisterPatientUseCase,
    private readonly searchPatients: SearchPatientsUseCase,
    private readonly getPatient: GetPatientUseCase,
    private readonly findPatientByUhid: FindPatientByUhidUseCase,
    private readonly updatePatient: UpdatePatientUseCase,
    private readonly recordDeathOf: RecordDeathUseCase,
    private readonly withdrawDeathOf: WithdrawDeathUseCase,
    private readonly mergePatients: MergePatientsUseCase,
    private readonly getUhidSettings: GetUhidSettingsUseCase,
    private readonly setUhidPrefix: SetUhidPrefixUseCase,
  ) {}

  @Post()
  @RequirePermissions('patients:register')
  @UseInterceptors(IdempotencyInterceptor)
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Retry-safe registration' })
  @ApiOperation({ summary: 'Register a patient; issues a permanent UHID' })
  @ApiCreatedResponse({ type: PatientRecordDto, description: 'Registered: id, uhid, warnings[] and the record' })
  @ApiBadRequestResponse({ description: 'A field breaks a rule (problem+json listing each field)' })
  @ApiConflictResponse({ description: 'Likely duplicates (candidates listed); repeat with confirmedNotDuplicate to register anyway' })
  async register(@Body() body: RegisterPatientDto, @CurrentCaller() caller: Caller, @Res({ passthrough: true }) res: Response) {
    const patient = await this.registerPatient.execute(caller, body);
    res.setHeader('etag', etagOf(patient.version));
    res.setHeader('location', `/api/v1/patients/${patient.id}`);
    return patient;
  }

  @Get()
  @RequirePermissions('patients:read')
  @ApiOperation({
    summary: 'Find patients by UHID, phone or ABHA (exact) or by name (fuzzy, any script)',
    description:
      'Name matches come closest first (phonetic matches, then spelling-only ones), ties in registration order; every kind of look-up has a total order, so consecutive pages never skip or repeat a patient.',
  })
  @ApiOkResponse({ type: PatientSearchPageDto })
  search(@CurrentCaller() caller: Caller, @Query() query: SearchPatientsQueryDto) {
    return this.searchPatients.execute(caller, query.q, { limit: query.limit, offset: query.offset });
  }

  @Get('settings/uhid')
  @RequirePermissions('patients:read')
  @ApiOperation({ summary: "The branch's UHID prefix and next number" })
  uhidSettings(@CurrentCaller() caller: Caller) {
    return this.getUhidSettings.execute(caller);
  }

  @Put('settings/uhid')
  @RequirePermissions('patients:configure')
  @ApiOperation({ summary: "Set the branch's UHID prefix (before its first registration only)" })
  setUhid(@Body() body: UhidSettingsDto, @CurrentCaller() caller: Caller) {
    return this.setUhidPrefix.execute(caller, body.prefix);
  }

  @Get('by-uhid/:uhid')
  @RequirePermissions('patients:read')
  @ApiOperation({ summary: 'The patient a UHID names (a merged record’s UHID gives the survivor)' })
  async byUhid(@Param('uhid') uhid: string, @CurrentCaller() caller: Caller, @Res({ passthrough: true }) res: Response) {
    const patient = await this.findPatientByUhid.execute(caller, uhid);
    res.setHeader('etag', etagOf(patient.version));
    return patient;
  }

  @Get(':id')
  @RequirePermissions('patients:read')
  @ApiOkResponse({ type: PatientRecordDto })
  async get(@Param('id', uuid) id: string, @CurrentCaller() caller: Caller, @Res({ passthrough: true }) res: Response) {
    const patient = await this.getPatient.execute(caller, id);
    res.setHeader('etag', etagOf(patient.version));
    return patient;
  }

  @Patch(':id')
  @RequirePermissions('patients:update')
  @ApiHeader({ name: 'If-Match', required: true, description: 'ETag of the version being changed' })
  @ApiOperation({
    summary: 'Change a patient (optimistic concurrency with If-Match)',
    description:
      'Leaving a field out keeps it; null clears an optional field and is a 400 for a required one. A deceased patient\'s record takes only the medico-legal fields (409 patient-deceased otherwise).',
  })
  @ApiOkResponse({ type: PatientRecordDto })
  @ApiBadRequestResponse({ description: 'A field breaks a rule, or a required field is null' })
  @ApiConflictResponse({ description: 'The record is merged away (patient-merged) or the patient is deceased (patient-deceased)' })
  @ApiForbiddenResponse({ description: 'Clearing the medico-legal flag needs patients:merge (patient-mlc-clear-forbidden)' })
  @ApiPreconditionFailedResponse({ description: 'Changed by someone else since the If-Match version' })
  async update(
    @Param('id', uuid) id: string,
    @Body() body: UpdatePatientDto,
    @Headers('if-match') ifMatch: string | undefined,
    @CurrentCaller() caller: Caller,
    @Res({ passthrough: true }) res: Response,
  ) {
    const patient = await this.updatePatient.execute(caller, id, versionFromIfMatch(ifMatch), body);
    res.setHeader('etag', etagOf(patient.version));
    return patient;
  }

  @Post(':id/death')
  @HttpCode(200)
  @RequirePermissions('patients:update')
  @ApiHeader({ name: 'If-Match', required: true, description: 'ETag of the version being changed' })
  @ApiOperation({
    summary: "Record the patient's death",
    description:
      'The record becomes deceased and inactive, with the date of death, when it was recorded (system time) and by whom. It then takes no changes but to the medico-legal case, until a records officer withdraws a death recorded in error.',
  })
  @ApiOkResponse({ type: PatientRecordDto })
  @ApiBadRequestResponse({ description: 'dateOfDeath is not a real date, is in the future or before the date of birth' })
  @ApiConflictResponse({ description: 'A death is recorded already (patient-deceased), or the record is merged away' })
  async recordDeath(
    @Param('id', uuid) id: string,
    @Body() body: RecordDeathDto,
    @Headers('if-match') ifMatch: string | undefined,
    @CurrentCaller() caller: Caller,
    @Res({ passthrough: true }) res: Response,
  ) {
    const patient = await this.recordDeathOf.execute(caller, id, versionFromIfMatch(ifMatch), body.dateOfDeath);
    res.setHeader('etag', etagOf(patient.version));
    return patient;
  }

  @Post(':id/death/withdrawal')
  @HttpCode(200)
  @RequirePermissions('patients:merge')
  @ApiHeader({ name: 'If-Match', required: true, description: 'ETag of the version being changed' })
  @ApiOperation({
    summary: 'Withdraw a death recorded in error (records officers)',
    description: 'The record becomes active again; the reason travels with the patients.patient.updated event to the audit trail.',
  })
  @ApiOkResponse({ type: PatientRecordDto })
  @ApiConflictResponse({ description: 'No death is recorded (patient-not-deceased), or the record is merged away' })
  async withdrawDeath(
    @Param('id', uuid) id: string,
    @Body() body: WithdrawDeathDto,
    @Headers('if-match') ifMatch: string | undefined,
    @CurrentCaller() caller: Caller,
    @Res({ passthrough: true }) res: Response,
  ) {
    const patient = await this.withdrawDeathOf.execute(caller, id, versionFromIfMatch(ifMatch), body.reason);
    res.setHeader('etag', etagOf(patient.version));
    return patient;
  }

  @Post(':id/merge')
  @HttpCode(200)
  @RequirePermissions('patients:merge')
  @ApiOperation({
    summary: 'Merge another record into this one (this one survives)',
    description: 'The survivor takes the identifiers it lacks; if either record is a medico-legal case or records a death, the survivor does.',
  })
  @ApiOkResponse({ type: PatientRecordDto })
  async merge(@Param('id', uuid) id: string, @Body() body: MergePatientDto, @CurrentCaller() caller: Caller, @Res({ passthrough: true }) res: Response) {
    const patient = await this.mergePatients.execute(caller, id, body.mergedPatientId.toLowerCase());
    res.setHeader('etag', etagOf(patient.version));
    return patient;
  }
}
