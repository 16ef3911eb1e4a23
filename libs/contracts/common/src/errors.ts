/**
 * Errors the domain raises, free of any transport. Each transport has one mapper that turns
 * `kind` into its own status (HTTP: problem+json) and passes `code`, `detail` and `extra` on.
 */
export type ErrorKind =
  | 'validation'
  | 'unauthenticated'
  | 'forbidden'
  | 'not-found'
  | 'conflict'
  | 'precondition-failed'
  | 'precondition-required'
  | 'unprocessable'
  | 'too-many-requests'
  | 'unavailable';

export interface FieldError {
  field: string;
  message: string;
}

export class DomainError extends Error {
  constructor(
    readonly kind: ErrorKind,
    /** Stable machine-readable code, e.g. `patient.duplicate-suspected`. */
    readonly code: string,
    /** A sentence a person can act on. */
    readonly detail: string,
    readonly extra: Record<string, unknown> = {},
    readonly errors: FieldError[] = [],
  ) {
    super(detail);
    this.name = 'DomainError';
  }
}

export const notFound = (what: string, code = 'not-found') => new DomainError('not-found', code, `${what} was not found`);
export const conflict = (code: string, detail: string, extra: Record<string, unknown> = {}) => new DomainError('conflict', code, detail, extra);
export const invalid = (errors: FieldError[], detail = 'The request has invalid fields') =>
  new DomainError('validation', 'validation-failed', detail, {}, errors);
export const forbidden = (detail: string, code = 'forbidden') => new DomainError('forbidden', code, detail);

/** The codes every service may answer with, whatever its own are. */
export type CommonErrorCode = 'validation-failed' | 'not-found' | 'forbidden';

/**
 * A service's error constructors, typed by the union of its problem codes: a code the service has
 * not declared does not compile. Each service declares its union and takes its constructors from
 * here in `domain/errors.ts`; the one problem+json filter maps the kind to the status.
 */
export function domainErrors<Code extends string>() {
  type AnyCode = Code | CommonErrorCode;
  return {
    error: (kind: ErrorKind, code: AnyCode, detail: string, extra: Record<string, unknown> = {}, errors: FieldError[] = []) => new DomainError(kind, code, detail, extra, errors),
    notFound: (what: string, code: AnyCode = 'not-found') => new DomainError('not-found', code, `${what} was not found`),
    conflict: (code: AnyCode, detail: string, extra: Record<string, unknown> = {}) => new DomainError('conflict', code, detail, extra),
    invalid: (errors: FieldError[], detail = 'The request has invalid fields') => new DomainError('validation', 'validation-failed', detail, {}, errors),
    forbidden: (detail: string, code: AnyCode = 'forbidden') => new DomainError('forbidden', code, detail),
  };
}
