import { Body, Controller, Post, UseInterceptors } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentCaller, RequirePermissions, type Caller } from '@hms/platform-auth';
import { ApiProblems } from '@hms/platform-http';
import { IdempotencyInterceptor } from '@hms/platform-service';
import { AdjustStockUseCase } from '../adjustments/adjust-stock.use-case';
import { TakeStockUseCase } from '../adjustments/take-stock.use-case';
import { WriteOffExpiredUseCase } from '../adjustments/write-off-expired.use-case';
import { AdjustmentDto, ExpiryWriteOffDto, PharmacyExpiryWriteOff, PharmacyStockAdjustment, PharmacyStockTake, StockTakeDto } from './adjustments.dto';

const IDEMPOTENCY_REUSED = 'The Idempotency-Key was used for a different request (idempotency-key-reused)';

@ApiTags('pharmacy: adjustments')
@ApiBearerAuth()
@Controller('api/v1/pharmacy')
export class AdjustmentsController {
  constructor(
    private readonly adjustStockUseCase: AdjustStockUseCase,
    private readonly writeOffExpiredUseCase: WriteOffExpiredUseCase,
    private readonly takeStockUseCase: TakeStockUseCase,
  ) {}

  @Post('adjustments')
  @RequirePermissions('pharmacy:adjust')
  @UseInterceptors(IdempotencyInterceptor)
  @ApiOperation({ summary: 'Correct stock per batch with a reason (signed quantities; never below zero)' })
  @ApiCreatedResponse({ type: PharmacyStockAdjustment })
  @ApiProblems({
    400: 'A field is invalid, a batch named twice or naming no batch, or a malformed Idempotency-Key',
    404: 'No such store (store-not-found)',
    409: 'Stock would go below zero (insufficient-stock) or past the largest balance (quantity-too-large)',
    422: `A deactivated store (store-inactive); or: ${IDEMPOTENCY_REUSED}`,
  })
  adjust(@Body() body: AdjustmentDto, @CurrentCaller() caller: Caller) {
    return this.adjustStockUseCase.execute(caller, body);
  }

  @Post('expiry-write-offs')
  @RequirePermissions('pharmacy:adjust')
  @UseInterceptors(IdempotencyInterceptor)
  @ApiOperation({ summary: 'Write off the on-hand of every expired batch in a store (id null when there was none)' })
  @ApiCreatedResponse({ type: PharmacyExpiryWriteOff })
  @ApiProblems({
    400: 'A field is invalid, or a malformed Idempotency-Key',
    404: 'No such store (store-not-found)',
    422: `A deactivated store (store-inactive); or: ${IDEMPOTENCY_REUSED}`,
  })
  writeOff(@Body() body: ExpiryWriteOffDto, @CurrentCaller() caller: Caller) {
    return this.writeOffExpiredUseCase.execute(caller, body);
  }

  @Post('stock-takes')
  @RequirePermissions('pharmacy:adjust')
  @UseInterceptors(IdempotencyInterceptor)
  @ApiOperation({ summary: 'Record counted quantities per batch; differences from on hand become stock-take ledger rows' })
  @ApiCreatedResponse({ type: PharmacyStockTake })
  @ApiProblems({
    400: 'A field is invalid, a batch counted twice or naming no batch, or a malformed Idempotency-Key',
    404: 'No such store (store-not-found)',
    422: `A deactivated store (store-inactive); or: ${IDEMPOTENCY_REUSED}`,
  })
  stockTake(@Body() body: StockTakeDto, @CurrentCaller() caller: Caller) {
    return this.takeStockUseCase.execute(caller, body);
  }
}
