import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentCaller, RequirePermissions, type Caller } from '@hms/platform-auth';
import { ApiProblems, PageOf } from '@hms/platform-http';
import { ListStockOnHandUseCase } from '../stock/list-stock-on-hand.use-case';
import { PharmacyStockOnHand, StockOnHandQuery } from './stock.dto';

@ApiTags('pharmacy: stock')
@ApiBearerAuth()
@Controller('api/v1/pharmacy')
export class StockController {
  constructor(private readonly listStockOnHandUseCase: ListStockOnHandUseCase) {}

  @Get('stock')
  @RequirePermissions('pharmacy:read')
  @ApiOperation({ summary: 'On hand per store and batch (expired: the expiry date has passed; a batch is usable through it)' })
  @ApiOkResponse({ type: PageOf(PharmacyStockOnHand) })
  @ApiProblems({ 400: 'A parameter is invalid: storeId, itemId, paging' })
  onHand(@CurrentCaller() caller: Caller, @Query() query: StockOnHandQuery) {
    return this.listStockOnHandUseCase.execute(caller, { storeId: query.storeId, itemId: query.itemId }, query);
  }
}
