import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiExtraModels, ApiOkResponse, ApiOperation, ApiTags, getSchemaPath } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentCaller, RequirePermissions, type Caller } from '@hms/platform-auth';
import { ApiProblems, PageOf } from '@hms/platform-http';
import { ExportH1RegisterUseCase } from '../dispensing/export-h1-register.use-case';
import { ReadH1RegisterUseCase } from '../dispensing/read-h1-register.use-case';
import { H1RangeQuery, H1RegisterQuery, PharmacyH1Entry } from './h1-register.dto';

const H1_PAGE = PageOf(PharmacyH1Entry);
const CSV = 'suppliedOn, suppliedAt, dispenseId, patientId, patientName, prescriberName, prescriberRegistrationNumber, prescriberAddress, drugName, batchNo, quantity, pharmacistId';

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
  @ApiExtraModels(H1_PAGE)
  @ApiOkResponse({
    description: `A page of the register; with format=csv the whole period as text/csv (${CSV})`,
    content: { 'application/json': { schema: { $ref: getSchemaPath(H1_PAGE) } }, 'text/csv': { schema: { type: 'string' } } },
  })
  @ApiProblems({ 400: 'from or to missing or not a real date, from after to, an unknown format, bad paging', 422: 'format=csv: more entries than one CSV export carries (h1-export-too-large)' })
  async h1(@CurrentCaller() caller: Caller, @Res({ passthrough: true }) res: Response, @Query() query: H1RegisterQuery) {
    const range = { from: query.from, to: query.to };
    if (query.format === 'csv') return this.sendCsv(caller, res, range);
    return this.readH1RegisterUseCase.execute(caller, range, query);
  }

  @Get('h1-register.csv')
  @RequirePermissions('pharmacy:read')
  @ApiOperation({ summary: 'The Schedule H1 register between two dates (inclusive, India) as CSV, with the patient id of each supply' })
  @ApiOkResponse({ description: `The register as CSV: ${CSV}`, content: { 'text/csv': { schema: { type: 'string' } } } })
  @ApiProblems({ 400: 'from or to missing or not a real date, or from after to', 422: 'More entries than one export carries (h1-export-too-large)' })
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
