import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query, UseInterceptors } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentCaller, RequirePermissions, type Caller } from '@hms/platform-auth';
import { IdempotencyInterceptor } from '@hms/platform-service';
import { AdmitPatientUseCase } from '../admissions/admit-patient.use-case';
import { DischargePatientUseCase } from '../admissions/discharge-patient.use-case';
import { GetAdmissionUseCase } from '../admissions/get-admission.use-case';
import { ListAdmissionsUseCase } from '../admissions/list-admissions.use-case';
import { TransferPatientUseCase } from '../admissions/transfer-patient.use-case';
import { AdmitDto, BedTransferDto, DischargeDto, ListAdmissionsQueryDto } from './admissions.dto';
import { ApiWardsProblems } from './problems.dto';

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
  @ApiWardsProblems(400, 401, 403, 404, 409, 422)
  admit(@Body() body: AdmitDto, @CurrentCaller() caller: Caller) {
    return this.admitPatient.execute(caller, body);
  }

  @Get()
  @RequirePermissions('wards:read')
  list(@CurrentCaller() caller: Caller, @Query() query: ListAdmissionsQueryDto) {
    const { status, patientId, wardId, limit, offset } = query;
    return this.listAdmissions.execute(caller, { status, patientId, wardId }, { limit, offset });
  }

  @Get(':id')
  @RequirePermissions('wards:read')
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
  @ApiWardsProblems(400, 401, 403, 404, 409, 422)
  transfer(@Param('id', uuid) id: string, @Body() body: BedTransferDto, @CurrentCaller() caller: Caller) {
    return this.transferPatient.execute(caller, id, body);
  }

  @Post(':id/discharge')
  @HttpCode(200)
  @RequirePermissions('wards:discharge')
  @ApiOperation({ summary: 'Discharge: an uncleared bill warns and records dues but never blocks (REC-05)' })
  discharge(@Param('id', uuid) id: string, @Body() body: DischargeDto, @CurrentCaller() caller: Caller) {
    return this.dischargePatient.execute(caller, id, body);
  }
}
