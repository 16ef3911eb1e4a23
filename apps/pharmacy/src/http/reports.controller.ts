import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentCaller, RequirePermissions, type Caller } from '@hms/platform-auth';
import { ApiProblems, PageOf } from '@hms/platform-http';
import { BelowReorderReportUseCase } from '../reports/below-reorder-report.use-case';
import { ExpiredStockReportUseCase } from '../reports/expired-stock-report.use-case';
import { InTransitReportUseCase } from '../reports/in-transit-report.use-case';
import { NearExpiryReportUseCase } from '../reports/near-expiry-report.use-case';
import { StockMovementsReportUseCase } from '../reports/stock-movements-report.use-case';
import { StockValuationUseCase } from '../reports/stock-valuation.use-case';
import {
  InTransitReportQuery,
  MovementsReportQuery,
  NearExpiryReportQuery,
  PagedStoreReportQuery,
  PharmacyBelowReorderLine,
  PharmacyExpiredStockReport,
  PharmacyInTransitLine,
  PharmacyNearExpiryReport,
  PharmacyStockMovement,
  PharmacyStockValuation,
  StoreReportQuery,
} from './reports.dto';

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
  @ApiOkResponse({ type: PageOf(PharmacyBelowReorderLine) })
  @ApiProblems({ 400: 'A parameter is invalid: storeId, paging' })
  belowReorder(@CurrentCaller() caller: Caller, @Query() query: PagedStoreReportQuery) {
    return this.belowReorderUseCase.execute(caller, { storeId: query.storeId }, query);
  }

  @Get('near-expiry')
  @RequirePermissions('pharmacy:reports')
  @ApiOperation({ summary: 'Batches in stock expiring within the next `days` days (1 to 730, default 90)' })
  @ApiOkResponse({ type: PharmacyNearExpiryReport })
  @ApiProblems({ 400: 'A parameter is invalid: storeId, days, paging' })
  nearExpiry(@CurrentCaller() caller: Caller, @Query() query: NearExpiryReportQuery) {
    return this.nearExpiryUseCase.execute(caller, { storeId: query.storeId, days: query.days }, query);
  }

  @Get('expired')
  @RequirePermissions('pharmacy:reports')
  @ApiOperation({ summary: 'Expired batches still in stock' })
  @ApiOkResponse({ type: PharmacyExpiredStockReport })
  @ApiProblems({ 400: 'A parameter is invalid: storeId, paging' })
  expired(@CurrentCaller() caller: Caller, @Query() query: PagedStoreReportQuery) {
    return this.expiredUseCase.execute(caller, { storeId: query.storeId }, query);
  }

  @Get('valuation')
  @RequirePermissions('pharmacy:reports')
  @ApiOperation({ summary: 'Stock on hand per store valued at purchase rate and at MRP (paise)' })
  @ApiOkResponse({ type: PharmacyStockValuation })
  @ApiProblems({ 400: 'A malformed storeId' })
  valuation(@CurrentCaller() caller: Caller, @Query() query: StoreReportQuery) {
    return this.valuationUseCase.execute(caller, { storeId: query.storeId });
  }

  @Get('movements')
  @RequirePermissions('pharmacy:reports')
  @ApiOperation({ summary: 'Ledger movements of an item or a batch, oldest first, between two dates (India, inclusive)' })
  @ApiOkResponse({ type: PageOf(PharmacyStockMovement) })
  @ApiProblems({ 400: 'Neither or both of itemId and batchId, a malformed id, a date that is not real, from after to, or bad paging' })
  movements(@CurrentCaller() caller: Caller, @Query() query: MovementsReportQuery) {
    return this.movementsUseCase.execute(caller, { itemId: query.itemId, batchId: query.batchId, storeId: query.storeId, from: query.from, to: query.to }, query);
  }

  @Get('in-transit')
  @RequirePermissions('pharmacy:reports')
  @ApiOperation({ summary: 'Stock sent between stores and not yet received' })
  @ApiOkResponse({ type: PageOf(PharmacyInTransitLine) })
  @ApiProblems({ 400: 'A parameter is invalid: storeId, paging' })
  inTransit(@CurrentCaller() caller: Caller, @Query() query: InTransitReportQuery) {
    return this.inTransitUseCase.execute(caller, { storeId: query.storeId }, query);
  }
}
