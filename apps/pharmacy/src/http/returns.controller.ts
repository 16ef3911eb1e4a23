import { Body, Controller, Param, ParseUUIDPipe, Post, UseInterceptors } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentCaller, RequirePermissions, type Caller } from '@hms/platform-auth';
import { ApiProblems } from '@hms/platform-http';
import { IdempotencyInterceptor } from '@hms/platform-service';
import { RecordPatientReturnUseCase } from '../returns/record-patient-return.use-case';
import { ReturnToSupplierUseCase } from '../returns/return-to-supplier.use-case';
import { PharmacyPatientReturn, PharmacySupplierReturn, ReturnDto, SupplierReturnDto } from './returns.dto';

const uuid = new ParseUUIDPipe();

@ApiTags('pharmacy: returns')
@ApiBearerAuth()
@Controller('api/v1/pharmacy')
export class ReturnsController {
  constructor(
    private readonly recordPatientReturnUseCase: RecordPatientReturnUseCase,
    private readonly returnToSupplierUseCase: ReturnToSupplierUseCase,
  ) {}

  @Post('dispenses/:id/returns')
  @RequirePermissions('pharmacy:dispense')
  @UseInterceptors(IdempotencyInterceptor)
  @ApiOperation({ summary: 'A patient returns dispensed stock (at most what was dispensed less what came back); it goes back into the store' })
  @ApiCreatedResponse({ type: PharmacyPatientReturn })
  @ApiProblems({
    400: 'A malformed id, a field that is invalid, a batch named twice, or a malformed Idempotency-Key',
    404: 'No such dispense in this branch (dispense-not-found)',
    409: 'More than was dispensed less what came back already (return-exceeds-dispensed), or a balance that would pass the largest one (quantity-too-large)',
    422: 'A batch not supplied in this dispense (batch-not-dispensed), the store it was dispensed from is deactivated (store-inactive), or an Idempotency-Key used for a different request (idempotency-key-reused)',
  })
  patientReturn(@Param('id', uuid) id: string, @Body() body: ReturnDto, @CurrentCaller() caller: Caller) {
    return this.recordPatientReturnUseCase.execute(caller, id, body);
  }

  @Post('supplier-returns')
  @RequirePermissions('pharmacy:receive')
  @UseInterceptors(IdempotencyInterceptor)
  @ApiOperation({ summary: 'Return batches to the supplier they were received from (expired ones too)' })
  @ApiCreatedResponse({ type: PharmacySupplierReturn })
  @ApiProblems({
    400: 'A field is invalid, a batch named twice or naming no batch, or a malformed Idempotency-Key',
    404: 'No such store (store-not-found) or supplier (supplier-not-found)',
    409: 'More than the store has of a batch (insufficient-stock)',
    422: 'A batch never received from that supplier (batch-not-from-supplier), a deactivated store (store-inactive), or an Idempotency-Key used for a different request (idempotency-key-reused)',
  })
  supplierReturn(@Body() body: SupplierReturnDto, @CurrentCaller() caller: Caller) {
    return this.returnToSupplierUseCase.execute(caller, body);
  }
}
