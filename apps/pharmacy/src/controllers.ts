import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Put, Query, UseInterceptors } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { DomainError } from '@hms/contracts-common';
import { CurrentCaller, RequirePermissions, type Caller } from '@hms/platform-auth';
import { pageRequest } from '@hms/platform-http';
import { IdempotencyInterceptor } from '@hms/platform-service';
import { DispensingService } from './dispensing/dispensing.service';
import { isCalendarDate } from './domain';
import { CreateItemDto, CreateStoreDto, CreateSupplierDto, DispenseDto, GoodsReceiptDto, GstRateDto, ReorderLevelDto } from './dto';
import { CatalogueService } from './items/catalogue.service';
import { ReceiptsService } from './stock/receipts.service';
import { StockQueryService } from './stock/stock-query.service';

const uuid = new ParseUUIDPipe();
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function optionalId(value: string | undefined, field: string): string | undefined {
  if (value !== undefined && !UUID.test(value)) throw new DomainError('validation', 'validation-failed', `${field} must be an id`, {}, [{ field, message: 'must be an id' }]);
  return value;
}

@ApiTags('pharmacy: catalogue')
@ApiBearerAuth()
@Controller('api/v1/pharmacy')
export class CatalogueController {
  constructor(private readonly catalogue: CatalogueService) {}

  @Post('items')
  @RequirePermissions('pharmacy:manage')
  @ApiOperation({ summary: 'Add a drug or consumable to the item master, with its GST rate from a date' })
  createItem(@Body() body: CreateItemDto, @CurrentCaller() caller: Caller) {
    return this.catalogue.createItem(caller, body);
  }

  @Get('items')
  @RequirePermissions('pharmacy:read')
  @ApiQuery({ name: 'q', required: false, description: 'Code, or the start of a generic or brand name' })
  async items(@CurrentCaller() caller: Caller, @Query('q') q?: string, @Query('limit') limit?: string, @Query('offset') offset?: string) {
    const page = pageRequest(limit, offset);
    if (q !== undefined && (q.length < 1 || q.length > 100)) throw new DomainError('validation', 'validation-failed', 'q must be 1 to 100 characters');
    return { items: await this.catalogue.listItems(caller, q, page.limit, page.offset), limit: page.limit, offset: page.offset };
  }

  @Get('items/:id')
  @RequirePermissions('pharmacy:read')
  item(@Param('id', uuid) id: string, @CurrentCaller() caller: Caller) {
    return this.catalogue.getItem(caller, id);
  }

  @Post('items/:id/gst-rates')
  @RequirePermissions('pharmacy:manage')
  @ApiOperation({ summary: 'A new GST rate from a date (GST-05: sales before it keep the old rate)' })
  gstRate(@Param('id', uuid) id: string, @Body() body: GstRateDto, @CurrentCaller() caller: Caller) {
    return this.catalogue.addGstRate(caller, id, body.effectiveFrom, body.rateBp);
  }

  @Post('stores')
  @RequirePermissions('pharmacy:manage')
  createStore(@Body() body: CreateStoreDto, @CurrentCaller() caller: Caller) {
    return this.catalogue.createStore(caller, body);
  }

  @Get('stores')
  @RequirePermissions('pharmacy:read')
  async stores(@CurrentCaller() caller: Caller) {
    return { items: await this.catalogue.listStores(caller) };
  }

  @Put('stores/:storeId/reorder-levels/:itemId')
  @RequirePermissions('pharmacy:manage')
  reorder(@Param('storeId', uuid) storeId: string, @Param('itemId', uuid) itemId: string, @Body() body: ReorderLevelDto, @CurrentCaller() caller: Caller) {
    return this.catalogue.setReorderLevel(caller, storeId, itemId, body.reorderLevel, body.reorderQuantity);
  }

  @Post('suppliers')
  @RequirePermissions('pharmacy:manage')
  @ApiOperation({ summary: 'Add a supplier; the GSTIN is checked (format and check character)' })
  createSupplier(@Body() body: CreateSupplierDto, @CurrentCaller() caller: Caller) {
    return this.catalogue.createSupplier(caller, body.name, body.gstin);
  }

  @Get('suppliers')
  @RequirePermissions('pharmacy:read')
  async suppliers(@CurrentCaller() caller: Caller) {
    return { items: await this.catalogue.listSuppliers(caller) };
  }
}

@ApiTags('pharmacy: stock')
@ApiBearerAuth()
@Controller('api/v1/pharmacy')
export class StockController {
  constructor(
    private readonly receipts: ReceiptsService,
    private readonly stock: StockQueryService,
  ) {}

  @Post('goods-receipts')
  @RequirePermissions('pharmacy:receive')
  @UseInterceptors(IdempotencyInterceptor)
  @ApiOperation({ summary: 'Receive goods from a supplier into a store (expired batches are refused)' })
  receive(@Body() body: GoodsReceiptDto, @CurrentCaller() caller: Caller) {
    return this.receipts.receive(caller, body);
  }

  @Get('stock')
  @RequirePermissions('pharmacy:read')
  @ApiOperation({ summary: 'On hand per store and batch' })
  @ApiQuery({ name: 'storeId', required: false })
  @ApiQuery({ name: 'itemId', required: false })
  onHand(@CurrentCaller() caller: Caller, @Query('storeId') storeId?: string, @Query('itemId') itemId?: string, @Query('limit') limit?: string, @Query('offset') offset?: string) {
    const page = pageRequest(limit, offset);
    return this.stock.onHand(caller, { storeId: optionalId(storeId, 'storeId'), itemId: optionalId(itemId, 'itemId') }, page.limit, page.offset);
  }
}

@ApiTags('pharmacy: dispensing')
@ApiBearerAuth()
@Controller('api/v1/pharmacy')
export class DispensingController {
  constructor(private readonly dispensing: DispensingService) {}

  @Post('dispenses')
  @RequirePermissions('pharmacy:dispense')
  @UseInterceptors(IdempotencyInterceptor)
  @ApiOperation({ summary: 'Dispense against a prescription or sell over the counter: FEFO, schedule rules, H1 register' })
  dispense(@Body() body: DispenseDto, @CurrentCaller() caller: Caller) {
    return this.dispensing.dispense(caller, body);
  }

  @Get('h1-register')
  @RequirePermissions('pharmacy:read')
  @ApiOperation({ summary: 'The Schedule H1 register between two dates (inclusive, India)' })
  @ApiQuery({ name: 'from', example: '2026-11-01' })
  @ApiQuery({ name: 'to', example: '2026-11-30' })
  h1(@CurrentCaller() caller: Caller, @Query('from') from?: string, @Query('to') to?: string, @Query('limit') limit?: string, @Query('offset') offset?: string) {
    if (!from || !to || !isCalendarDate(from) || !isCalendarDate(to) || from > to) {
      throw new DomainError('validation', 'validation-failed', 'from and to are required dates (YYYY-MM-DD), from not after to');
    }
    return this.dispensing.h1Register(caller, from, to, pageRequest(limit, offset));
  }
}
