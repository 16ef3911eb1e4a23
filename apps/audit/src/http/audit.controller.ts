import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentCaller, RequirePermissions, type Caller } from '@hms/platform-auth';
import { ApiPaging, ApiProblems, pageRequest } from '@hms/platform-http';
import { QueryTrailUseCase } from '../trail/query-trail.use-case';
import { VerifyChainUseCase } from '../trail/verify-chain.use-case';
import { AuditChainVerification, AuditEventsQueryDto, AuditTrailEntryPage } from './audit.dto';

@ApiTags('audit')
@ApiBearerAuth()
@Controller('api/v1/audit')
export class AuditController {
  constructor(
    private readonly queryTrail: QueryTrailUseCase,
    private readonly verifyChain: VerifyChainUseCase,
  ) {}

  @Get('events')
  @RequirePermissions('audit:read')
  @ApiOperation({ summary: 'Who did what to which patient: the audit trail of your branch, newest first' })
  @ApiPaging()
  @ApiOkResponse({ type: AuditTrailEntryPage })
  @ApiProblems({ 400: 'A filter or paging parameter is invalid (from after to, among others), or X-Branch-Id is missing (several branches, no home branch) or not a UUID' })
  events(@CurrentCaller() caller: Caller, @Query() query: AuditEventsQueryDto) {
    return this.queryTrail.execute(caller, query, pageRequest(query.limit, query.offset));
  }

  @Get('verify')
  @RequirePermissions('audit:read')
  @ApiOperation({
    summary: 'Check the whole hash chain: detects altered, removed or reordered entries',
    description: 'A branch’s auditor sees the count of their branch’s entries; platform:audit sees every branch’s.',
  })
  @ApiOkResponse({ type: AuditChainVerification })
  @ApiProblems({ 400: 'X-Branch-Id is missing (several branches, no home branch) or not a UUID' })
  verify(@CurrentCaller() caller: Caller) {
    return this.verifyChain.execute(caller);
  }
}
