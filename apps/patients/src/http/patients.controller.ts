import { Body, Controller, Get, Headers, HttpCode, Param, ParseUUIDPipe, Patch, Post, Put, Query, Res, UseInterceptors } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentCaller, RequirePermissions, type Caller } from '@hms/platform-auth';
import { ApiProblems, etagOf, PageOf, versionFromIfMatch } from '@hms/platform-http';
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
  PatientUhidSettingsResponse,
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
  @ApiProblems({
    400: 'A field breaks a rule (each field listed), or the Idempotency-Key is malformed',
    409: 'Likely duplicates (patient-duplicate-suspected, candidates listed; repeat with confirmedNotDuplicate to register anyway), or the ABHA number is registered already (patient-abha-registered)',
    422: 'The Idempotency-Key was used for a different request (idempotency-key-reused)',
  })
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
  @ApiOkResponse({ type: PageOf(PatientRecordDto), description: 'A page of matching records; ABHA numbers are masked but for their last 4 digits' })
  @ApiProblems({ 400: 'q is not 2 to 100 characters, or the paging is invalid' })
  search(@CurrentCaller() caller: Caller, @Query() query: SearchPatientsQueryDto) {
    return this.searchPatients.execute(caller, query.q, { limit: query.limit, offset: query.offset });
  }

  @Get('settings/uhid')
  @RequirePermissions('patients:read')
  @ApiOperation({ summary: "The branch's UHID prefix and next number" })
  @ApiOkResponse({ type: PatientUhidSettingsResponse })
  @ApiProblems({})
  uhidSettings(@CurrentCaller() caller: Caller) {
    return this.getUhidSettings.execute(caller);
  }

  @Put('settings/uhid')
  @RequirePermissions('patients:configure')
  @ApiOperation({ summary: "Set the branch's UHID prefix (before its first registration only)" })
  @ApiOkResponse({ type: PatientUhidSettingsResponse })
  @ApiProblems({ 400: 'The prefix is not 2–8 capital letters or digits starting with a letter', 409: 'UHIDs were issued with the current prefix already (uhid-series-in-use), or another branch uses the prefix (uhid-prefix-taken)' })
  setUhid(@Body() body: UhidSettingsDto, @CurrentCaller() caller: Caller) {
    return this.setUhidPrefix.execute(caller, body.prefix);
  }

  @Get('by-uhid/:uhid')
  @RequirePermissions('patients:read')
  @ApiOperation({ summary: 'The patient a UHID names (a merged record’s UHID gives the survivor)' })
  @ApiOkResponse({ type: PatientRecordDto, description: 'The record; its version is the ETag' })
  @ApiProblems({ 404: 'No patient of this branch has that UHID (patient-not-found)' })
  async byUhid(@Param('uhid') uhid: string, @CurrentCaller() caller: Caller, @Res({ passthrough: true }) res: Response) {
    const patient = await this.findPatientByUhid.execute(caller, uhid);
    res.setHeader('etag', etagOf(patient.version));
    return patient;
  }

  @Get(':id')
  @RequirePermissions('patients:read')
  @ApiOkResponse({ type: PatientRecordDto, description: 'The record; its version is the ETag' })
  @ApiProblems({ 400: 'The id is not a UUID', 404: 'No such patient in this branch (patient-not-found)' })
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
  @ApiProblems({
    400: 'A field breaks a rule, a required field is null, nothing is changed, or If-Match is not an ETag this API issued',
    403: 'The caller lacks patients:update in this branch, or clears the medico-legal flag without patients:merge (patient-mlc-clear-forbidden)',
    404: 'No such patient in this branch (patient-not-found)',
    409: 'The record is merged away (patient-merged), the patient is deceased (patient-deceased), or the new ABHA number belongs to another patient (patient-abha-registered)',
    412: 'Changed by someone else since the If-Match version (version-mismatch)',
    428: 'If-Match is missing (if-match-required)',
  })
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
  @ApiProblems({
    400: 'dateOfDeath is not a real date, is in the future or before the date of birth, or If-Match is not an ETag this API issued',
    404: 'No such patient in this branch (patient-not-found)',
    409: 'A death is recorded already (patient-deceased), or the record is merged away (patient-merged)',
    412: 'Changed by someone else since the If-Match version (version-mismatch)',
    428: 'If-Match is missing (if-match-required)',
  })
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
  @ApiProblems({
    400: 'The reason is blank or too long, or If-Match is not an ETag this API issued',
    404: 'No such patient in this branch (patient-not-found)',
    409: 'No death is recorded (patient-not-deceased), or the record is merged away (patient-merged)',
    412: 'Changed by someone else since the If-Match version (version-mismatch)',
    428: 'If-Match is missing (if-match-required)',
  })
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
  @ApiOkResponse({ type: PatientRecordDto, description: 'The surviving record' })
  @ApiProblems({
    400: 'The id or mergedPatientId is not a patient id, or a record is merged into itself',
    404: 'No such surviving patient, or patient to merge, in this branch (patient-not-found)',
    409: 'Either record is merged away already (patient-merged)',
  })
  async merge(@Param('id', uuid) id: string, @Body() body: MergePatientDto, @CurrentCaller() caller: Caller, @Res({ passthrough: true }) res: Response) {
    const patient = await this.mergePatients.execute(caller, id, body.mergedPatientId.toLowerCase());
    res.setHeader('etag', etagOf(patient.version));
    return patient;
  }
}
