import { Body, Controller, Param, ParseUUIDPipe, Post, UseInterceptors } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentCaller, RequirePermissions, type Caller } from '@hms/platform-auth';
import { IdempotencyInterceptor } from '@hms/platform-service';
import { RecordPatientReturnUseCase } from '../returns/record-patient-return.use-case';
import { ReturnToSupplierUseCase } from '../returns/return-to-supplier.use-case';
import { ReturnDto, SupplierReturnDto } from './returns.dto';

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
  patientReturn(@Param('id', uuid) id: string, @Body() body: ReturnDto, @CurrentCaller() caller: Caller) {
    return this.recordPatientReturnUseCase.execute(caller, id, body);
  }

  @Post('supplier-returns')
  @RequirePermissions('pharmacy:receive')
  @UseInterceptors(IdempotencyInterceptor)
  @ApiOperation({ summary: 'Return batches to the supplier they were received from (expired ones too)' })
  supplierReturn(@Body() body: SupplierReturnDto, @CurrentCaller() caller: Caller) {
    return this.returnToSupplierUseCase.execute(caller, body);
  }
}
