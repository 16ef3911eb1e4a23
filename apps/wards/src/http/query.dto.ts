import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional, type ApiPropertyOptions } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsOptional, Matches, ValidateBy } from 'class-validator';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '@hms/platform-http';

// Building blocks of the query DTOs: each reads a query value exactly as the service always has
// (the platform's pageRequest reads paging with Number(), ids are 36 hex digits and dashes) and
// refuses it with the field and message it always has.

/** A loosely checked id (36 hex digits and dashes), as the list filters have always taken it. */
export const LOOSE_ID = /^[0-9a-f-]{36}$/i;

/** A whole number from `min` to `max`, with one message whatever is wrong with it. */
export function IsWholeNumberBetween(min: number, max: number, message: string): PropertyDecorator {
  return ValidateBy({
    name: 'isWholeNumberBetween',
    constraints: [min, max],
    validator: { validate: (value) => typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max, defaultMessage: () => message },
  });
}

/** A number as `Number()` reads the query value; an empty value is `empty`. */
const asNumber = (empty: number) => Transform(({ value }) => (value === undefined || value === '' ? empty : Number(value)));

const PAGE_LIMIT_DOC: ApiPropertyOptions = { type: 'integer', minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE, description: 'Page size' };
const PAGE_OFFSET_DOC: ApiPropertyOptions = { type: 'integer', minimum: 0, maximum: 1_000_000, default: 0, description: 'Rows to skip (the nextOffset of the previous page)' };

/** `limit`, 1 to MAX_PAGE_SIZE (default DEFAULT_PAGE_SIZE), as the platform's pageRequest reads it. */
export function PageLimit(doc: ApiPropertyOptions = PAGE_LIMIT_DOC): PropertyDecorator {
  return applyDecorators(ApiPropertyOptional(doc), asNumber(DEFAULT_PAGE_SIZE), IsWholeNumberBetween(1, MAX_PAGE_SIZE, `must be a whole number from 1 to ${MAX_PAGE_SIZE}`));
}

/** `offset`, 0 to 1,000,000 (default 0), as the platform's pageRequest reads it. */
export function PageOffset(doc: ApiPropertyOptions = PAGE_OFFSET_DOC): PropertyDecorator {
  return applyDecorators(ApiPropertyOptional(doc), asNumber(0), IsWholeNumberBetween(0, 1_000_000, 'must be a whole number from 0 to 1000000'));
}

/** An optional filter by id (loosely checked, as it always has been). */
export function IdFilter(message: string): PropertyDecorator {
  return applyDecorators(ApiPropertyOptional({ type: String }), IsOptional(), Matches(LOOSE_ID, { message }));
}
