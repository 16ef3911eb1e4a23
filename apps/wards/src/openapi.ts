import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiProperty, ApiPropertyOptional, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { BED_STATES, WARD_GENDER_POLICIES } from '@hms/contracts-wards';
import { PROBLEM_CONTENT_TYPE } from '@hms/platform-http';

// Response documents of the wards API as OpenAPI schemas. Names carry "Ward" or "Wards" so that
// they stay unique in the gateway's merged document.

export class WardsFieldError {
  @ApiProperty({ example: 'name' }) field!: string;
  @ApiProperty({ example: 'name must not be empty or only spaces' }) message!: string;
}

/** RFC 9457 problem details, as every error of the platform is answered. */
export class WardsProblem {
  @ApiProperty({ example: 'urn:hms:problem:ward-not-found' }) type!: string;
  @ApiProperty({ example: 'Not found' }) title!: string;
  @ApiProperty({ example: 404 }) status!: number;
  @ApiProperty({ example: 'The ward was not found' }) detail!: string;
  @ApiProperty({ example: 'ward-not-found', description: 'Stable code to act on' }) code!: string;
  @ApiPropertyOptional() instance?: string;
  @ApiPropertyOptional() correlationId?: string;
  @ApiPropertyOptional({ type: [WardsFieldError], description: 'For 400: each field refused, and why' }) errors?: WardsFieldError[];
}

const PROBLEM_DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid request: the problem names each field refused',
  401: 'No valid access token',
  403: 'The caller lacks the permission in this branch (permission-missing)',
  404: 'Not found in this branch',
  409: 'Conflicts with the current state',
  422: 'Well formed, but refused by a rule',
};

/** Documents the problem+json answers a route may give. */
export function ApiWardsProblems(...statuses: (400 | 401 | 403 | 404 | 409 | 422)[]) {
  return applyDecorators(
    ApiExtraModels(WardsProblem),
    ...statuses.map((status) =>
      ApiResponse({ status, description: PROBLEM_DESCRIPTIONS[status], content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: getSchemaPath(WardsProblem) } } } }),
    ),
  );
}

export class WardResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'W3' }) code!: string;
  @ApiProperty({ example: 'Medical ward 3' }) name!: string;
  @ApiProperty({ type: String, nullable: true, example: '3' }) floor!: string | null;
  @ApiProperty({ enum: WARD_GENDER_POLICIES }) genderPolicy!: string;
  @ApiProperty({ type: String, nullable: true, example: 'General medicine' }) speciality!: string | null;
  @ApiProperty() retired!: boolean;
  @ApiProperty({ description: 'Beds in service (not retired)', example: 24 }) beds!: number;
}

export class WardRoomResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) wardId!: string;
  @ApiProperty({ example: 'R301' }) code!: string;
  @ApiProperty() retired!: boolean;
  @ApiProperty({ description: 'Beds in service (not retired)', example: 2 }) beds!: number;
}

export class WardRoomPage {
  @ApiProperty({ type: [WardRoomResponse] }) items!: WardRoomResponse[];
  @ApiProperty({ example: 20 }) limit!: number;
  @ApiProperty({ example: 0 }) offset!: number;
  @ApiProperty({ type: Number, nullable: true, description: 'Offset of the next page, or null on the last page' }) nextOffset!: number | null;
}

export class WardRetiredBed {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'B12' }) code!: string;
  @ApiProperty({ enum: BED_STATES, description: 'The state the bed was in when it was retired' }) state!: string;
}

export class WardRoomRetiredResponse extends WardRoomResponse {
  @ApiProperty({ type: [WardRetiredBed], description: 'The beds this retirement took out of service' }) retiredBeds!: WardRetiredBed[];
}

export class WardRetiredResponse extends WardResponse {
  @ApiProperty({ type: [WardRetiredBed], description: 'The beds this retirement took out of service' }) retiredBeds!: WardRetiredBed[];
}
