import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentCaller, RequirePermissions, type Caller } from '@hms/platform-auth';
import { ChangeBedStateUseCase } from '../beds/change-bed-state.use-case';
import { GetBedUseCase } from '../beds/get-bed.use-case';
import { ListBedHistoryUseCase } from '../beds/list-bed-history.use-case';
import { BedHistoryQueryDto, BedStateDto } from './beds.dto';

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
  bed(@Param('id', uuid) id: string, @CurrentCaller() caller: Caller) {
    return this.getBed.execute(caller, id);
  }

  @Put('beds/:id/state')
  @RequirePermissions('wards:read')
  @ApiOperation({
    summary: 'Change a bed’s state by hand: maintenance or blocked (wards:manage), reserved or released (wards:admit), cleaned (wards:housekeeping)',
  })
  changeState(@Param('id', uuid) id: string, @Body() body: BedStateDto, @CurrentCaller() caller: Caller) {
    return this.changeBedState.execute(caller, id, { to: body.state, reason: body.reason ?? null, patientId: body.patientId ?? null });
  }

  @Post('beds/:id/clean')
  @HttpCode(200)
  @RequirePermissions('wards:housekeeping')
  @ApiOperation({ summary: 'Housekeeping: the bed is clean and available again' })
  clean(@Param('id', uuid) id: string, @CurrentCaller() caller: Caller) {
    return this.changeBedState.execute(caller, id, { to: 'available', reason: 'cleaned', patientId: null });
  }

  @Get('beds/:id/history')
  @RequirePermissions('wards:read')
  history(@Param('id', uuid) id: string, @CurrentCaller() caller: Caller, @Query() query: BedHistoryQueryDto) {
    return this.listBedHistory.execute(caller, id, { limit: query.limit, offset: query.offset });
  }
}
