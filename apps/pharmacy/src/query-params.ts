import { DomainError } from '@hms/contracts-common';
import { EARLIEST_DATE, LATEST_DATE, isCalendarDate } from '@hms/platform-http';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A 400 naming one query parameter. */
export const invalidParameter = (field: string, message: string) => new DomainError('validation', 'validation-failed', `${field} ${message}`, {}, [{ field, message }]);

/** An optional id in the query string, in lower case, or a 400 naming the parameter. */
export function optionalId(value: string | undefined, field: string): string | undefined {
  if (value === undefined || value === '') return undefined;
  if (!UUID.test(value)) throw invalidParameter(field, 'must be an id');
  return value.toLowerCase();
}

/** An optional calendar date (YYYY-MM-DD, 1900–2199) in the query string, or a 400 naming the parameter. */
export function optionalDate(value: string | undefined, field: string): string | undefined {
  if (value === undefined || value === '') return undefined;
  if (!isCalendarDate(value)) throw invalidParameter(field, `must be a real date (YYYY-MM-DD) from ${EARLIEST_DATE} to ${LATEST_DATE}`);
  return value;
}

/** A required calendar date in the query string, or a 400 naming the parameter. */
export function requiredDate(value: string | undefined, field: string): string {
  const date = optionalDate(value, field);
  if (date === undefined) throw invalidParameter(field, 'is required (YYYY-MM-DD)');
  return date;
}

/** A date range whose ends, when both are given, are in order; or a 400. */
export function dateRange(from: string | undefined, to: string | undefined): { from?: string; to?: string } {
  const range = { from: optionalDate(from, 'from'), to: optionalDate(to, 'to') };
  if (range.from && range.to && range.from > range.to) throw invalidParameter('from', 'must not be after to');
  return range;
}

/** An optional `true` or `false` in the query string, or a 400. */
export function optionalBoolean(value: string | undefined, field: string): boolean | undefined {
  return optionalOneOf(value, field, ['true', 'false'] as const) === undefined ? undefined : value === 'true';
}

/** One of a fixed set of values, or a 400 listing them. */
export function optionalOneOf<T extends string>(value: string | undefined, field: string, allowed: readonly T[]): T | undefined {
  if (value === undefined || value === '') return undefined;
  if (!(allowed as readonly string[]).includes(value)) throw invalidParameter(field, `must be one of ${allowed.join(', ')}`);
  return value as T;
}
