import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query, UseInterceptors } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentCaller, RequirePermissions, type Caller } from '@hms/platform-auth';
import { IdempotencyInterceptor } from '@hms/platform-service';
import { GetTransferUseCase } from '../transfers/get-transfer.use-case';
import { IssueTransferUseCase } from '../transfers/issue-transfer.use-case';
import { ListTransfersUseCase } from '../transfers/list-transfers.use-case';
import { ReceiveTransferUseCase } from '../transfers/receive-transfer.use-case';
import { ListTransfersQuery, StockTransferDto } from './transfers.dto';

const uuid = new ParseUUIDPipe();

@ApiTags('pharmacy: transfers')
@ApiBearerAuth()
@Controller('api/v1/pharmacy')
export class TransfersController {
  constructor(
    private readonly issueTransferUseCase: IssueTransferUseCase,
    private readonly receiveTransferUseCase: ReceiveTransferUseCase,
    private readonly listTransfersUseCase: ListTransfersUseCase,
    private readonly getTransferUseCase: GetTransferUseCase,
  ) {}

  @Post('transfers')
  @RequirePermissions('pharmacy:transfer')
  @UseInterceptors(IdempotencyInterceptor)
  @ApiOperation({ summary: 'Send stock to another store of the branch (FEFO unless a batch is named); with receive: true it is received at once, else it is in transit' })
  transfer(@Body() body: StockTransferDto, @CurrentCaller() caller: Caller) {
    return this.issueTransferUseCase.execute(caller, body);
  }

  @Post('transfers/:id/receive')
  @HttpCode(200)
  @RequirePermissions('pharmacy:transfer')
  @UseInterceptors(IdempotencyInterceptor)
  @ApiOperation({ summary: 'Receive an in-transit transfer into its store (once; a second receipt is 409)' })
  receive(@Param('id', uuid) id: string, @CurrentCaller() caller: Caller) {
    return this.receiveTransferUseCase.execute(caller, id);
  }

  @Get('transfers')
  @RequirePermissions('pharmacy:read')
  list(@CurrentCaller() caller: Caller, @Query() query: ListTransfersQuery) {
    return this.listTransfersUseCase.execute(caller, { status: query.status, storeId: query.storeId }, query);
  }

  @Get('transfers/:id')
  @RequirePermissions('pharmacy:read')
  get(@Param('id', uuid) id: string, @CurrentCaller() caller: Caller) {
    return this.getTransferUseCase.execute(caller, id);
  }
}
