import { Body, Controller, Get, Headers, Param, ParseUUIDPipe, Patch, Post, Put, Query, Res, UseInterceptors } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { DomainError } from '@hms/contracts-common';
import { CurrentCaller, RequirePermissions, type Caller } from '@hms/platform-auth';
import { etagOf, pageRequest, versionFromIfMatch, ApiPaging } from '@hms/platform-http';
import { IdempotencyInterceptor } from '@hms/platform-service';
import { DispensingService } from './dispensing/dispensing.service';
import {
  CreateItemDto,
  CreateStoreDto,
  CreateSupplierDto,
  DispenseDto,
  GoodsReceiptDto,
  GstRateDto,
  ReorderLevelDto,
  UpdateItemDto,
  UpdateStoreDto,
  UpdateSupplierDto,
} from './dto';
import { CatalogueService } from './items/catalogue.service';
import { dateRange, invalidParameter, optionalBoolean, optionalId, optionalOneOf, requiredDate } from './query-params';
import { ReceiptsService } from './stock/receipts.service';
import { StockQueryService } from './stock/stock-query.service';
import {
  ApiProblems,
  PharmacyDispense,
  PharmacyDispensePage,
  PharmacyGoodsReceiptPage,
  PharmacyH1Page,
  PharmacyItem,
  PharmacyStore,
  PharmacySupplier,
} from './views';

const uuid = new ParseUUIDPipe();

const IF_MATCH = { name: 'If-Match', required: true, description: 'The ETag of the version being changed (from GET or the last change)' };
const CHANGE_PROBLEMS = {
  400: 'A field is invalid (named in errors[]), or the request changes nothing',
  403: 'Lacks pharmacy:manage',
  404: 'Not found in this branch',
  412: 'Changed by someone else since that ETag (version-mismatch; currentVersion given)',
  428: 'If-Match is missing (if-match-required)',
};
const LIMIT = { name: 'limit', required: false, schema: { type: 'integer', minimum: 1, maximum: 100, default: 20 } } as const;
const OFFSET = { name: 'offset', required: false, schema: { type: 'integer', minimum: 0, default: 0 } } as const;
const INCLUDE_INACTIVE = { name: 'includeInactive', required: false, type: Boolean, description: 'Also list deactivated ones (default false)' };

@ApiTags('pharmacy: catalogue')
@ApiBearerAuth()
@Controller('api/v1/pharmacy')
export class CatalogueController {
  constructor(private readonly catalogue: CatalogueService) {}

  @Post('items')
  @RequirePermissions('pharmacy:manage')
  @ApiOperation({ summary: 'Add a drug or consumable to the item master, with its GST rate from a date (a rate in force on that date)' })
  @ApiCreatedResponse({ type: PharmacyItem })
  @ApiProblems({ 400: 'A field is invalid: blank text, an HSN or schedule unknown, a GST rate not in force on its date', 409: 'The code is taken in this branch (already-exists)' })
  async createItem(@Body() body: CreateItemDto, @CurrentCaller() caller: Caller, @Res({ passthrough: true }) res: Response) {
    const item = await this.catalogue.createItem(caller, body);
    res.setHeader('etag', etagOf(item.version));
    return item;
  }

  @Get('items')
  @RequirePermissions('pharmacy:read')
  @ApiQuery({ name: 'q', required: false, description: 'Code, or the start of a generic or brand name' })
  @ApiQuery(INCLUDE_INACTIVE)
  @ApiPaging()
  async items(@CurrentCaller() caller: Caller, @Query('q') q?: string, @Query('includeInactive') includeInactive?: string, @Query('limit') limit?: string, @Query('offset') offset?: string) {
    const page = pageRequest(limit, offset);
    if (q !== undefined && (q.length < 1 || q.length > 100)) throw new DomainError('validation', 'validation-failed', 'q must be 1 to 100 characters');
    const all = optionalBoolean(includeInactive, 'includeInactive') ?? false;
    return { items: await this.catalogue.listItems(caller, q, page.limit, page.offset, all), limit: page.limit, offset: page.offset };
  }

  @Get('items/:id')
  @RequirePermissions('pharmacy:read')
  @ApiOkResponse({ type: PharmacyItem, description: 'The item; its version is the ETag' })
  @ApiProblems({ 404: 'No such item in this branch (item-not-found)' })
  async item(@Param('id', uuid) id: string, @CurrentCaller() caller: Caller, @Res({ passthrough: true }) res: Response) {
    const item = await this.catalogue.getItem(caller, id);
    res.setHeader('etag', etagOf(item.version));
    return item;
  }

  @Patch('items/:id')
  @RequirePermissions('pharmacy:manage')
  @ApiHeader(IF_MATCH)
  @ApiOperation({ summary: 'Change an item, or deactivate it with active: false (it can then be neither received nor dispensed); optimistic concurrency with If-Match' })
  @ApiOkResponse({ type: PharmacyItem })
  @ApiProblems(CHANGE_PROBLEMS)
  async updateItem(
    @Param('id', uuid) id: string,
    @Body() body: UpdateItemDto,
    @Headers('if-match') ifMatch: string | undefined,
    @CurrentCaller() caller: Caller,
    @Res({ passthrough: true }) res: Response,
  ) {
    const item = await this.catalogue.updateItem(caller, id, versionFromIfMatch(ifMatch), body);
    res.setHeader('etag', etagOf(item.version));
    return item;
  }

  @Post('items/:id/gst-rates')
  @RequirePermissions('pharmacy:manage')
  @ApiOperation({ summary: 'A new GST rate from a date (GST-05: sales before it keep the old rate); it must be a rate in force on that date' })
  @ApiCreatedResponse({ type: PharmacyItem })
  @ApiProblems({ 400: 'A date that is not a real one, or a rate not in force on it (rateBp)', 404: 'No such item', 409: 'A rate from that date exists already' })
  async gstRate(@Param('id', uuid) id: string, @Body() body: GstRateDto, @CurrentCaller() caller: Caller, @Res({ passthrough: true }) res: Response) {
    const item = await this.catalogue.addGstRate(caller, id, body.effectiveFrom, body.rateBp);
    res.setHeader('etag', etagOf(item.version));
    return item;
  }

  @Post('stores')
  @RequirePermissions('pharmacy:manage')
  @ApiCreatedResponse({ type: PharmacyStore })
  @ApiProblems({ 400: 'A field is invalid (a blank name, say)', 409: 'The code is taken in this branch' })
  async createStore(@Body() body: CreateStoreDto, @CurrentCaller() caller: Caller, @Res({ passthrough: true }) res: Response) {
    const store = await this.catalogue.createStore(caller, body);
    res.setHeader('etag', etagOf(store.version));
    return store;
  }

  @Get('stores')
  @RequirePermissions('pharmacy:read')
  @ApiQuery(INCLUDE_INACTIVE)
  async stores(@CurrentCaller() caller: Caller, @Query('includeInactive') includeInactive?: string) {
    return { items: await this.catalogue.listStores(caller, optionalBoolean(includeInactive, 'includeInactive') ?? false) };
  }

  @Get('stores/:id')
  @RequirePermissions('pharmacy:read')
  @ApiOkResponse({ type: PharmacyStore, description: 'The store; its version is the ETag' })
  @ApiProblems({ 404: 'No such store in this branch (store-not-found)' })
  async store(@Param('id', uuid) id: string, @CurrentCaller() caller: Caller, @Res({ passthrough: true }) res: Response) {
    const store = await this.catalogue.getStore(caller, id);
    res.setHeader('etag', etagOf(store.version));
    return store;
  }

  @Patch('stores/:id')
  @RequirePermissions('pharmacy:manage')
  @ApiHeader(IF_MATCH)
  @ApiOperation({ summary: 'Rename a store, set the shelf life a batch must have left when received, or deactivate an empty store (active: false)' })
  @ApiOkResponse({ type: PharmacyStore })
  @ApiProblems({ ...CHANGE_PROBLEMS, 409: 'Deactivating a store with stock on hand or in transit (store-not-empty)' })
  async updateStore(
    @Param('id', uuid) id: string,
    @Body() body: UpdateStoreDto,
    @Headers('if-match') ifMatch: string | undefined,
    @CurrentCaller() caller: Caller,
    @Res({ passthrough: true }) res: Response,
  ) {
    const store = await this.catalogue.updateStore(caller, id, versionFromIfMatch(ifMatch), body);
    res.setHeader('etag', etagOf(store.version));
    return store;
  }

  @Put('stores/:storeId/reorder-levels/:itemId')
  @RequirePermissions('pharmacy:manage')
  reorder(@Param('storeId', uuid) storeId: string, @Param('itemId', uuid) itemId: string, @Body() body: ReorderLevelDto, @CurrentCaller() caller: Caller) {
    return this.catalogue.setReorderLevel(caller, storeId, itemId, body.reorderLevel, body.reorderQuantity);
  }

  @Post('suppliers')
  @RequirePermissions('pharmacy:manage')
  @ApiOperation({ summary: 'Add a supplier; the GSTIN is checked (format and check character)' })
  @ApiCreatedResponse({ type: PharmacySupplier })
  @ApiProblems({ 400: 'A blank name or a GSTIN that is malformed or has a wrong check character', 409: 'The GSTIN is a supplier of this branch already' })
  async createSupplier(@Body() body: CreateSupplierDto, @CurrentCaller() caller: Caller, @Res({ passthrough: true }) res: Response) {
    const supplier = await this.catalogue.createSupplier(caller, body.name, body.gstin);
    res.setHeader('etag', etagOf(supplier.version));
    return supplier;
  }

  @Get('suppliers')
  @RequirePermissions('pharmacy:read')
  @ApiQuery(INCLUDE_INACTIVE)
  async suppliers(@CurrentCaller() caller: Caller, @Query('includeInactive') includeInactive?: string) {
    return { items: await this.catalogue.listSuppliers(caller, optionalBoolean(includeInactive, 'includeInactive') ?? false) };
  }

  @Get('suppliers/:id')
  @RequirePermissions('pharmacy:read')
  @ApiOkResponse({ type: PharmacySupplier, description: 'The supplier; its version is the ETag' })
  @ApiProblems({ 404: 'No such supplier in this branch (supplier-not-found)' })
  async supplier(@Param('id', uuid) id: string, @CurrentCaller() caller: Caller, @Res({ passthrough: true }) res: Response) {
    const supplier = await this.catalogue.getSupplier(caller, id);
    res.setHeader('etag', etagOf(supplier.version));
    return supplier;
  }

  @Patch('suppliers/:id')
  @RequirePermissions('pharmacy:manage')
  @ApiHeader(IF_MATCH)
  @ApiOperation({ summary: 'Rename a supplier, or deactivate it (active: false): no goods are received from it then' })
  @ApiOkResponse({ type: PharmacySupplier })
  @ApiProblems(CHANGE_PROBLEMS)
  async updateSupplier(
    @Param('id', uuid) id: string,
    @Body() body: UpdateSupplierDto,
    @Headers('if-match') ifMatch: string | undefined,
    @CurrentCaller() caller: Caller,
    @Res({ passthrough: true }) res: Response,
  ) {
    const supplier = await this.catalogue.updateSupplier(caller, id, versionFromIfMatch(ifMatch), body);
    res.setHeader('etag', etagOf(supplier.version));
    return supplier;
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
    return this.receipts.receive(caller, body);
  }

  @Get('goods-receipts')
  @RequirePermissions('pharmacy:read')
  @ApiOperation({ summary: 'Goods receipts, newest first, with their batches; by store, supplier, and the days received (India, both inclusive)' })
  @ApiQuery({ name: 'storeId', required: false })
  @ApiQuery({ name: 'supplierId', required: false })
  @ApiQuery({ name: 'from', required: false, example: '2026-11-01', description: 'Received on or after (YYYY-MM-DD)' })
  @ApiQuery({ name: 'to', required: false, example: '2026-11-30', description: 'Received on or before (YYYY-MM-DD)' })
  @ApiQuery(LIMIT)
  @ApiQuery(OFFSET)
  @ApiOkResponse({ type: PharmacyGoodsReceiptPage })
  @ApiProblems({ 400: 'A parameter is invalid: an id, a date that is not real, from after to, paging', 403: 'Lacks pharmacy:read' })
  @ApiPaging()
  goodsReceipts(
    @CurrentCaller() caller: Caller,
    @Query('storeId') storeId?: string,
    @Query('supplierId') supplierId?: string,
    @Query('from') from?: string,
    @Query('to') to?: string,
    @Query('limit') limit?: string,
    @Query('offset') offset?: string,
  ) {
    const filter = { storeId: optionalId(storeId, 'storeId'), supplierId: optionalId(supplierId, 'supplierId'), ...dateRange(from, to) };
    return this.receipts.list(caller, filter, pageRequest(limit, offset));
  }

  @Get('stock')
  @RequirePermissions('pharmacy:read')
  @ApiOperation({ summary: 'On hand per store and batch (expired: the expiry date has passed; a batch is usable through it)' })
  @ApiQuery({ name: 'storeId', required: false })
  @ApiQuery({ name: 'itemId', required: false })
  @ApiPaging()
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
  @ApiOperation({ summary: 'Dispense against a prescription or sell over the counter: FEFO, schedule rules, H1 register; a named patient and admission must be known, open and belong together' })
  @ApiProblems({
    400: 'A field is invalid',
    404: 'No such store or item',
    409: 'Not enough usable stock',
    422: 'Schedule rules; a blank patientName; an unknown, merged or mismatched patient or admission (patient-unknown, patient-merged, admission-unknown, admission-discharged, admission-of-another-patient); a deactivated store or item',
  })
  dispense(@Body() body: DispenseDto, @CurrentCaller() caller: Caller) {
    return this.dispensing.dispense(caller, body);
  }

  @Get('dispenses')
  @RequirePermissions('pharmacy:read')
  @ApiOperation({ summary: 'Dispenses to a patient (records merged into theirs included) or against an admission, newest first' })
  @ApiQuery({ name: 'patientId', required: false, description: 'Give patientId, admissionId or both' })
  @ApiQuery({ name: 'admissionId', required: false })
  @ApiQuery(LIMIT)
  @ApiQuery(OFFSET)
  @ApiOkResponse({ type: PharmacyDispensePage })
  @ApiProblems({ 400: 'Neither patientId nor admissionId, a malformed id, or bad paging', 403: 'Lacks pharmacy:read' })
  @ApiPaging()
  dispenses(@CurrentCaller() caller: Caller, @Query('patientId') patientId?: string, @Query('admissionId') admissionId?: string, @Query('limit') limit?: string, @Query('offset') offset?: string) {
    const filter = { patientId: optionalId(patientId, 'patientId'), admissionId: optionalId(admissionId, 'admissionId') };
    if (!filter.patientId && !filter.admissionId) throw invalidParameter('patientId', 'or admissionId is required');
    return this.dispensing.list(caller, filter, pageRequest(limit, offset));
  }

  @Get('dispenses/:id')
  @RequirePermissions('pharmacy:read')
  @ApiOperation({ summary: 'One dispense: patient, admission, prescription and the batches supplied' })
  @ApiOkResponse({ type: PharmacyDispense })
  @ApiProblems({ 400: 'A malformed id', 403: 'Lacks pharmacy:read', 404: 'No such dispense in this branch (dispense-not-found)' })
  dispenseById(@Param('id', uuid) id: string, @CurrentCaller() caller: Caller) {
    return this.dispensing.get(caller, id.toLowerCase());
  }

  @Get('h1-register')
  @RequirePermissions('pharmacy:read')
  @ApiOperation({ summary: 'The Schedule H1 register between two dates (inclusive, India); format=csv gives it whole as CSV, as h1-register.csv does' })
  @ApiQuery({ name: 'from', example: '2026-11-01' })
  @ApiQuery({ name: 'to', example: '2026-11-30' })
  @ApiQuery({ name: 'format', required: false, enum: ['json', 'csv'] })
  @ApiQuery(LIMIT)
  @ApiQuery(OFFSET)
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({ type: PharmacyH1Page })
  @ApiProblems({ 400: 'from or to missing or not a real date, from after to, an unknown format, bad paging', 403: 'Lacks pharmacy:read', 422: 'More entries than one CSV export carries (h1-export-too-large)' })
  @ApiPaging()
  async h1(
    @CurrentCaller() caller: Caller,
    @Res({ passthrough: true }) res: Response,
    @Query('from') from?: string,
    @Query('to') to?: string,
    @Query('format') format?: string,
    @Query('limit') limit?: string,
    @Query('offset') offset?: string,
  ) {
    const range = h1Range(from, to);
    if (optionalOneOf(format, 'format', ['json', 'csv'] as const) === 'csv') return this.sendCsv(caller, res, range);
    return this.dispensing.h1Register(caller, range.from, range.to, pageRequest(limit, offset));
  }

  @Get('h1-register.csv')
  @RequirePermissions('pharmacy:read')
  @ApiOperation({ summary: 'The Schedule H1 register between two dates (inclusive, India) as CSV, with the patient id of each supply' })
  @ApiQuery({ name: 'from', example: '2026-11-01' })
  @ApiQuery({ name: 'to', example: '2026-11-30' })
  @ApiProduces('text/csv')
  @ApiOkResponse({ description: 'text/csv: suppliedOn, suppliedAt, dispenseId, patientId, patientName, prescriber, drug, batch, quantity, pharmacistId', schema: { type: 'string' } })
  @ApiProblems({ 400: 'from or to missing or not a real date, or from after to', 403: 'Lacks pharmacy:read', 422: 'More entries than one export carries (h1-export-too-large)' })
  h1Csv(@CurrentCaller() caller: Caller, @Res({ passthrough: true }) res: Response, @Query('from') from?: string, @Query('to') to?: string) {
    return this.sendCsv(caller, res, h1Range(from, to));
  }

  private async sendCsv(caller: Caller, res: Response, range: { from: string; to: string }): Promise<string> {
    const csv = await this.dispensing.h1RegisterCsv(caller, range.from, range.to);
    res.setHeader('content-type', 'text/csv; charset=utf-8');
    res.setHeader('content-disposition', `attachment; filename="h1-register-${range.from}-${range.to}.csv"`);
    // Patients' names: no cache keeps a copy.
    res.setHeader('cache-control', 'no-store');
    return csv;
  }
}

/** The register's period: both ends required, real dates, in order. */
function h1Range(from: string | undefined, to: string | undefined): { from: string; to: string } {
  const range = { from: requiredDate(from, 'from'), to: requiredDate(to, 'to') };
  if (range.from > range.to) throw invalidParameter('from', 'must not be after to');
  return range;
}
