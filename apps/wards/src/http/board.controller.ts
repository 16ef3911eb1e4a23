import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentCaller, RequirePermissions, type Caller } from '@hms/platform-auth';
import { ApiProblems } from '@hms/platform-http';
import { BedBoardUseCase } from '../board/bed-board.use-case';
import { CensusUseCase } from '../board/census.use-case';
import { OccupancyUseCase } from '../board/occupancy.use-case';
import { BedBoardQueryDto, OccupancyQueryDto, WardBedBoard, WardCensus, WardOccupancy } from './board.dto';

// Served with the beds' routes until this split; the operation ids stay as the published document has them.
@ApiTags('wards: beds')
@ApiBearerAuth()
@Controller('api/v1/wards')
export class BoardController {
  constructor(
    private readonly bedBoard: BedBoardUseCase,
    private readonly censusUseCase: CensusUseCase,
    private readonly occupancyUseCase: OccupancyUseCase,
  ) {}

  @Get('bed-board')
  @RequirePermissions('wards:read')
  @ApiOperation({ operationId: 'BedsController_bedBoard', summary: 'The live bed board: every bed, its state and since when, and who is in it' })
  @ApiOkResponse({ type: WardBedBoard })
  @ApiProblems({ 400: 'wardId is not an id, or a parameter the board does not take was sent' })
  board(@CurrentCaller() caller: Caller, @Query() query: BedBoardQueryDto) {
    return this.bedBoard.execute(caller, query.wardId);
  }

  @Get('census')
  @RequirePermissions('wards:read')
  @ApiOperation({ operationId: 'BedsController_census', summary: 'Beds by state now, by ward and by category' })
  @ApiOkResponse({ type: WardCensus })
  @ApiProblems({})
  census(@CurrentCaller() caller: Caller) {
    return this.censusUseCase.execute(caller);
  }

  @Get('occupancy')
  @RequirePermissions('wards:read')
  @ApiOperation({ operationId: 'BedsController_occupancy', summary: 'Occupancy and average length of stay over a date range (Indian dates, both ends included, at most 366 days)' })
  @ApiOkResponse({ type: WardOccupancy })
  @ApiProblems({ 400: 'from or to is not a real date, to is before from, or the range is longer than 366 days' })
  occupancy(@CurrentCaller() caller: Caller, @Query() query: OccupancyQueryDto) {
    return this.occupancyUseCase.execute(caller, query.from, query.to);
  }
}
