import { Body, Controller, Post, UseInterceptors } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentCaller, RequirePermissions, type Caller } from '@hms/platform-auth';
import { IdempotencyInterceptor } from '@hms/platform-service';
import { AdjustStockUseCase } from '../adjustments/adjust-stock.use-case';
import { TakeStockUseCase } from '../adjustments/take-stock.use-case';
import { WriteOffExpiredUseCase } from '../adjustments/write-off-expired.use-case';
import { AdjustmentDto, ExpiryWriteOffDto, StockTakeDto } from './adjustments.dto';

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
  adjust(@Body() body: AdjustmentDto, @CurrentCaller() caller: Caller) {
    return this.adjustStockUseCase.execute(caller, body);
  }

  @Post('expiry-write-offs')
  @RequirePermissions('pharmacy:adjust')
  @UseInterceptors(IdempotencyInterceptor)
  @ApiOperation({ summary: 'Write off the on-hand of every expired batch in a store (id null when there was none)' })
  writeOff(@Body() body: ExpiryWriteOffDto, @CurrentCaller() caller: Caller) {
    return this.writeOffExpiredUseCase.execute(caller, body);
  }

  @Post('stock-takes')
  @RequirePermissions('pharmacy:adjust')
  @UseInterceptors(IdempotencyInterceptor)
  @ApiOperation({ summary: 'Record counted quantities per batch; differences from on hand become stock-take ledger rows' })
  stockTake(@Body() body: StockTakeDto, @CurrentCaller() caller: Caller) {
    return this.takeStockUseCase.execute(caller, body);
  }
}
