import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query, UseInterceptors } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentCaller, RequirePermissions, type Caller } from '@hms/platform-auth';
import { IdempotencyInterceptor } from '@hms/platform-service';
import { DispenseUseCase } from '../dispensing/dispense.use-case';
import { GetDispenseUseCase } from '../dispensing/get-dispense.use-case';
import { ListDispensesUseCase } from '../dispensing/list-dispenses.use-case';
import { ApiProblems } from './api-problems';
import { DispenseDto, ListDispensesQuery, PharmacyDispense, PharmacyDispensePage } from './dispensing.dto';

const uuid = new ParseUUIDPipe();

@ApiTags('pharmacy: dispensing')
@ApiBearerAuth()
@Controller('api/v1/pharmacy')
export class DispensingController {
  constructor(
    private readonly dispenseUseCase: DispenseUseCase,
    private readonly listDispensesUseCase: ListDispensesUseCase,
    private readonly getDispenseUseCase: GetDispenseUseCase,
  ) {}

  @Post('dispenses')
  @RequirePermissions('pharmacy:dispense')
  @UseInterceptors(IdempotencyInterceptor)
  @ApiOperation({ summary: 'Dispense against a prescription or sell over the counter: FEFO, schedule rules, H1 register; a named patient and admission must be known, open and belong together' })
  @ApiProblems({
    400: 'A field is invalid',
    404: 'No such store or item',
    409: 'Not enough usable stock',
    422: 'Schedule rules; a blank patientName; an unknown, merged or mismatched patient or admission (patient-unknown, patient-merged, admission-unknown, admission-discharged, admission-of-another-patient); a deactivated store or item',
  })
  dispense(@Body() body: DispenseDto, @CurrentCaller() caller: Caller) {
    return this.dispenseUseCase.execute(caller, body);
  }

  @Get('dispenses')
  @RequirePermissions('pharmacy:read')
  @ApiOperation({ summary: 'Dispenses to a patient (records merged into theirs included) or against an admission, newest first' })
  @ApiOkResponse({ type: PharmacyDispensePage })
  @ApiProblems({ 400: 'Neither patientId nor admissionId, a malformed id, or bad paging', 403: 'Lacks pharmacy:read' })
  dispenses(@CurrentCaller() caller: Caller, @Query() query: ListDispensesQuery) {
    return this.listDispensesUseCase.execute(caller, { patientId: query.patientId, admissionId: query.admissionId }, query);
  }

  @Get('dispenses/:id')
  @RequirePermissions('pharmacy:read')
  @ApiOperation({ summary: 'One dispense: patient, admission, prescription and the batches supplied' })
  @ApiOkResponse({ type: PharmacyDispense })
  @ApiProblems({ 400: 'A malformed id', 403: 'Lacks pharmacy:read', 404: 'No such dispense in this branch (dispense-not-found)' })
  dispenseById(@Param('id', uuid) id: string, @CurrentCaller() caller: Caller) {
    return this.getDispenseUseCase.execute(caller, id.toLowerCase());
  }
}
