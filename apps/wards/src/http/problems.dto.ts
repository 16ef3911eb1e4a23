import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiProperty, ApiPropertyOptional, ApiResponse, getSchemaPath } from '@nestjs/swagger';
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
