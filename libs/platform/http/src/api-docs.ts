import { applyDecorators, type Type } from '@nestjs/common';
import { ApiExtraModels, ApiProperty, ApiPropertyOptional, ApiResponse, ApiSchema, getSchemaPath, type OpenAPIObject } from '@nestjs/swagger';
import type { Page } from './paging';

/** One field a request got wrong, in a problem's `errors`. */
export class ProblemFieldError {
  @ApiProperty({ example: 'lines[0].expiry' }) field!: string;
  @ApiProperty({ example: 'must be a real date (2026-04-01)' }) message!: string;
}

/**
 * An RFC 9457 problem, as every error of every service is answered (`application/problem+json`).
 * One schema for the whole platform: the gateway's merged document holds it once.
 */
@ApiSchema({ name: 'Problem' })
export class ProblemSchema {
  @ApiProperty({ example: 'urn:hms:problem:validation-failed', description: '`urn:hms:problem:<code>`' }) type!: string;
  @ApiProperty({ example: 'Bad request' }) title!: string;
  @ApiProperty({ example: 400 }) status!: number;
  @ApiProperty({ example: 'title must not be blank', description: 'A sentence a person can act on' }) detail!: string;
  @ApiProperty({ example: 'validation-failed', description: 'Stable machine-readable code' }) code!: string;
  @ApiPropertyOptional({ example: '/api/v1/patients' }) instance?: string;
  @ApiPropertyOptional({ description: 'The request’s correlation id, also in the logs' }) correlationId?: string;
  @ApiPropertyOptional({ description: 'On a 500 only: quote it when reporting the error' }) errorId?: string;
  @ApiPropertyOptional({ type: [ProblemFieldError], description: 'The fields at fault, on a 400' }) errors?: ProblemFieldError[];
}

/** The problem+json answers of an operation, each with what that status means there. */
export function ApiProblems(responses: Record<number, string>): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ApiExtraModels(ProblemSchema),
    ...Object.entries(responses).map(([status, description]) =>
      ApiResponse({ status: Number(status), description, content: { 'application/problem+json': { schema: { $ref: getSchemaPath(ProblemSchema) } } } }),
    ),
  );
}

const pages = new WeakMap<Type<unknown>, Type<Page<unknown>>>();

/**
 * The schema of a page of `item` (`{items, limit, offset, nextOffset}`), named `<Item>Page`; one
 * class per item type, so the document defines each page once.
 */
export function PageOf<T>(item: Type<T>): Type<Page<T>> {
  const known = pages.get(item);
  if (known) return known as Type<Page<T>>;
  class ItemPage implements Page<T> {
    @ApiProperty({ type: [item] }) items!: T[];
    @ApiProperty({ example: 20, description: 'The page size asked for (at most 100)' }) limit!: number;
    @ApiProperty({ example: 0 }) offset!: number;
    @ApiProperty({ type: Number, nullable: true, description: 'Offset of the next page; null on the last' }) nextOffset!: number | null;
  }
  Object.defineProperty(ItemPage, 'name', { value: `${item.name}Page` });
  pages.set(item, ItemPage as Type<Page<unknown>>);
  return ItemPage;
}

const problemResponse = (description: string) => ({ description, content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } });

/**
 * Adds to every operation of `document` the problems any operation may answer, so that each
 * operation's decorators name only its own: 401 and 403 on those that need a bearer token (the
 * global guard answers them), and 503 with Retry-After on every one (the database is away). The
 * document must hold the Problem schema (`extraModels: [ProblemSchema]`).
 */
export function documentCommonProblems(document: OpenAPIObject): void {
  for (const item of Object.values(document.paths)) {
    for (const operation of [item.get, item.put, item.post, item.delete, item.patch, item.head, item.options]) {
      if (!operation) continue;
      const responses = operation.responses;
      if (operation.security?.some((s) => 'bearer' in s)) {
        responses['401'] ??= problemResponse('No valid access token (missing, expired, revoked, or its session has ended)');
        responses['403'] ??= problemResponse('The token’s user may not do this in the branch it acts in, or does not hold that branch');
      }
      responses['503'] ??= { ...problemResponse('The database cannot be reached right now; try again after Retry-After seconds'), headers: { 'Retry-After': { schema: { type: 'integer' }, description: 'Seconds to wait' } } };
    }
  }
}
