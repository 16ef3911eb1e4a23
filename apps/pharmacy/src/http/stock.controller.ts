import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentCaller, RequirePermissions, type Caller } from '@hms/platform-auth';
import { ListStockOnHandUseCase } from '../stock/list-stock-on-hand.use-case';
import { StockOnHandQuery } from './stock.dto';

@ApiTags('pharmacy: stock')
@ApiBearerAuth()
@Controller('api/v1/pharmacy')
export class StockController {
  constructor(private readonly listStockOnHandUseCase: ListStockOnHandUseCase) {}

  @Get('stock')
  @RequirePermissions('pharmacy:read')
  @ApiOperation({ summary: 'On hand per store and batch (expired: the expiry date has passed; a batch is usable through it)' })
  onHand(@CurrentCaller() caller: Caller, @Query() query: StockOnHandQuery) {
    return this.listStockOnHandUseCase.execute(caller, { storeId: query.storeId, itemId: query.itemId }, query);
  }
}
