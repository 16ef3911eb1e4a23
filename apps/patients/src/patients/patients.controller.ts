import { Body, Controller, Get, Headers, HttpCode, Param, ParseUUIDPipe, Patch, Post, Put, Query, Res, UseInterceptors } from '@nestjs/common';
import { ApiBearerAuth, ApiConflictResponse, ApiCreatedResponse, ApiHeader, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentCaller, RequirePermissions, type Caller } from '@hms/platform-auth';
import { etagOf, pageRequest, versionFromIfMatch } from '@hms/platform-http';
import { IdempotencyInterceptor } from '@hms/platform-service';
import { MergePatientDto, RegisterPatientDto, UhidSettingsDto, UpdatePatientDto } from './dto';
import { PatientsService } from './patients.service';

const uuid = new ParseUUIDPipe();

@ApiTags('patients')
@ApiBearerAuth()
@Controller('api/v1/patients')
export class PatientsController {
  constructor(private readonly patients: PatientsService) {}

  @Post()
  @RequirePermissions('patients:register')
  @UseInterceptors(IdempotencyInterceptor)
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Retry-safe registration' })
  @ApiOperation({ summary: 'Register a patient; issues a permanent UHID' })
  @ApiCreatedResponse({ description: 'Registered: id, uhid, warnings[] and the record' })
  @ApiConflictResponse({ description: 'Likely duplicates (candidates listed); repeat with confirmedNotDuplicate to register anyway' })
  async register(@Body() body: RegisterPatientDto, @CurrentCaller() caller: Caller, @Res({ passthrough: true }) res: Response) {
    const patient = await this.patients.register(caller, body);
    res.setHeader('etag', etagOf(patient.version));
    res.setHeader('location', `/api/v1/patients/${patient.id}`);
    return patient;
  }

  @Get()
  @RequirePermissions('patients:read')
  @ApiOperation({ summary: 'Find patients by UHID, phone or ABHA (exact) or by name (fuzzy, any script)' })
  @ApiQuery({ name: 'q', example: 'Hina Patel' })
  @ApiQuery({ name: 'limit', required: false })
  @ApiQuery({ name: 'offset', required: false })
  search(@CurrentCaller() caller: Caller, @Query('q') q?: string, @Query('limit') limit?: string, @Query('offset') offset?: string) {
    return this.patients.search(caller, typeof q === 'string' ? q : '', pageRequest(limit, offset));
  }

  @Get('settings/uhid')
  @RequirePermissions('patients:read')
  @ApiOperation({ summary: "The branch's UHID prefix and next number" })
  uhidSettings(@CurrentCaller() caller: Caller) {
    return this.patients.uhidSettings(caller);
  }

  @Put('settings/uhid')
  @RequirePermissions('patients:configure')
  @ApiOperation({ summary: "Set the branch's UHID prefix (before its first registration only)" })
  setUhid(@Body() body: UhidSettingsDto, @CurrentCaller() caller: Caller) {
    return this.patients.setUhidPrefix(caller, body.prefix);
  }

  @Get('by-uhid/:uhid')
  @RequirePermissions('patients:read')
  @ApiOperation({ summary: 'The patient a UHID names (a merged record’s UHID gives the survivor)' })
  async byUhid(@Param('uhid') uhid: string, @CurrentCaller() caller: Caller, @Res({ passthrough: true }) res: Response) {
    const patient = await this.patients.getByUhid(caller, uhid);
    res.setHeader('etag', etagOf(patient.version));
    return patient;
  }

  @Get(':id')
  @RequirePermissions('patients:read')
  async get(@Param('id', uuid) id: string, @CurrentCaller() caller: Caller, @Res({ passthrough: true }) res: Response) {
    const patient = await this.patients.get(caller, id);
    res.setHeader('etag', etagOf(patient.version));
    return patient;
  }

  @Patch(':id')
  @RequirePermissions('patients:update')
  @ApiHeader({ name: 'If-Match', required: true, description: 'ETag of the version being changed' })
  @ApiOperation({ summary: 'Change a patient (optimistic concurrency with If-Match)' })
  async update(
    @Param('id', uuid) id: string,
    @Body() body: UpdatePatientDto,
    @Headers('if-match') ifMatch: string | undefined,
    @CurrentCaller() caller: Caller,
    @Res({ passthrough: true }) res: Response,
  ) {
    const patient = await this.patients.update(caller, id, versionFromIfMatch(ifMatch), body);
    res.setHeader('etag', etagOf(patient.version));
    return patient;
  }

  @Post(':id/merge')
  @HttpCode(200)
  @RequirePermissions('patients:merge')
  @ApiOperation({ summary: 'Merge another record into this one (this one survives)' })
  async merge(@Param('id', uuid) id: string, @Body() body: MergePatientDto, @CurrentCaller() caller: Caller, @Res({ passthrough: true }) res: Response) {
    const patient = await this.patients.merge(caller, id, body.mergedPatientId.toLowerCase());
    res.setHeader('etag', etagOf(patient.version));
    return patient;
  }
}
