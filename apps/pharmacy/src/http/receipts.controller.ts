import { Body, Controller, Get, Post, Query, UseInterceptors } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentCaller, RequirePermissions, type Caller } from '@hms/platform-auth';
import { IdempotencyInterceptor } from '@hms/platform-service';
import { ListGoodsReceiptsUseCase } from '../receipts/list-goods-receipts.use-case';
import { ReceiveGoodsUseCase } from '../receipts/receive-goods.use-case';
import { ApiProblems } from './api-problems';
import { GoodsReceiptDto, ListGoodsReceiptsQuery, PharmacyGoodsReceiptPage } from './receipts.dto';

@ApiTags('pharmacy: stock')
@ApiBearerAuth()
@Controller('api/v1/pharmacy')
export class ReceiptsController {
  constructor(
    private readonly receiveGoodsUseCase: ReceiveGoodsUseCase,
    private readonly listGoodsReceiptsUseCase: ListGoodsReceiptsUseCase,
  ) {}

  @Post('goods-receipts')
  @RequirePermissions('pharmacy:receive')
  @UseInterceptors(IdempotencyInterceptor)
  @ApiOperation({
    summary:
      'Receive goods from a supplier into a store. Expiry is a date, or the month as printed (MM/YYYY or YYYY-MM: the last day of that month); a batch is usable through its expiry date, so an expired one is refused, and one that leaves less than the store’s minimum shelf life is refused naming the line',
  })
  @ApiProblems({
    400: 'A field is invalid, an invoice date in the future, an expired batch, an item that does not exist',
    404: 'No such store or supplier',
    409: 'The supplier’s invoice was received already, or a batch comes with another expiry than before',
    422: 'A deactivated store, supplier or item (store-inactive, supplier-inactive, item-inactive), or a batch short of the store’s minimum shelf life (shelf-life-too-short)',
  })
  receive(@Body() body: GoodsReceiptDto, @CurrentCaller() caller: Caller) {
    return this.receiveGoodsUseCase.execute(caller, body);
  }

  @Get('goods-receipts')
  @RequirePermissions('pharmacy:read')
  @ApiOperation({ summary: 'Goods receipts, newest first, with their batches; by store, supplier, and the days received (India, both inclusive)' })
  @ApiOkResponse({ type: PharmacyGoodsReceiptPage })
  @ApiProblems({ 400: 'A parameter is invalid: an id, a date that is not real, from after to, paging', 403: 'Lacks pharmacy:read' })
  goodsReceipts(@CurrentCaller() caller: Caller, @Query() query: ListGoodsReceiptsQuery) {
    return this.listGoodsReceiptsUseCase.execute(caller, { storeId: query.storeId, supplierId: query.supplierId, from: query.from, to: query.to }, query);
  }
}
