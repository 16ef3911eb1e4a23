import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query, UseInterceptors } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { CurrentCaller, RequirePermissions, type Caller } from '@hms/platform-auth';
import { pageRequest, ApiPaging } from '@hms/platform-http';
import { IdempotencyInterceptor } from '@hms/platform-service';
import { AdjustmentsService } from './adjustments/adjustments.service';
import { nearExpiryDays } from './domain';
import { invalidParameter, optionalDate, optionalId, optionalOneOf } from './query-params';
import { StockReportsService } from './reports/stock-reports.service';
import { ReturnsService } from './returns/returns.service';
import { AdjustmentDto, ExpiryWriteOffDto, ReturnDto, StockTakeDto, SupplierReturnDto, StockTransferDto } from './stock-operations.dto';
import { TransfersService } from './transfers/transfers.service';

const uuid = new ParseUUIDPipe();

@ApiTags('pharmacy: transfers')
@ApiBearerAuth()
@Controller('api/v1/pharmacy')
export class TransfersController {
  constructor(private readonly transfers: TransfersService) {}

  @Post('transfers')
  @RequirePermissions('pharmacy:transfer')
  @UseInterceptors(IdempotencyInterceptor)
  @ApiOperation({ summary: 'Send stock to another store of the branch (FEFO unless a batch is named); with receive: true it is received at once, else it is in transit' })
  transfer(@Body() body: StockTransferDto, @CurrentCaller() caller: Caller) {
    return this.transfers.transfer(caller, body);
  }

  @Post('transfers/:id/receive')
  @HttpCode(200)
  @RequirePermissions('pharmacy:transfer')
  @UseInterceptors(IdempotencyInterceptor)
  @ApiOperation({ summary: 'Receive an in-transit transfer into its store (once; a second receipt is 409)' })
  receive(@Param('id', uuid) id: string, @CurrentCaller() caller: Caller) {
    return this.transfers.receive(caller, id);
  }

  @Get('transfers')
  @RequirePermissions('pharmacy:read')
  @ApiQuery({ name: 'status', required: false, enum: ['in-transit', 'received'] })
  @ApiQuery({ name: 'storeId', required: false, description: 'Sent from or to this store' })
  @ApiPaging()
  list(@CurrentCaller() caller: Caller, @Query('status') status?: string, @Query('storeId') storeId?: string, @Query('limit') limit?: string, @Query('offset') offset?: string) {
    const page = pageRequest(limit, offset);
    return this.transfers.list(caller, { status: optionalOneOf(status, 'status', ['in-transit', 'received'] as const), storeId: optionalId(storeId, 'storeId') }, page);
  }

  @Get('transfers/:id')
  @RequirePermissions('pharmacy:read')
  get(@Param('id', uuid) id: string, @CurrentCaller() caller: Caller) {
    return this.transfers.get(caller, id);
  }
}

@ApiTags('pharmacy: adjustments')
@ApiBearerAuth()
@Controller('api/v1/pharmacy')
export class AdjustmentsController {
  constructor(private readonly adjustments: AdjustmentsService) {}

  @Post('adjustments')
  @RequirePermissions('pharmacy:adjust')
  @UseInterceptors(IdempotencyInterceptor)
  @ApiOperation({ summary: 'Correct stock per batch with a reason (signed quantities; never below zero)' })
  adjust(@Body() body: AdjustmentDto, @CurrentCaller() caller: Caller) {
    return this.adjustments.adjust(caller, body);
  }

  @Post('expiry-write-offs')
  @RequirePermissions('pharmacy:adjust')
  @UseInterceptors(IdempotencyInterceptor)
  @ApiOperation({ summary: 'Write off the on-hand of every expired batch in a store (id null when there was none)' })
  writeOff(@Body() body: ExpiryWriteOffDto, @CurrentCaller() caller: Caller) {
    return this.adjustments.writeOffExpired(caller, body);
  }

  @Post('stock-takes')
  @RequirePermissions('pharmacy:adjust')
  @UseInterceptors(IdempotencyInterceptor)
  @ApiOperation({ summary: 'Record counted quantities per batch; differences from on hand become stock-take ledger rows' })
  stockTake(@Body() body: StockTakeDto, @CurrentCaller() caller: Caller) {
    return this.adjustments.stockTake(caller, body);
  }
}

@ApiTags('pharmacy: returns')
@ApiBearerAuth()
@Controller('api/v1/pharmacy')
export class ReturnsController {
  constructor(private readonly returns: ReturnsService) {}

  @Post('dispenses/:id/returns')
  @RequirePermissions('pharmacy:dispense')
  @UseInterceptors(IdempotencyInterceptor)
  @ApiOperation({ summary: 'A patient returns dispensed stock (at most what was dispensed less what came back); it goes back into the store' })
  patientReturn(@Param('id', uuid) id: string, @Body() body: ReturnDto, @CurrentCaller() caller: Caller) {
    return this.returns.patientReturn(caller, id, body);
  }

  @Post('supplier-returns')
  @RequirePermissions('pharmacy:receive')
  @UseInterceptors(IdempotencyInterceptor)
  @ApiOperation({ summary: 'Return batches to the supplier they were received from (expired ones too)' })
  supplierReturn(@Body() body: SupplierReturnDto, @CurrentCaller() caller: Caller) {
    return this.returns.supplierReturn(caller, body);
  }
}

@ApiTags('pharmacy: reports')
@ApiBearerAuth()
@Controller('api/v1/pharmacy/reports')
export class StockReportsController {
  constructor(private readonly reports: StockReportsService) {}

  @Get('below-reorder')
  @RequirePermissions('pharmacy:reports')
  @ApiOperation({ summary: 'Items whose usable stock in a store is below its reorder level' })
  @ApiQuery({ name: 'storeId', required: false })
  @ApiPaging()
  belowReorder(@CurrentCaller() caller: Caller, @Query('storeId') storeId?: string, @Query('limit') limit?: string, @Query('offset') offset?: string) {
    return this.reports.belowReorder(caller, optionalId(storeId, 'storeId'), pageRequest(limit, offset));
  }

  @Get('near-expiry')
  @RequirePermissions('pharmacy:reports')
  @ApiOperation({ summary: 'Batches in stock expiring within the next `days` days (1 to 730, default 90)' })
  @ApiQuery({ name: 'storeId', required: false })
  @ApiQuery({ name: 'days', required: false, example: 90 })
  @ApiPaging()
  nearExpiry(@CurrentCaller() caller: Caller, @Query('storeId') storeId?: string, @Query('days') days?: string, @Query('limit') limit?: string, @Query('offset') offset?: string) {
    const window = nearExpiryDays(days);
    if (window === null) throw invalidParameter('days', 'must be a whole number from 1 to 730');
    return this.reports.nearExpiry(caller, optionalId(storeId, 'storeId'), window, pageRequest(limit, offset));
  }

  @Get('expired')
  @RequirePermissions('pharmacy:reports')
  @ApiOperation({ summary: 'Expired batches still in stock' })
  @ApiQuery({ name: 'storeId', required: false })
  @ApiPaging()
  expired(@CurrentCaller() caller: Caller, @Query('storeId') storeId?: string, @Query('limit') limit?: string, @Query('offset') offset?: string) {
    return this.reports.expired(caller, optionalId(storeId, 'storeId'), pageRequest(limit, offset));
  }

  @Get('valuation')
  @RequirePermissions('pharmacy:reports')
  @ApiOperation({ summary: 'Stock on hand per store valued at purchase rate and at MRP (paise)' })
  @ApiQuery({ name: 'storeId', required: false })
  valuation(@CurrentCaller() caller: Caller, @Query('storeId') storeId?: string) {
    return this.reports.valuation(caller, optionalId(storeId, 'storeId'));
  }

  @Get('movements')
  @RequirePermissions('pharmacy:reports')
  @ApiOperation({ summary: 'Ledger movements of an item or a batch, oldest first, between two dates (India, inclusive)' })
  @ApiQuery({ name: 'itemId', required: false })
  @ApiQuery({ name: 'batchId', required: false })
  @ApiQuery({ name: 'storeId', required: false })
  @ApiQuery({ name: 'from', required: false, example: '2026-11-01' })
  @ApiQuery({ name: 'to', required: false, example: '2026-11-30' })
  @ApiPaging()
  movements(
    @CurrentCaller() caller: Caller,
    @Query('itemId') itemId?: string,
    @Query('batchId') batchId?: string,
    @Query('storeId') storeId?: string,
    @Query('from') from?: string,
    @Query('to') to?: string,
    @Query('limit') limit?: string,
    @Query('offset') offset?: string,
  ) {
    const filter = {
      itemId: optionalId(itemId, 'itemId'),
      batchId: optionalId(batchId, 'batchId'),
      storeId: optionalId(storeId, 'storeId'),
      from: optionalDate(from, 'from'),
      to: optionalDate(to, 'to'),
    };
    if ((filter.itemId === undefined) === (filter.batchId === undefined)) throw invalidParameter('itemId', 'or batchId is required, not both');
    if (filter.from && filter.to && filter.from > filter.to) throw invalidParameter('from', 'must not be after to');
    return this.reports.movements(caller, filter, pageRequest(limit, offset));
  }

  @Get('in-transit')
  @RequirePermissions('pharmacy:reports')
  @ApiOperation({ summary: 'Stock sent between stores and not yet received' })
  @ApiQuery({ name: 'storeId', required: false, description: 'Sent from or to this store' })
  @ApiPaging()
  inTransit(@CurrentCaller() caller: Caller, @Query('storeId') storeId?: string, @Query('limit') limit?: string, @Query('offset') offset?: string) {
    return this.reports.inTransit(caller, optionalId(storeId, 'storeId'), pageRequest(limit, offset));
  }
}
