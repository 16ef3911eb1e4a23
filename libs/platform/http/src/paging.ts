import { DomainError } from '@hms/contracts-common';

export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 20;

export interface PageRequest {
  limit: number;
  offset: number;
}

export interface Page<T> {
  items: T[];
  limit: number;
  offset: number;
  /** Offset of the next page, or null on the last page. */
  nextOffset: number | null;
}

/** Parses `limit` and `offset` query values; the limit has a hard maximum. */
export function pageRequest(limit?: unknown, offset?: unknown): PageRequest {
  const l = limit === undefined || limit === '' ? DEFAULT_PAGE_SIZE : Number(limit);
  const o = offset === undefined || offset === '' ? 0 : Number(offset);
  const errors = [];
  if (!Number.isInteger(l) || l < 1 || l > MAX_PAGE_SIZE) errors.push({ field: 'limit', message: `must be a whole number from 1 to ${MAX_PAGE_SIZE}` });
  if (!Number.isInteger(o) || o < 0 || o > 1_000_000) errors.push({ field: 'offset', message: 'must be a whole number from 0 to 1000000' });
  if (errors.length) throw new DomainError('validation', 'validation-failed', 'The paging parameters are invalid', {}, errors);
  return { limit: l, offset: o };
}

/** Builds a page from `limit + 1` fetched rows, so no count query is needed to know if more exist. */
export function toPage<T>(rows: T[], request: PageRequest): Page<T> {
  const more = rows.length > request.limit;
  return {
    items: more ? rows.slice(0, request.limit) : rows,
    limit: request.limit,
    offset: request.offset,
    nextOffset: more ? request.offset + request.limit : null,
  };
}
