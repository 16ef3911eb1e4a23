import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { ValidateBy, type ValidationArguments } from 'class-validator';
import { EARLIEST_DATE, LATEST_DATE, isCalendarDate } from '@hms/platform-http';

// Query-string fields of the pharmacy's lists, parsed and checked by the global ValidationPipe.
// An empty value (`?storeId=`) counts as absent. The messages (with the field's name as `field`)
// are the ones the pharmacy's query parameters have always answered with.

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const REAL_DATE = `must be a real date (YYYY-MM-DD) from ${EARLIEST_DATE} to ${LATEST_DATE}`;

const emptyIsAbsent = (value: unknown) => (value === '' ? undefined : value);

/** A check of one query field; `message` may depend on the value and the other fields. */
function QueryCheck(name: string, validate: (value: unknown, query: Record<string, unknown>) => boolean, message: string | ((value: unknown, query: Record<string, unknown>) => string)): PropertyDecorator {
  return ValidateBy({
    name,
    validator: {
      validate: (value: unknown, args?: ValidationArguments) => validate(value, (args?.object ?? {}) as Record<string, unknown>),
      defaultMessage: (args?: ValidationArguments) => (typeof message === 'string' ? message : message(args?.value, (args?.object ?? {}) as Record<string, unknown>)),
    },
  });
}

/** An optional id, in lower case. */
export function QueryId(): PropertyDecorator {
  return applyDecorators(
    Transform(({ value }: { value: unknown }) => {
      const v = emptyIsAbsent(value);
      return typeof v === 'string' ? v.toLowerCase() : v;
    }),
    QueryCheck('queryId', (v) => v === undefined || (typeof v === 'string' && UUID.test(v)), 'must be an id'),
  );
}

/** An optional calendar date, YYYY-MM-DD from 1900 to 2199. */
export function QueryDate(): PropertyDecorator {
  return applyDecorators(
    Transform(({ value }: { value: unknown }) => emptyIsAbsent(value)),
    QueryCheck('queryDate', (v) => v === undefined || isCalendarDate(v), REAL_DATE),
  );
}

/** A required calendar date. */
export function RequiredQueryDate(): PropertyDecorator {
  return applyDecorators(
    Transform(({ value }: { value: unknown }) => emptyIsAbsent(value)),
    QueryCheck('requiredQueryDate', (v) => isCalendarDate(v), (v) => (v === undefined ? 'is required (YYYY-MM-DD)' : REAL_DATE)),
  );
}

/** An optional `true` or `false`. */
export function QueryBoolean(): PropertyDecorator {
  return applyDecorators(
    Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : emptyIsAbsent(value))),
    QueryCheck('queryBoolean', (v) => v === undefined || typeof v === 'boolean', 'must be one of true, false'),
  );
}

/** One of a fixed set of values, optional. */
export function QueryOneOf(allowed: readonly string[]): PropertyDecorator {
  return applyDecorators(
    Transform(({ value }: { value: unknown }) => emptyIsAbsent(value)),
    QueryCheck('queryOneOf', (v) => v === undefined || (typeof v === 'string' && allowed.includes(v)), `must be one of ${allowed.join(', ')}`),
  );
}

/** A date range's start, not after its end (`to`) when both are real dates. */
export function NotAfterTo(): PropertyDecorator {
  return QueryCheck('notAfterTo', (v, q) => !(isCalendarDate(v) && isCalendarDate(q.to) && v > q.to), 'must not be after to');
}

/** This field or `other` is given (or, with `notBoth`, exactly one of them). */
export function OrRequired(other: string, options: { notBoth?: boolean } = {}): PropertyDecorator {
  return QueryCheck(
    'orRequired',
    (v, q) => (options.notBoth ? (v === undefined) !== (q[other] === undefined) : v !== undefined || q[other] !== undefined),
    options.notBoth ? `or ${other} is required, not both` : `or ${other} is required`,
  );
}
