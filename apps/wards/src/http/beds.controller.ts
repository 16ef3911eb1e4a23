import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentCaller, RequirePermissions, type Caller } from '@hms/platform-auth';
import { ApiProblems, PageOf } from '@hms/platform-http';
import { ChangeBedStateUseCase } from '../beds/change-bed-state.use-case';
import { GetBedUseCase } from '../beds/get-bed.use-case';
import { ListBedHistoryUseCase } from '../beds/list-bed-history.use-case';
import { BedHistoryQueryDto, BedStateDto, WardBedHistoryEntry, WardBedResponse } from './beds.dto';

const uuid = new ParseUUIDPipe();

@ApiTags('wards: beds')
@ApiBearerAuth()
@Controller('api/v1/wards')
export class BedsController {
  constructor(
    private readonly getBed: GetBedUseCase,
    private readonly changeBedState: ChangeBedStateUseCase,
    private readonly listBedHistory: ListBedHistoryUseCase,
  ) {}

  @Get('beds/:id')
  @RequirePermissions('wards:read')
  @ApiOkResponse({ type: WardBedResponse })
  @ApiProblems({ 400: 'The id is not a UUID', 404: 'No such bed in this branch (bed-not-found)' })
  bed(@Param('id', uuid) id: string, @CurrentCaller() caller: Caller) {
    return this.getBed.execute(caller, id);
  }

  @Put('beds/:id/state')
  @RequirePermissions('wards:read')
  @ApiOperation({
    summary: 'Change a bed’s state by hand: maintenance or blocked (wards:manage), reserved or released (wards:admit), cleaned (wards:housekeeping)',
  })
  @ApiOkResponse({ type: WardBedResponse, description: 'The bed in its new state (unchanged when it was in that state already)' })
  @ApiProblems({
    400: 'A field is invalid, or a reservation names no patient',
    404: 'No such bed in service (bed-not-found), or no such active patient to reserve it for (patient-unknown)',
    409: 'The bed cannot go to that state from its own (bed-state-transition), or is reserved for another patient (bed-reserved)',
  })
  changeState(@Param('id', uuid) id: string, @Body() body: BedStateDto, @CurrentCaller() caller: Caller) {
    return this.changeBedState.execute(caller, id, { to: body.state, reason: body.reason ?? null, patientId: body.patientId ?? null });
  }

  @Post('beds/:id/clean')
  @HttpCode(200)
  @RequirePermissions('wards:housekeeping')
  @ApiOperation({ summary: 'Housekeeping: the bed is clean and available again' })
  @ApiOkResponse({ type: WardBedResponse, description: 'The bed, available' })
  @ApiProblems({ 400: 'The id is not a UUID', 404: 'No such bed in service (bed-not-found)', 409: 'The bed cannot become available from its state, e.g. occupied (bed-state-transition)' })
  clean(@Param('id', uuid) id: string, @CurrentCaller() caller: Caller) {
    return this.changeBedState.execute(caller, id, { to: 'available', reason: 'cleaned', patientId: null });
  }

  @Get('beds/:id/history')
  @RequirePermissions('wards:read')
  @ApiOkResponse({ type: PageOf(WardBedHistoryEntry) })
  @ApiProblems({ 400: 'The id is not a UUID, or the paging is invalid', 404: 'No such bed in this branch (bed-not-found)' })
  history(@Param('id', uuid) id: string, @CurrentCaller() caller: Caller, @Query() query: BedHistoryQueryDto) {
    return this.listBedHistory.execute(caller, id, { limit: query.limit, offset: query.offset });
  }
}
