import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query, UseInterceptors } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentCaller, RequirePermissions, type Caller } from '@hms/platform-auth';
import { ApiProblems, PageOf } from '@hms/platform-http';
import { IdempotencyInterceptor } from '@hms/platform-service';
import { GetTransferUseCase } from '../transfers/get-transfer.use-case';
import { IssueTransferUseCase } from '../transfers/issue-transfer.use-case';
import { ListTransfersUseCase } from '../transfers/list-transfers.use-case';
import { ReceiveTransferUseCase } from '../transfers/receive-transfer.use-case';
import { ListTransfersQuery, PharmacyTransfer, StockTransferDto } from './transfers.dto';

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
  @ApiCreatedResponse({ type: PharmacyTransfer })
  @ApiProblems({
    400: 'A field is invalid, the same store at both ends, an item or batch that does not exist, a batch named twice or not of its line’s item, or a malformed Idempotency-Key',
    404: 'No such issuing or receiving store (store-not-found)',
    409: 'Not enough usable stock (insufficient-stock), or a balance that would pass the largest one (quantity-too-large)',
    422: 'A named batch has expired (batch-expired), a store is deactivated (store-inactive), or an Idempotency-Key used for a different request (idempotency-key-reused)',
  })
  transfer(@Body() body: StockTransferDto, @CurrentCaller() caller: Caller) {
    return this.issueTransferUseCase.execute(caller, body);
  }

  @Post('transfers/:id/receive')
  @HttpCode(200)
  @RequirePermissions('pharmacy:transfer')
  @UseInterceptors(IdempotencyInterceptor)
  @ApiOperation({ summary: 'Receive an in-transit transfer into its store (once; a second receipt is 409)' })
  @ApiOkResponse({ type: PharmacyTransfer })
  @ApiProblems({
    400: 'A malformed id, or a malformed Idempotency-Key',
    404: 'No such transfer in this branch (transfer-not-found)',
    409: 'Received already (transfer-already-received), or a balance that would pass the largest one (quantity-too-large)',
    422: 'An Idempotency-Key used for a different request (idempotency-key-reused)',
  })
  receive(@Param('id', uuid) id: string, @CurrentCaller() caller: Caller) {
    return this.receiveTransferUseCase.execute(caller, id);
  }

  @Get('transfers')
  @RequirePermissions('pharmacy:read')
  @ApiOperation({ summary: 'Transfers, newest first, by status and by a store at either end, with their batches' })
  @ApiOkResponse({ type: PageOf(PharmacyTransfer) })
  @ApiProblems({ 400: 'A parameter is invalid: status, storeId, paging' })
  list(@CurrentCaller() caller: Caller, @Query() query: ListTransfersQuery) {
    return this.listTransfersUseCase.execute(caller, { status: query.status, storeId: query.storeId }, query);
  }

  @Get('transfers/:id')
  @RequirePermissions('pharmacy:read')
  @ApiOperation({ summary: 'One transfer with its batches' })
  @ApiOkResponse({ type: PharmacyTransfer })
  @ApiProblems({ 400: 'A malformed id', 404: 'No such transfer in this branch (transfer-not-found)' })
  get(@Param('id', uuid) id: string, @CurrentCaller() caller: Caller) {
    return this.getTransferUseCase.execute(caller, id);
  }
}
