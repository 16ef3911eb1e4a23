import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentCaller, RequirePermissions, type Caller } from '@hms/platform-auth';
import { BelowReorderReportUseCase } from '../reports/below-reorder-report.use-case';
import { ExpiredStockReportUseCase } from '../reports/expired-stock-report.use-case';
import { InTransitReportUseCase } from '../reports/in-transit-report.use-case';
import { NearExpiryReportUseCase } from '../reports/near-expiry-report.use-case';
import { StockMovementsReportUseCase } from '../reports/stock-movements-report.use-case';
import { StockValuationUseCase } from '../reports/stock-valuation.use-case';
import { InTransitReportQuery, MovementsReportQuery, NearExpiryReportQuery, PagedStoreReportQuery, StoreReportQuery } from './reports.dto';

@ApiTags('pharmacy: reports')
@ApiBearerAuth()
@Controller('api/v1/pharmacy/reports')
export class ReportsController {
  constructor(
    private readonly belowReorderUseCase: BelowReorderReportUseCase,
    private readonly nearExpiryUseCase: NearExpiryReportUseCase,
    private readonly expiredUseCase: ExpiredStockReportUseCase,
    private readonly valuationUseCase: StockValuationUseCase,
    private readonly movementsUseCase: StockMovementsReportUseCase,
    private readonly inTransitUseCase: InTransitReportUseCase,
  ) {}

  @Get('below-reorder')
  @RequirePermissions('pharmacy:reports')
  @ApiOperation({ summary: 'Items whose usable stock in a store is below its reorder level' })
  belowReorder(@CurrentCaller() caller: Caller, @Query() query: PagedStoreReportQuery) {
    return this.belowReorderUseCase.execute(caller, { storeId: query.storeId }, query);
  }

  @Get('near-expiry')
  @RequirePermissions('pharmacy:reports')
  @ApiOperation({ summary: 'Batches in stock expiring within the next `days` days (1 to 730, default 90)' })
  nearExpiry(@CurrentCaller() caller: Caller, @Query() query: NearExpiryReportQuery) {
    return this.nearExpiryUseCase.execute(caller, { storeId: query.storeId, days: query.days }, query);
  }

  @Get('expired')
  @RequirePermissions('pharmacy:reports')
  @ApiOperation({ summary: 'Expired batches still in stock' })
  expired(@CurrentCaller() caller: Caller, @Query() query: PagedStoreReportQuery) {
    return this.expiredUseCase.execute(caller, { storeId: query.storeId }, query);
  }

  @Get('valuation')
  @RequirePermissions('pharmacy:reports')
  @ApiOperation({ summary: 'Stock on hand per store valued at purchase rate and at MRP (paise)' })
  valuation(@CurrentCaller() caller: Caller, @Query() query: StoreReportQuery) {
    return this.valuationUseCase.execute(caller, { storeId: query.storeId });
  }

  @Get('movements')
  @RequirePermissions('pharmacy:reports')
  @ApiOperation({ summary: 'Ledger movements of an item or a batch, oldest first, between two dates (India, inclusive)' })
  movements(@CurrentCaller() caller: Caller, @Query() query: MovementsReportQuery) {
    return this.movementsUseCase.execute(caller, { itemId: query.itemId, batchId: query.batchId, storeId: query.storeId, from: query.from, to: query.to }, query);
  }

  @Get('in-transit')
  @RequirePermissions('pharmacy:reports')
  @ApiOperation({ summary: 'Stock sent between stores and not yet received' })
  inTransit(@CurrentCaller() caller: Caller, @Query() query: InTransitReportQuery) {
    return this.inTransitUseCase.execute(caller, { storeId: query.storeId }, query);
  }
}
