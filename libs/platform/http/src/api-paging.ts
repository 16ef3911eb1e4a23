import { applyDecorators } from '@nestjs/common';
import { ApiQuery } from '@nestjs/swagger';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from './paging';

/** Documents a list's paging parameters as they are: optional whole numbers, the limit capped. */
export function ApiPaging(options: { offset?: boolean } = {}): MethodDecorator {
  return applyDecorators(
    ApiQuery({ name: 'limit', required: false, schema: { type: 'integer', minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE }, description: 'Page size' }),
    ...(options.offset === false
      ? []
      : [ApiQuery({ name: 'offset', required: false, schema: { type: 'integer', minimum: 0, maximum: 1_000_000, default: 0 }, description: 'Rows to skip (the nextOffset of the previous page)' })]),
  );
}
