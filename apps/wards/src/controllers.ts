import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Put, Query, UseInterceptors } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { DomainError } from '@hms/contracts-common';
import type { BedState } from '@hms/contracts-wards';
import { CurrentCaller, RequirePermissions, type Caller } from '@hms/platform-auth';
import { pageRequest, ApiPaging } from '@hms/platform-http';
import { IdempotencyInterceptor } from '@hms/platform-service';
import { AdmissionsService } from './admissions/admissions.service';
import { BedsService } from './beds/beds.service';
import { BoardService } from './board/board.service';
import {
  AdmitDto,
  BedStateDto,
  CreateBedDto,
  CreateCategoryDto,
  CreateRoomDto,
  CreateWardDto,
  DischargeDto,
  ListRoomsQueryDto,
  OccupancyQueryDto,
  TariffDto,
  BedTransferDto,
  UpdateWardDto,
} from './dto';
import { MastersService } from './masters/masters.service';
import { ApiWardsProblems, WardResponse, WardRetiredResponse, WardRoomPage, WardRoomResponse, WardRoomRetiredResponse } from './openapi';

const uuid = new ParseUUIDPipe();

@ApiTags('wards: masters')
@ApiBearerAuth()
@Controller('api/v1/wards')
export class MastersController {
  constructor(private readonly masters: MastersService) {}

  @Get('bed-categories')
  @RequirePermissions('wards:read')
  @ApiOperation({ summary: 'Bed categories with their dated tariffs and the one in force today' })
  async categories(@CurrentCaller() caller: Caller) {
    return { items: await this.masters.listCategories(caller) };
  }

  @Post('bed-categories')
  @RequirePermissions('wards:manage')
  createCategory(@Body() body: CreateCategoryDto, @CurrentCaller() caller: Caller) {
    return this.masters.createCategory(caller, body);
  }

  @Post('bed-categories/defaults')
  @HttpCode(200)
  @RequirePermissions('wards:manage')
  @ApiOperation({ summary: 'Create the usual categories (general, semi-private, private, deluxe, ICU, CCU, ICCU, NICU, HDU, day care) this branch lacks' })
  async defaults(@CurrentCaller() caller: Caller) {
    return { items: await this.masters.createDefaultCategories(caller) };
  }

  @Post('bed-categories/:id/tariffs')
  @RequirePermissions('wards:manage')
  @ApiOperation({ summary: 'Add a per-day tariff taking effect on a date (earlier versions stay for past stays)' })
  addTariff(@Param('id', uuid) id: string, @Body() body: TariffDto, @CurrentCaller() caller: Caller) {
    return this.masters.addTariff(caller, id, body.effectiveFrom, body.dailyRatePaise);
  }

  @Post('bed-categories/:id/retire')
  @HttpCode(200)
  @RequirePermissions('wards:manage')
  retireCategory(@Param('id', uuid) id: string, @CurrentCaller() caller: Caller) {
    return this.masters.retireCategory(caller, id);
  }

  @Get('wards')
  @RequirePermissions('wards:read')
  @ApiQuery({ name: 'includeRetired', required: false })
  async wards(@CurrentCaller() caller: Caller, @Query('includeRetired') includeRetired?: string) {
    return { items: await this.masters.listWards(caller, includeRetired === 'true') };
  }

  @Get('wards/:id')
  @RequirePermissions('wards:read')
  @ApiOperation({ summary: 'One ward of the branch (retired ones too), with its number of beds in service' })
  @ApiOkResponse({ type: WardResponse })
  @ApiWardsProblems(400, 401, 403, 404)
  ward(@Param('id', uuid) id: string, @CurrentCaller() caller: Caller) {
    return this.masters.getWard(caller, id);
  }

  @Get('wards/:id/rooms')
  @RequirePermissions('wards:read')
  @ApiOperation({ summary: 'The rooms of a ward by code, a page at a time; retired rooms only when asked for' })
  @ApiOkResponse({ type: WardRoomPage })
  @ApiWardsProblems(400, 401, 403, 404)
  rooms(@Param('id', uuid) id: string, @Query() query: ListRoomsQueryDto, @CurrentCaller() caller: Caller) {
    return this.masters.listRooms(caller, id, query.includeRetired === 'true', pageRequest(query.limit, query.offset));
  }

  @Get('rooms/:id')
  @RequirePermissions('wards:read')
  @ApiOperation({ summary: 'One room of the branch (retired ones too), with its number of beds in service' })
  @ApiOkResponse({ type: WardRoomResponse })
  @ApiWardsProblems(400, 401, 403, 404)
  room(@Param('id', uuid) id: string, @CurrentCaller() caller: Caller) {
    return this.masters.getRoom(caller, id);
  }

  @Post('wards')
  @RequirePermissions('wards:manage')
  createWard(@Body() body: CreateWardDto, @CurrentCaller() caller: Caller) {
    return this.masters.createWard(caller, body);
  }

  @Patch('wards/:id')
  @RequirePermissions('wards:manage')
  updateWard(@Param('id', uuid) id: string, @Body() body: UpdateWardDto, @CurrentCaller() caller: Caller) {
    return this.masters.updateWard(caller, id, body);
  }

  @Post('wards/:id/retire')
  @HttpCode(200)
  @RequirePermissions('wards:manage')
  @ApiOperation({ summary: 'Retire a ward with its rooms and beds (refused while a bed holds or awaits a patient); lists the beds it retired' })
  @ApiOkResponse({ type: WardRetiredResponse })
  @ApiWardsProblems(400, 401, 403, 404, 409)
  retireWard(@Param('id', uuid) id: string, @CurrentCaller() caller: Caller) {
    return this.masters.retireWard(caller, id);
  }

  @Post('wards/:id/rooms')
  @RequirePermissions('wards:manage')
  createRoom(@Param('id', uuid) id: string, @Body() body: CreateRoomDto, @CurrentCaller() caller: Caller) {
    return this.masters.createRoom(caller, id, body.code);
  }

  @Post('rooms/:id/retire')
  @HttpCode(200)
  @RequirePermissions('wards:manage')
  @ApiOperation({ summary: 'Retire a room with its beds (refused while a bed holds or awaits a patient); lists the beds it retired' })
  @ApiOkResponse({ type: WardRoomRetiredResponse })
  @ApiWardsProblems(400, 401, 403, 404, 409)
  retireRoom(@Param('id', uuid) id: string, @CurrentCaller() caller: Caller) {
    return this.masters.retireRoom(caller, id);
  }

  @Post('beds')
  @RequirePermissions('wards:manage')
  createBed(@Body() body: CreateBedDto, @CurrentCaller() caller: Caller) {
    return this.masters.createBed(caller, body);
  }

  @Post('beds/:id/retire')
  @HttpCode(200)
  @RequirePermissions('wards:manage')
  @ApiOperation({ summary: 'Retire a bed (refused while it is occupied or reserved)' })
  retireBed(@Param('id', uuid) id: string, @CurrentCaller() caller: Caller) {
    return this.masters.retireBed(caller, id);
  }
}

@ApiTags('wards: beds')
@ApiBearerAuth()
@Controller('api/v1/wards')
export class BedsController {
  constructor(
    private readonly beds: BedsService,
    private readonly board: BoardService,
  ) {}

  @Get('beds/:id')
  @RequirePermissions('wards:read')
  bed(@Param('id', uuid) id: string, @CurrentCaller() caller: Caller) {
    return this.beds.get(caller, id);
  }

  @Put('beds/:id/state')
  @RequirePermissions('wards:read')
  @ApiOperation({
    summary: 'Change a bed’s state by hand: maintenance or blocked (wards:manage), reserved or released (wards:admit), cleaned (wards:housekeeping)',
  })
  changeState(@Param('id', uuid) id: string, @Body() body: BedStateDto, @CurrentCaller() caller: Caller) {
    return this.beds.changeState(caller, id, body.state as BedState, body.reason ?? null, body.patientId ?? null);
  }

  @Post('beds/:id/clean')
  @HttpCode(200)
  @RequirePermissions('wards:housekeeping')
  @ApiOperation({ summary: 'Housekeeping: the bed is clean and available again' })
  clean(@Param('id', uuid) id: string, @CurrentCaller() caller: Caller) {
    return this.beds.changeState(caller, id, 'available', 'cleaned', null);
  }

  @Get('beds/:id/history')
  @RequirePermissions('wards:read')
  @ApiPaging()
  history(@Param('id', uuid) id: string, @CurrentCaller() caller: Caller, @Query('limit') limit?: string, @Query('offset') offset?: string) {
    const page = pageRequest(limit, offset);
    return this.beds.history(caller, id, page.limit, page.offset).then((items) => ({ items, limit: page.limit, offset: page.offset }));
  }

  @Get('bed-board')
  @RequirePermissions('wards:read')
  @ApiOperation({ summary: 'The live bed board: every bed, its state and since when, and who is in it' })
  @ApiQuery({ name: 'wardId', required: false })
  bedBoard(@CurrentCaller() caller: Caller, @Query('wardId') wardId?: string) {
    if (wardId !== undefined && !/^[0-9a-f-]{36}$/i.test(wardId)) throw new DomainError('validation', 'validation-failed', 'wardId must be a ward id');
    return this.board.board(caller, wardId);
  }

  @Get('census')
  @RequirePermissions('wards:read')
  @ApiOperation({ summary: 'Beds by state now, by ward and by category' })
  census(@CurrentCaller() caller: Caller) {
    return this.board.census(caller);
  }

  @Get('occupancy')
  @RequirePermissions('wards:read')
  @ApiOperation({ summary: 'Occupancy and average length of stay over a date range (Indian dates, both ends included, at most 366 days)' })
  @ApiWardsProblems(400, 401, 403)
  occupancy(@CurrentCaller() caller: Caller, @Query() query: OccupancyQueryDto) {
    return this.board.occupancy(caller, query.from, query.to);
  }
}

@ApiTags('wards: admissions')
@ApiBearerAuth()
@Controller('api/v1/wards/admissions')
export class AdmissionsController {
  constructor(private readonly admissions: AdmissionsService) {}

  @Post()
  @RequirePermissions('wards:admit')
  @UseInterceptors(IdempotencyInterceptor)
  @ApiOperation({
    summary:
      'Admit a registered patient to a bed; issues the IP number. A retired bed is 409 bed-retired; a ward whose gender policy the patient does not fit is 422 ward-gender-policy unless genderPolicyOverride gives a reason',
  })
  @ApiWardsProblems(400, 401, 403, 404, 409, 422)
  admit(@Body() body: AdmitDto, @CurrentCaller() caller: Caller) {
    return this.admissions.admit(caller, body);
  }

  @Get()
  @RequirePermissions('wards:read')
  @ApiQuery({ name: 'status', required: false, enum: ['admitted', 'discharged'] })
  @ApiQuery({ name: 'patientId', required: false })
  @ApiQuery({ name: 'wardId', required: false })
  @ApiPaging()
  list(
    @CurrentCaller() caller: Caller,
    @Query('status') status?: string,
    @Query('patientId') patientId?: string,
    @Query('wardId') wardId?: string,
    @Query('limit') limit?: string,
    @Query('offset') offset?: string,
  ) {
    if (status !== undefined && status !== 'admitted' && status !== 'discharged') throw new DomainError('validation', 'validation-failed', 'status is admitted or discharged');
    for (const [field, v] of [['patientId', patientId], ['wardId', wardId]] as const) {
      if (v !== undefined && !/^[0-9a-f-]{36}$/i.test(v)) throw new DomainError('validation', 'validation-failed', `${field} must be an id`);
    }
    return this.admissions.list(caller, { status, patientId, wardId }, pageRequest(limit, offset));
  }

  @Get(':id')
  @RequirePermissions('wards:read')
  get(@Param('id', uuid) id: string, @CurrentCaller() caller: Caller) {
    return this.admissions.get(caller, id);
  }

  @Post(':id/transfer')
  @HttpCode(200)
  @RequirePermissions('wards:transfer')
  @ApiOperation({
    summary:
      'Move the patient to another bed or ward in one step; the old bed goes to cleaning. Into another ward whose gender policy the patient does not fit: 422 ward-gender-policy unless genderPolicyOverride gives a reason',
  })
  @ApiWardsProblems(400, 401, 403, 404, 409, 422)
  transfer(@Param('id', uuid) id: string, @Body() body: BedTransferDto, @CurrentCaller() caller: Caller) {
    return this.admissions.transfer(caller, id, body);
  }

  @Post(':id/discharge')
  @HttpCode(200)
  @RequirePermissions('wards:discharge')
  @ApiOperation({ summary: 'Discharge: an uncleared bill warns and records dues but never blocks (REC-05)' })
  discharge(@Param('id', uuid) id: string, @Body() body: DischargeDto, @CurrentCaller() caller: Caller) {
    return this.admissions.discharge(caller, id, body);
  }
}
