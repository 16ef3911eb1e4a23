import { domainErrors } from '@hms/contracts-common';

/**
 * Every problem code the wards service answers with, besides the platform's own
 * (validation-failed, not-found, forbidden): `urn:hms:problem:<code>`. A code not listed here does
 * not compile; the one problem+json filter maps each error's kind to its status.
 */
export type WardsErrorCode =
  | 'ack-behind-cursor'
  | 'ack-beyond-feed'
  | 'admission-closed'
  | 'admission-has-bed'
  | 'admission-moved'
  | 'admission-not-found'
  | 'already-exists'
  | 'bed-in-use'
  | 'bed-not-available'
  | 'bed-not-found'
  | 'bed-occupied'
  | 'bed-reserved'
  | 'bed-retired'
  | 'bed-state-transition'
  | 'category-in-use'
  | 'category-not-found'
  | 'patient-already-admitted'
  | 'patient-merged'
  | 'patient-unknown'
  | 'permission-missing'
  | 'room-in-use'
  | 'room-not-found'
  | 'subscription-name-taken'
  | 'subscription-not-found'
  | 'ward-gender-policy'
  | 'ward-in-use'
  | 'ward-not-found';

export const { error: wardsError, conflict, notFound, invalid, forbidden } = domainErrors<WardsErrorCode>();
