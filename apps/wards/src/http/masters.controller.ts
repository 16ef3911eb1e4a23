import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentCaller, RequirePermissions, type Caller } from '@hms/platform-auth';
import { ApiProblems, PageOf, PageQuery } from '@hms/platform-http';
import { AddTariffUseCase } from '../masters/add-tariff.use-case';
import { CreateBedUseCase } from '../masters/create-bed.use-case';
import { CreateCategoryUseCase } from '../masters/create-category.use-case';
import { CreateDefaultCategoriesUseCase } from '../masters/create-default-categories.use-case';
import { CreateRoomUseCase } from '../masters/create-room.use-case';
import { CreateWardUseCase } from '../masters/create-ward.use-case';
import { GetRoomUseCase } from '../masters/get-room.use-case';
import { GetWardUseCase } from '../masters/get-ward.use-case';
import { ListCategoriesUseCase } from '../masters/list-categories.use-case';
import { ListRoomsUseCase } from '../masters/list-rooms.use-case';
import { ListWardsUseCase } from '../masters/list-wards.use-case';
import { RetireBedUseCase } from '../masters/retire-bed.use-case';
import { RetireCategoryUseCase } from '../masters/retire-category.use-case';
import { RetireRoomUseCase } from '../masters/retire-room.use-case';
import { RetireWardUseCase } from '../masters/retire-ward.use-case';
import { UpdateWardUseCase } from '../masters/update-ward.use-case';
import {
  CreateBedDto,
  CreateCategoryDto,
  CreateRoomDto,
  CreateWardDto,
  ListRoomsQueryDto,
  ListWardsQueryDto,
  TariffDto,
  UpdateWardDto,
  WardBedCategory,
  WardBedCategoryList,
  WardBedCreatedResponse,
  WardBedRetiredResponse,
  WardResponse,
  WardRetiredResponse,
  WardRoomResponse,
  WardRoomRetiredResponse,
} from './masters.dto';

const uuid = new ParseUUIDPipe();

@ApiTags('wards: masters')
@ApiBearerAuth()
@Controller('api/v1/wards')
export class MastersController {
  constructor(
    private readonly listCategories: ListCategoriesUseCase,
    private readonly createCategoryUseCase: CreateCategoryUseCase,
    private readonly createDefaultCategories: CreateDefaultCategoriesUseCase,
    private readonly addTariffUseCase: AddTariffUseCase,
    private readonly retireCategoryUseCase: RetireCategoryUseCase,
    private readonly listWards: ListWardsUseCase,
    private readonly getWard: GetWardUseCase,
    private readonly listRooms: ListRoomsUseCase,
    private readonly getRoom: GetRoomUseCase,
    private readonly createWardUseCase: CreateWardUseCase,
    private readonly updateWardUseCase: UpdateWardUseCase,
    private readonly retireWardUseCase: RetireWardUseCase,
    private readonly createRoomUseCase: CreateRoomUseCase,
    private readonly retireRoomUseCase: RetireRoomUseCase,
    private readonly createBedUseCase: CreateBedUseCase,
    private readonly retireBedUseCase: RetireBedUseCase,
  ) {}

  @Get('bed-categories')
  @RequirePermissions('wards:read')
  @ApiOperation({ summary: 'Bed categories with their dated tariffs and the one in force today' })
  @ApiOkResponse({ type: PageOf(WardBedCategory) })
  @ApiProblems({ 400: 'A paging parameter is invalid, or a parameter the list does not take was sent' })
  categories(@CurrentCaller() caller: Caller, @Query() query: PageQuery) {
    return this.listCategories.execute(caller, query);
  }

  @Post('bed-categories')
  @RequirePermissions('wards:manage')
  @ApiCreatedResponse({ type: WardBedCategory })
  @ApiProblems({ 400: 'A field is invalid', 409: 'A category of this branch has that code (already-exists)' })
  createCategory(@Body() body: CreateCategoryDto, @CurrentCaller() caller: Caller) {
    return this.createCategoryUseCase.execute(caller, body);
  }

  @Post('bed-categories/defaults')
  @HttpCode(200)
  @RequirePermissions('wards:manage')
  @ApiOperation({ summary: 'Create the usual categories (general, semi-private, private, deluxe, ICU, CCU, ICCU, NICU, HDU, day care) this branch lacks' })
  @ApiOkResponse({ type: WardBedCategoryList, description: 'Every category of the branch, by code, the new ones included' })
  @ApiProblems({})
  async defaults(@CurrentCaller() caller: Caller) {
    return { items: await this.createDefaultCategories.execute(caller) };
  }

  @Post('bed-categories/:id/tariffs')
  @RequirePermissions('wards:manage')
  @ApiOperation({ summary: 'Add a per-day tariff taking effect on a date (earlier versions stay for past stays)' })
  @ApiCreatedResponse({ type: WardBedCategory, description: 'The category with its tariffs' })
  @ApiProblems({
    400: 'The id is not a UUID, or a field is invalid',
    404: 'No such category in service (category-not-found)',
    409: 'The category has a tariff from that date already (already-exists)',
  })
  addTariff(@Param('id', uuid) id: string, @Body() body: TariffDto, @CurrentCaller() caller: Caller) {
    return this.addTariffUseCase.execute(caller, id, body);
  }

  @Post('bed-categories/:id/retire')
  @HttpCode(200)
  @RequirePermissions('wards:manage')
  @ApiOkResponse({ type: WardBedCategory })
  @ApiProblems({ 400: 'The id is not a UUID', 404: 'No such category (category-not-found)', 409: 'Beds of the category are in service (category-in-use)' })
  retireCategory(@Param('id', uuid) id: string, @CurrentCaller() caller: Caller) {
    return this.retireCategoryUseCase.execute(caller, id);
  }

  @Get('wards')
  @RequirePermissions('wards:read')
  @ApiOperation({ summary: 'The branch’s wards by code, a page at a time' })
  @ApiOkResponse({ type: PageOf(WardResponse) })
  @ApiProblems({ 400: 'A paging parameter is invalid, or a parameter the list does not take was sent' })
  wards(@CurrentCaller() caller: Caller, @Query() query: ListWardsQueryDto) {
    return this.listWards.execute(caller, query.includeRetired, query);
  }

  @Get('wards/:id')
  @RequirePermissions('wards:read')
  @ApiOperation({ summary: 'One ward of the branch (retired ones too), with its number of beds in service' })
  @ApiOkResponse({ type: WardResponse })
  @ApiProblems({ 400: 'The id is not a UUID', 404: 'No such ward in this branch (ward-not-found)' })
  ward(@Param('id', uuid) id: string, @CurrentCaller() caller: Caller) {
    return this.getWard.execute(caller, id);
  }

  @Get('wards/:id/rooms')
  @RequirePermissions('wards:read')
  @ApiOperation({ summary: 'The rooms of a ward by code, a page at a time; retired rooms only when asked for' })
  @ApiOkResponse({ type: PageOf(WardRoomResponse) })
  @ApiProblems({ 400: 'The id is not a UUID, or a parameter is invalid: includeRetired, paging', 404: 'No such ward in this branch (ward-not-found)' })
  rooms(@Param('id', uuid) id: string, @Query() query: ListRoomsQueryDto, @CurrentCaller() caller: Caller) {
    return this.listRooms.execute(caller, id, query.includeRetired, { limit: query.limit, offset: query.offset });
  }

  @Get('rooms/:id')
  @RequirePermissions('wards:read')
  @ApiOperation({ summary: 'One room of the branch (retired ones too), with its number of beds in service' })
  @ApiOkResponse({ type: WardRoomResponse })
  @ApiProblems({ 400: 'The id is not a UUID', 404: 'No such room in this branch (room-not-found)' })
  room(@Param('id', uuid) id: string, @CurrentCaller() caller: Caller) {
    return this.getRoom.execute(caller, id);
  }

  @Post('wards')
  @RequirePermissions('wards:manage')
  @ApiCreatedResponse({ type: WardResponse })
  @ApiProblems({ 400: 'A field is invalid', 409: 'A ward of this branch has that code (already-exists)' })
  createWard(@Body() body: CreateWardDto, @CurrentCaller() caller: Caller) {
    return this.createWardUseCase.execute(caller, body);
  }

  @Patch('wards/:id')
  @RequirePermissions('wards:manage')
  @ApiOkResponse({ type: WardResponse })
  @ApiProblems({ 400: 'The id is not a UUID, or a field is invalid', 404: 'No such ward in service (ward-not-found)' })
  updateWard(@Param('id', uuid) id: string, @Body() body: UpdateWardDto, @CurrentCaller() caller: Caller) {
    return this.updateWardUseCase.execute(caller, id, body);
  }

  @Post('wards/:id/retire')
  @HttpCode(200)
  @RequirePermissions('wards:manage')
  @ApiOperation({ summary: 'Retire a ward with its rooms and beds (refused while a bed holds or awaits a patient); lists the beds it retired' })
  @ApiOkResponse({ type: WardRetiredResponse })
  @ApiProblems({ 400: 'The id is not a UUID', 404: 'No such ward in this branch (ward-not-found)', 409: 'A bed of the ward holds or awaits a patient (ward-in-use)' })
  retireWard(@Param('id', uuid) id: string, @CurrentCaller() caller: Caller) {
    return this.retireWardUseCase.execute(caller, id);
  }

  @Post('wards/:id/rooms')
  @RequirePermissions('wards:manage')
  @ApiCreatedResponse({ type: WardRoomResponse })
  @ApiProblems({
    400: 'The id is not a UUID, or the code is invalid',
    404: 'No such ward in service (ward-not-found)',
    409: 'The ward has a room with that code (already-exists)',
  })
  createRoom(@Param('id', uuid) id: string, @Body() body: CreateRoomDto, @CurrentCaller() caller: Caller) {
    return this.createRoomUseCase.execute(caller, id, body.code);
  }

  @Post('rooms/:id/retire')
  @HttpCode(200)
  @RequirePermissions('wards:manage')
  @ApiOperation({ summary: 'Retire a room with its beds (refused while a bed holds or awaits a patient); lists the beds it retired' })
  @ApiOkResponse({ type: WardRoomRetiredResponse })
  @ApiProblems({ 400: 'The id is not a UUID', 404: 'No such room in this branch (room-not-found)', 409: 'A bed of the room holds or awaits a patient (room-in-use)' })
  retireRoom(@Param('id', uuid) id: string, @CurrentCaller() caller: Caller) {
    return this.retireRoomUseCase.execute(caller, id);
  }

  @Post('beds')
  @RequirePermissions('wards:manage')
  @ApiCreatedResponse({ type: WardBedCreatedResponse })
  @ApiProblems({
    400: 'A field is invalid',
    404: 'No such ward (ward-not-found), room of that ward (room-not-found) or category (category-not-found) in service',
    409: 'The ward has a bed with that code (already-exists)',
  })
  createBed(@Body() body: CreateBedDto, @CurrentCaller() caller: Caller) {
    return this.createBedUseCase.execute(caller, body);
  }

  @Post('beds/:id/retire')
  @HttpCode(200)
  @RequirePermissions('wards:manage')
  @ApiOperation({ summary: 'Retire a bed (refused while it is occupied or reserved)' })
  @ApiOkResponse({ type: WardBedRetiredResponse })
  @ApiProblems({ 400: 'The id is not a UUID', 404: 'No such bed in this branch (bed-not-found)', 409: 'The bed is occupied or reserved (bed-in-use)' })
  retireBed(@Param('id', uuid) id: string, @CurrentCaller() caller: Caller) {
    return this.retireBedUseCase.execute(caller, id);
  }
}
