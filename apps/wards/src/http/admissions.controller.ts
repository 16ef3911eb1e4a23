import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query, UseInterceptors } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentCaller, RequirePermissions, type Caller } from '@hms/platform-auth';
import { ApiProblems, PageOf } from '@hms/platform-http';
import { IdempotencyInterceptor } from '@hms/platform-service';
import { AdmitPatientUseCase } from '../admissions/admit-patient.use-case';
import { DischargePatientUseCase } from '../admissions/discharge-patient.use-case';
import { GetAdmissionUseCase } from '../admissions/get-admission.use-case';
import { ListAdmissionsUseCase } from '../admissions/list-admissions.use-case';
import { TransferPatientUseCase } from '../admissions/transfer-patient.use-case';
import { AdmitDto, BedTransferDto, DischargeDto, ListAdmissionsQueryDto, WardAdmission, WardAdmissionWithWarnings } from './admissions.dto';

const uuid = new ParseUUIDPipe();

@ApiTags('wards: admissions')
@ApiBearerAuth()
@Controller('api/v1/wards/admissions')
export class AdmissionsController {
  constructor(
    private readonly admitPatient: AdmitPatientUseCase,
    private readonly listAdmissions: ListAdmissionsUseCase,
    private readonly getAdmission: GetAdmissionUseCase,
    private readonly transferPatient: TransferPatientUseCase,
    private readonly dischargePatient: DischargePatientUseCase,
  ) {}

  @Post()
  @RequirePermissions('wards:admit')
  @UseInterceptors(IdempotencyInterceptor)
  @ApiOperation({
    summary:
      'Admit a registered patient to a bed; issues the IP number. A retired bed is 409 bed-retired; a ward whose gender policy the patient does not fit is 422 ward-gender-policy unless genderPolicyOverride gives a reason',
  })
  @ApiCreatedResponse({ type: WardAdmissionWithWarnings, description: 'Admitted: the admission with its IP number, and warnings for the desk' })
  @ApiProblems({
    400: 'A field is invalid, or the Idempotency-Key is malformed',
    404: 'No such bed in this branch (bed-not-found)',
    409: 'The bed is retired (bed-retired), occupied, reserved for another patient or not available, or the patient is admitted already (patient-already-admitted), or the admission took another bed meanwhile (admission-has-bed)',
    422: 'The patient is unknown (patient-unknown) or merged away (patient-merged), does not fit the ward’s gender policy (ward-gender-policy), or the Idempotency-Key was used for another request',
  })
  admit(@Body() body: AdmitDto, @CurrentCaller() caller: Caller) {
    return this.admitPatient.execute(caller, body);
  }

  @Get()
  @RequirePermissions('wards:read')
  @ApiOkResponse({ type: PageOf(WardAdmission) })
  @ApiProblems({ 400: 'A parameter is invalid: status, patientId, wardId, paging' })
  list(@CurrentCaller() caller: Caller, @Query() query: ListAdmissionsQueryDto) {
    const { status, patientId, wardId, limit, offset } = query;
    return this.listAdmissions.execute(caller, { status, patientId, wardId }, { limit, offset });
  }

  @Get(':id')
  @RequirePermissions('wards:read')
  @ApiOkResponse({ type: WardAdmission })
  @ApiProblems({ 400: 'The id is not a UUID', 404: 'No such admission in this branch (admission-not-found)' })
  get(@Param('id', uuid) id: string, @CurrentCaller() caller: Caller) {
    return this.getAdmission.execute(caller, id);
  }

  @Post(':id/transfer')
  @HttpCode(200)
  @RequirePermissions('wards:transfer')
  @ApiOperation({
    summary:
      'Move the patient to another bed or ward in one step; the old bed goes to cleaning. Into another ward whose gender policy the patient does not fit: 422 ward-gender-policy unless genderPolicyOverride gives a reason',
  })
  @ApiOkResponse({ type: WardAdmissionWithWarnings, description: 'The admission in its new bed, and warnings for the desk' })
  @ApiProblems({
    400: 'A field is invalid, or the patient is already in that bed',
    404: 'No such admission (admission-not-found), or no such bed in service (bed-not-found)',
    409: 'The admission is discharged (admission-closed), the patient was moved meanwhile (admission-moved, admission-has-bed), or the bed is occupied, reserved or not available',
    422: 'The patient does not fit the gender policy of the ward moved into (ward-gender-policy)',
  })
  transfer(@Param('id', uuid) id: string, @Body() body: BedTransferDto, @CurrentCaller() caller: Caller) {
    return this.transferPatient.execute(caller, id, body);
  }

  @Post(':id/discharge')
  @HttpCode(200)
  @RequirePermissions('wards:discharge')
  @ApiOperation({ summary: 'Discharge: an uncleared bill warns and records dues but never blocks (REC-05)' })
  @ApiOkResponse({ type: WardAdmissionWithWarnings, description: 'The discharged admission; a billing-not-cleared warning when the bill is not cleared' })
  @ApiProblems({ 400: 'A field is invalid, or the id is not a UUID', 404: 'No such admission (admission-not-found)', 409: 'The admission is discharged already (admission-closed)' })
  discharge(@Param('id', uuid) id: string, @Body() body: DischargeDto, @CurrentCaller() caller: Caller) {
    return this.dischargePatient.execute(caller, id, body);
  }
}
