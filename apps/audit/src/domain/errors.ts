import { domainErrors } from '@hms/contracts-common';

/**
 * Every problem code the audit service answers with, besides the platform's own
 * (validation-failed, not-found, forbidden): `urn:hms:problem:<code>`. A code not listed here does
 * not compile; the one problem+json filter maps each error's kind to its status.
 */
export type AuditErrorCode = never;

export const { error: auditError, conflict, notFound, invalid, forbidden } = domainErrors<AuditErrorCode>();
