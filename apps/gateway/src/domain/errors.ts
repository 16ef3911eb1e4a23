import { domainErrors } from '@hms/contracts-common';

/**
 * Every problem code the gateway service answers with, besides the platform's own
 * (validation-failed, not-found, forbidden): `urn:hms:problem:<code>`. A code not listed here does
 * not compile; the one problem+json filter maps each error's kind to its status.
 */
export type GatewayErrorCode =
  | 'branch-code-taken'
  | 'current-password-wrong'
  | 'email-taken'
  | 'login-failed'
  | 'login-rate-limited'
  | 'path-invalid'
  | 'permission-missing'
  | 'refresh-token-invalid'
  | 'role-protected'
  | 'security-store-unavailable'
  | 'service-unavailable'
  | 'upstream-timeout'
  | 'user-in-other-branches';

export const { error: gatewayError, conflict, notFound, invalid, forbidden } = domainErrors<GatewayErrorCode>();
