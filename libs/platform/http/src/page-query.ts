import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ValidateBy } from 'class-validator';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, type PageRequest } from './paging';

const MAX_OFFSET = 1_000_000;

/** A query value that must be a whole number in a range; one message whatever is wrong with it. */
export function WholeNumber(min: number, max: number, message: string): PropertyDecorator {
  return ValidateBy({ name: 'wholeNumber', validator: { validate: (value: unknown) => Number.isInteger(value) && (value as number) >= min && (value as number) <= max } }, { message });
}

/** A query string value as a number: absent or empty means the default. */
export const queryNumber = (fallback: number) => Transform(({ value }: { value: unknown }) => (value === undefined || value === '' ? fallback : typeof value === 'string' ? Number(value) : value));

/**
 * The paging half of a list's query DTO: `limit` (1 to 100, default 20) and `offset`. A list's
 * own query DTO extends it; the ValidationPipe parses and checks both, and the result is the
 * PageRequest the use case takes. No list is unbounded: the limit has a hard maximum.
 */
export class PageQuery implements PageRequest {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE, description: 'Page size' })
  @queryNumber(DEFAULT_PAGE_SIZE)
  @WholeNumber(1, MAX_PAGE_SIZE, `must be a whole number from 1 to ${MAX_PAGE_SIZE}`)
  limit: number = DEFAULT_PAGE_SIZE;

  @ApiPropertyOptional({ type: 'integer', minimum: 0, maximum: MAX_OFFSET, default: 0, description: 'Rows to skip (the nextOffset of the previous page)' })
  @queryNumber(0)
  @WholeNumber(0, MAX_OFFSET, `must be a whole number from 0 to ${MAX_OFFSET}`)
  offset = 0;
}
