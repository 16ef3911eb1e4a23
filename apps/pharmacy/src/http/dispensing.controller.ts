import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query, UseInterceptors } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentCaller, RequirePermissions, type Caller } from '@hms/platform-auth';
import { ApiProblems, PageOf } from '@hms/platform-http';
import { IdempotencyInterceptor } from '@hms/platform-service';
import { DispenseUseCase } from '../dispensing/dispense.use-case';
import { GetDispenseUseCase } from '../dispensing/get-dispense.use-case';
import { ListDispensesUseCase } from '../dispensing/list-dispenses.use-case';
import { DispenseDto, ListDispensesQuery, PharmacyDispense, PharmacyDispensed } from './dispensing.dto';

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
  @ApiCreatedResponse({ type: PharmacyDispensed })
  @ApiProblems({
    400: 'A field is invalid, an item named twice, an in-patient supply without patient and admission, an admission without its patient, or a malformed Idempotency-Key',
    404: 'No such store (store-not-found) or item (item-not-found)',
    409: 'Not enough usable stock (insufficient-stock), or a balance that would pass the largest one (quantity-too-large)',
    422: 'Schedule rules (prescription-required, h1-register-incomplete); a blank patientName (patient-name-blank); an unknown, merged or mismatched patient or admission (patient-unknown, patient-merged, admission-unknown, admission-discharged, admission-of-another-patient); a deactivated store or item (store-inactive, item-inactive); an item without a GST rate in force today (gst-rate-missing); an Idempotency-Key used for a different request (idempotency-key-reused)',
  })
  dispense(@Body() body: DispenseDto, @CurrentCaller() caller: Caller) {
    return this.dispenseUseCase.execute(caller, body);
  }

  @Get('dispenses')
  @RequirePermissions('pharmacy:read')
  @ApiOperation({ summary: 'Dispenses to a patient (records merged into theirs included) or against an admission, newest first' })
  @ApiOkResponse({ type: PageOf(PharmacyDispense) })
  @ApiProblems({ 400: 'Neither patientId nor admissionId, a malformed id, or bad paging' })
  dispenses(@CurrentCaller() caller: Caller, @Query() query: ListDispensesQuery) {
    return this.listDispensesUseCase.execute(caller, { patientId: query.patientId, admissionId: query.admissionId }, query);
  }

  @Get('dispenses/:id')
  @RequirePermissions('pharmacy:read')
  @ApiOperation({ summary: 'One dispense: patient, admission, prescription and the batches supplied' })
  @ApiOkResponse({ type: PharmacyDispense })
  @ApiProblems({ 400: 'A malformed id', 404: 'No such dispense in this branch (dispense-not-found)' })
  dispenseById(@Param('id', uuid) id: string, @CurrentCaller() caller: Caller) {
    return this.getDispenseUseCase.execute(caller, id.toLowerCase());
  }
}
