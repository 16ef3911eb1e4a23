import { domainErrors } from '@hms/contracts-common';

/**
 * Every problem code the patients service answers with, besides the platform's own
 * (validation-failed, not-found, forbidden): `urn:hms:problem:<code>`. A code not listed here does
 * not compile; the one problem+json filter maps each error's kind to its status.
 */
export type PatientsErrorCode =
  | 'patient-abha-registered'
  | 'patient-deceased'
  | 'patient-duplicate-suspected'
  | 'patient-merged'
  | 'patient-mlc-clear-forbidden'
  | 'patient-not-deceased'
  | 'patient-not-found'
  | 'uhid-prefix-taken'
  | 'uhid-series-in-use'
  | 'version-mismatch';

export const { error: patientsError, conflict, notFound, invalid, forbidden } = domainErrors<PatientsErrorCode>();
