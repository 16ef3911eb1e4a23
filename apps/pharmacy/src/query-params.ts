import { DomainError } from '@hms/contracts-common';
import { isCalendarDate } from './domain';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A 400 naming one query parameter. */
export const invalidParameter = (field: string, message: string) => new DomainError('validation', 'validation-failed', `${field} ${message}`, {}, [{ field, message }]);

/** An optional id in the query string, in lower case, or a 400 naming the parameter. */
export function optionalId(value: string | undefined, field: string): string | undefined {
  if (value === undefined || value === '') return undefined;
  if (!UUID.test(value)) throw invalidParameter(field, 'must be an id');
  return value.toLowerCase();
}

/** An optional calendar date (YYYY-MM-DD) in the query string, or a 400 naming the parameter. */
export function optionalDate(value: string | undefined, field: string): string | undefined {
  if (value === undefined || value === '') return undefined;
  if (!isCalendarDate(value)) throw invalidParameter(field, 'must be a date (YYYY-MM-DD)');
  return value;
}

/** One of a fixed set of values, or a 400 listing them. */
export function optionalOneOf<T extends string>(value: string | undefined, field: string, allowed: readonly T[]): T | undefined {
  if (value === undefined || value === '') return undefined;
  if (!(allowed as readonly string[]).includes(value)) throw invalidParameter(field, `must be one of ${allowed.join(', ')}`);
  return value as T;
}
