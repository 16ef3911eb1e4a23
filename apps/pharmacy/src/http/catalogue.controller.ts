import { Body, Controller, Get, Headers, Param, ParseUUIDPipe, Patch, Post, Put, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentCaller, RequirePermissions, type Caller } from '@hms/platform-auth';
import { ApiProblems, PageOf, etagOf, versionFromIfMatch } from '@hms/platform-http';
import { AddGstRateUseCase } from '../catalogue/add-gst-rate.use-case';
import { CreateItemUseCase } from '../catalogue/create-item.use-case';
import { CreateStoreUseCase } from '../catalogue/create-store.use-case';
import { CreateSupplierUseCase } from '../catalogue/create-supplier.use-case';
import { GetItemUseCase } from '../catalogue/get-item.use-case';
import { GetStoreUseCase } from '../catalogue/get-store.use-case';
import { GetSupplierUseCase } from '../catalogue/get-supplier.use-case';
import { ListItemsUseCase } from '../catalogue/list-items.use-case';
import { ListStoresUseCase } from '../catalogue/list-stores.use-case';
import { ListSuppliersUseCase } from '../catalogue/list-suppliers.use-case';
import { SetReorderLevelUseCase } from '../catalogue/set-reorder-level.use-case';
import { UpdateItemUseCase } from '../catalogue/update-item.use-case';
import { UpdateStoreUseCase } from '../catalogue/update-store.use-case';
import { UpdateSupplierUseCase } from '../catalogue/update-supplier.use-case';
import {
  CreateItemDto,
  CreateStoreDto,
  CreateSupplierDto,
  GstRateDto,
  ListItemsQuery,
  ListStoresQuery,
  ListSuppliersQuery,
  PharmacyItem,
  PharmacyReorderLevel,
  PharmacyStore,
  PharmacySupplier,
  ReorderLevelDto,
  UpdateItemDto,
  UpdateStoreDto,
  UpdateSupplierDto,
} from './catalogue.dto';

const uuid = new ParseUUIDPipe();

/** The If-Match header every change sends: the ETag of the version it changes. */
const IF_MATCH = { name: 'If-Match', required: true, description: 'The ETag of the version being changed (from GET or the last change)' };

const CHANGE_PROBLEMS = {
  400: 'A malformed id, a field that is invalid (named in errors[]), a request that changes nothing, or an If-Match that is not an ETag this API issued (if-match-invalid)',
  404: 'Not found in this branch',
  412: 'Changed by someone else since that ETag (version-mismatch; currentVersion given)',
  428: 'If-Match is missing (if-match-required)',
};

/** Sends the version as the ETag and answers the representation. */
function withEtag<T extends { version: number }>(res: Response, view: T): T {
  res.setHeader('etag', etagOf(view.version));
  return view;
}

@ApiTags('pharmacy: catalogue')
@ApiBearerAuth()
@Controller('api/v1/pharmacy')
export class CatalogueController {
  constructor(
    private readonly createItemUseCase: CreateItemUseCase,
    private readonly listItemsUseCase: ListItemsUseCase,
    private readonly getItemUseCase: GetItemUseCase,
    private readonly updateItemUseCase: UpdateItemUseCase,
    private readonly addGstRateUseCase: AddGstRateUseCase,
    private readonly createStoreUseCase: CreateStoreUseCase,
    private readonly listStoresUseCase: ListStoresUseCase,
    private readonly getStoreUseCase: GetStoreUseCase,
    private readonly updateStoreUseCase: UpdateStoreUseCase,
    private readonly setReorderLevelUseCase: SetReorderLevelUseCase,
    private readonly createSupplierUseCase: CreateSupplierUseCase,
    private readonly listSuppliersUseCase: ListSuppliersUseCase,
    private readonly getSupplierUseCase: GetSupplierUseCase,
    private readonly updateSupplierUseCase: UpdateSupplierUseCase,
  ) {}

  @Post('items')
  @RequirePermissions('pharmacy:manage')
  @ApiOperation({ summary: 'Add a drug or consumable to the item master, with its GST rate from a date (a rate in force on that date)' })
  @ApiCreatedResponse({ type: PharmacyItem })
  @ApiProblems({ 400: 'A field is invalid: blank text, an HSN or schedule unknown, a GST rate not in force on its date', 409: 'The code is taken in this branch (already-exists)' })
  async createItem(@Body() body: CreateItemDto, @CurrentCaller() caller: Caller, @Res({ passthrough: true }) res: Response) {
    return withEtag(res, await this.createItemUseCase.execute(caller, body));
  }

  @Get('items')
  @RequirePermissions('pharmacy:read')
  @ApiOperation({ summary: 'The item master by name, a page at a time; by code or the start of a name' })
  @ApiOkResponse({ type: PageOf(PharmacyItem) })
  @ApiProblems({ 400: 'A parameter is invalid: q, includeInactive, paging' })
  items(@CurrentCaller() caller: Caller, @Query() query: ListItemsQuery) {
    return this.listItemsUseCase.execute(caller, { q: query.q, includeInactive: query.includeInactive }, query);
  }

  @Get('items/:id')
  @RequirePermissions('pharmacy:read')
  @ApiOkResponse({ type: PharmacyItem, description: 'The item; its version is the ETag' })
  @ApiProblems({ 400: 'A malformed id', 404: 'No such item in this branch (item-not-found)' })
  async item(@Param('id', uuid) id: string, @CurrentCaller() caller: Caller, @Res({ passthrough: true }) res: Response) {
    return withEtag(res, await this.getItemUseCase.execute(caller, id));
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
    return withEtag(res, await this.updateItemUseCase.execute(caller, id, versionFromIfMatch(ifMatch), body));
  }

  @Post('items/:id/gst-rates')
  @RequirePermissions('pharmacy:manage')
  @ApiOperation({ summary: 'A new GST rate from a date (GST-05: sales before it keep the old rate); it must be a rate in force on that date' })
  @ApiCreatedResponse({ type: PharmacyItem })
  @ApiProblems({
    400: 'A malformed id, a date that is not a real one, or a rate not in force on it (rateBp)',
    404: 'No such item in this branch (item-not-found)',
    409: 'A rate from that date exists already (already-exists)',
  })
  async gstRate(@Param('id', uuid) id: string, @Body() body: GstRateDto, @CurrentCaller() caller: Caller, @Res({ passthrough: true }) res: Response) {
    return withEtag(res, await this.addGstRateUseCase.execute(caller, id, body.effectiveFrom, body.rateBp));
  }

  @Post('stores')
  @RequirePermissions('pharmacy:manage')
  @ApiOperation({ summary: 'Add a store: the main store, a pharmacy or a ward sub-store (which names its ward)' })
  @ApiCreatedResponse({ type: PharmacyStore })
  @ApiProblems({ 400: 'A field is invalid (a blank name, say), or a ward store without wardId', 409: 'The code is taken in this branch (already-exists)' })
  async createStore(@Body() body: CreateStoreDto, @CurrentCaller() caller: Caller, @Res({ passthrough: true }) res: Response) {
    return withEtag(res, await this.createStoreUseCase.execute(caller, body));
  }

  @Get('stores')
  @RequirePermissions('pharmacy:read')
  @ApiOperation({ summary: 'The branch’s stores by code, a page at a time' })
  @ApiOkResponse({ type: PageOf(PharmacyStore) })
  @ApiProblems({ 400: 'A parameter is invalid: includeInactive, paging' })
  stores(@CurrentCaller() caller: Caller, @Query() query: ListStoresQuery) {
    return this.listStoresUseCase.execute(caller, { includeInactive: query.includeInactive }, query);
  }

  @Get('stores/:id')
  @RequirePermissions('pharmacy:read')
  @ApiOkResponse({ type: PharmacyStore, description: 'The store; its version is the ETag' })
  @ApiProblems({ 400: 'A malformed id', 404: 'No such store in this branch (store-not-found)' })
  async store(@Param('id', uuid) id: string, @CurrentCaller() caller: Caller, @Res({ passthrough: true }) res: Response) {
    return withEtag(res, await this.getStoreUseCase.execute(caller, id));
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
    return withEtag(res, await this.updateStoreUseCase.execute(caller, id, versionFromIfMatch(ifMatch), body));
  }

  @Put('stores/:storeId/reorder-levels/:itemId')
  @RequirePermissions('pharmacy:manage')
  @ApiOperation({ summary: 'Set the level below which an item’s usable stock in a store raises ReorderNeeded, and how much to order' })
  @ApiOkResponse({ type: PharmacyReorderLevel })
  @ApiProblems({ 400: 'A malformed id, or a level or quantity that is not a whole number from 0 to 10,000,000', 404: 'No such store in use (store-not-found) or no such item (item-not-found) in this branch' })
  reorder(@Param('storeId', uuid) storeId: string, @Param('itemId', uuid) itemId: string, @Body() body: ReorderLevelDto, @CurrentCaller() caller: Caller) {
    return this.setReorderLevelUseCase.execute(caller, storeId, itemId, body.reorderLevel, body.reorderQuantity);
  }

  @Post('suppliers')
  @RequirePermissions('pharmacy:manage')
  @ApiOperation({ summary: 'Add a supplier; the GSTIN is checked (format and check character)' })
  @ApiCreatedResponse({ type: PharmacySupplier })
  @ApiProblems({ 400: 'A blank name or a GSTIN that is malformed or has a wrong check character', 409: 'The GSTIN is a supplier of this branch already (already-exists)' })
  async createSupplier(@Body() body: CreateSupplierDto, @CurrentCaller() caller: Caller, @Res({ passthrough: true }) res: Response) {
    return withEtag(res, await this.createSupplierUseCase.execute(caller, body.name, body.gstin));
  }

  @Get('suppliers')
  @RequirePermissions('pharmacy:read')
  @ApiOperation({ summary: 'The branch’s suppliers by name, a page at a time' })
  @ApiOkResponse({ type: PageOf(PharmacySupplier) })
  @ApiProblems({ 400: 'A parameter is invalid: includeInactive, paging' })
  suppliers(@CurrentCaller() caller: Caller, @Query() query: ListSuppliersQuery) {
    return this.listSuppliersUseCase.execute(caller, { includeInactive: query.includeInactive }, query);
  }

  @Get('suppliers/:id')
  @RequirePermissions('pharmacy:read')
  @ApiOkResponse({ type: PharmacySupplier, description: 'The supplier; its version is the ETag' })
  @ApiProblems({ 400: 'A malformed id', 404: 'No such supplier in this branch (supplier-not-found)' })
  async supplier(@Param('id', uuid) id: string, @CurrentCaller() caller: Caller, @Res({ passthrough: true }) res: Response) {
    return withEtag(res, await this.getSupplierUseCase.execute(caller, id));
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
    return withEtag(res, await this.updateSupplierUseCase.execute(caller, id, versionFromIfMatch(ifMatch), body));
  }
}
