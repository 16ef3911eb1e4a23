import { DomainError, type ErrorKind, type FieldError } from '@hms/contracts-common';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** RFC 9457 problem details, with `errors[]` for field validation. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  code: string;
  correlationId?: string;
  errors?: FieldError[];
  errorId?: string;
  [extension: string]: unknown;
}

const STATUS: Record<ErrorKind, [number, string]> = {
  validation: [400, 'Invalid request'],
  unauthenticated: [401, 'Authentication required'],
  forbidden: [403, 'Forbidden'],
  'not-found': [404, 'Not found'],
  conflict: [409, 'Conflict'],
  'precondition-failed': [412, 'Precondition failed'],
  'precondition-required': [428, 'Precondition required'],
  unprocessable: [422, 'Unprocessable request'],
  'too-many-requests': [429, 'Too many requests'],
  unavailable: [503, 'Service unavailable'],
};

export const problemType = (code: string) => `urn:hms:problem:${code}`;

export function problemFromDomainError(error: DomainError, instance?: string): Problem {
  const [status, title] = STATUS[error.kind];
  return {
    ...error.extra,
    type: problemType(error.code),
    title,
    status,
    detail: error.detail,
    code: error.code,
    instance,
    ...(error.errors.length ? { errors: error.errors } : {}),
  };
}

export function problem(status: number, code: string, title: string, detail: string, extra: Record<string, unknown> = {}): Problem {
  return { ...extra, type: problemType(code), title, status, detail, code };
}
