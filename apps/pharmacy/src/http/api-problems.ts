import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiProperty, ApiPropertyOptional, ApiResponse, getSchemaPath } from '@nestjs/swagger';

// Names carry the service's name: schema names must be unique across the services the gateway's
// document merges.

export class PharmacyFieldError {
  @ApiProperty({ example: 'lines[0].expiry' }) field!: string;
  @ApiProperty({ example: 'leaves 30 day(s) of shelf life; this store takes batches with at least 90' }) message!: string;
}

export class PharmacyProblem {
  @ApiProperty({ example: 'urn:hms:problem:shelf-life-too-short' }) type!: string;
  @ApiProperty({ example: 'Unprocessable request' }) title!: string;
  @ApiProperty({ example: 422 }) status!: number;
  @ApiProperty({ example: 'lines[0].expiry leaves 30 day(s) of shelf life; this store takes batches with at least 90' }) detail!: string;
  @ApiProperty({ example: 'shelf-life-too-short', description: 'Stable machine-readable code' }) code!: string;
  @ApiPropertyOptional() instance?: string;
  @ApiPropertyOptional() correlationId?: string;
  @ApiPropertyOptional({ type: [PharmacyFieldError] }) errors?: PharmacyFieldError[];
}

/** problem+json responses of an operation, with what each status means there. */
export function ApiProblems(responses: Record<number, string>) {
  return applyDecorators(
    ApiExtraModels(PharmacyProblem),
    ...Object.entries(responses).map(([status, description]) =>
      ApiResponse({ status: Number(status), description, content: { 'application/problem+json': { schema: { $ref: getSchemaPath(PharmacyProblem) } } } }),
    ),
  );
}

/** The ETag header a change sends back (If-Match). */
export const IF_MATCH = { name: 'If-Match', required: true, description: 'The ETag of the version being changed (from GET or the last change)' };
