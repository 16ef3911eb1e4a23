import { Body, Controller, Get, Post, Query, UseInterceptors } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentCaller, RequirePermissions, type Caller } from '@hms/platform-auth';
import { ApiProblems, PageOf } from '@hms/platform-http';
import { IdempotencyInterceptor } from '@hms/platform-service';
import { ListGoodsReceiptsUseCase } from '../receipts/list-goods-receipts.use-case';
import { ReceiveGoodsUseCase } from '../receipts/receive-goods.use-case';
import { GoodsReceiptDto, ListGoodsReceiptsQuery, PharmacyGoodsReceipt, PharmacyReceivedGoods } from './receipts.dto';

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
  @ApiCreatedResponse({ type: PharmacyReceivedGoods })
  @ApiProblems({
    400: 'A field is invalid, an invoice date in the future, an expired batch, an MRP below the purchase rate, a batch named twice, an item that does not exist, or a malformed Idempotency-Key',
    404: 'No such store (store-not-found) or supplier (supplier-not-found)',
    409: 'The supplier’s invoice was received already (invoice-received), a batch comes with another expiry than before (batch-expiry-mismatch), or a balance would pass the largest one (quantity-too-large)',
    422: 'A deactivated store, supplier or item (store-inactive, supplier-inactive, item-inactive), a batch short of the store’s minimum shelf life (shelf-life-too-short), or an Idempotency-Key used for a different request (idempotency-key-reused)',
  })
  receive(@Body() body: GoodsReceiptDto, @CurrentCaller() caller: Caller) {
    return this.receiveGoodsUseCase.execute(caller, body);
  }

  @Get('goods-receipts')
  @RequirePermissions('pharmacy:read')
  @ApiOperation({ summary: 'Goods receipts, newest first, with their batches; by store, supplier, and the days received (India, both inclusive)' })
  @ApiOkResponse({ type: PageOf(PharmacyGoodsReceipt) })
  @ApiProblems({ 400: 'A parameter is invalid: an id, a date that is not real, from after to, paging' })
  goodsReceipts(@CurrentCaller() caller: Caller, @Query() query: ListGoodsReceiptsQuery) {
    return this.listGoodsReceiptsUseCase.execute(caller, { storeId: query.storeId, supplierId: query.supplierId, from: query.from, to: query.to }, query);
  }
}
