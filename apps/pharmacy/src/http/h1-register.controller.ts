import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentCaller, RequirePermissions, type Caller } from '@hms/platform-auth';
import { ExportH1RegisterUseCase } from '../dispensing/export-h1-register.use-case';
import { ReadH1RegisterUseCase } from '../dispensing/read-h1-register.use-case';
import { ApiProblems } from './api-problems';
import { H1RangeQuery, H1RegisterQuery, PharmacyH1Page } from './h1-register.dto';

@ApiTags('pharmacy: dispensing')
@ApiBearerAuth()
@Controller('api/v1/pharmacy')
export class H1RegisterController {
  constructor(
    private readonly readH1RegisterUseCase: ReadH1RegisterUseCase,
    private readonly exportH1RegisterUseCase: ExportH1RegisterUseCase,
  ) {}

  @Get('h1-register')
  @RequirePermissions('pharmacy:read')
  @ApiOperation({ summary: 'The Schedule H1 register between two dates (inclusive, India); format=csv gives it whole as CSV, as h1-register.csv does' })
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({ type: PharmacyH1Page })
  @ApiProblems({ 400: 'from or to missing or not a real date, from after to, an unknown format, bad paging', 403: 'Lacks pharmacy:read', 422: 'More entries than one CSV export carries (h1-export-too-large)' })
  async h1(@CurrentCaller() caller: Caller, @Res({ passthrough: true }) res: Response, @Query() query: H1RegisterQuery) {
    const range = { from: query.from, to: query.to };
    if (query.format === 'csv') return this.sendCsv(caller, res, range);
    return this.readH1RegisterUseCase.execute(caller, range, query);
  }

  @Get('h1-register.csv')
  @RequirePermissions('pharmacy:read')
  @ApiOperation({ summary: 'The Schedule H1 register between two dates (inclusive, India) as CSV, with the patient id of each supply' })
  @ApiProduces('text/csv')
  @ApiOkResponse({ description: 'text/csv: suppliedOn, suppliedAt, dispenseId, patientId, patientName, prescriber, drug, batch, quantity, pharmacistId', schema: { type: 'string' } })
  @ApiProblems({ 400: 'from or to missing or not a real date, or from after to', 403: 'Lacks pharmacy:read', 422: 'More entries than one export carries (h1-export-too-large)' })
  h1Csv(@CurrentCaller() caller: Caller, @Res({ passthrough: true }) res: Response, @Query() query: H1RangeQuery) {
    return this.sendCsv(caller, res, { from: query.from, to: query.to });
  }

  private async sendCsv(caller: Caller, res: Response, range: { from: string; to: string }): Promise<string> {
    const csv = await this.exportH1RegisterUseCase.execute(caller, range);
    res.setHeader('content-type', 'text/csv; charset=utf-8');
    res.setHeader('content-disposition', `attachment; filename="h1-register-${range.from}-${range.to}.csv"`);
    // Patients' names: no cache keeps a copy.
    res.setHeader('cache-control', 'no-store');
    return csv;
  }
}
