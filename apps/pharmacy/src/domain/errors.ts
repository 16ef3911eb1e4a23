import { domainErrors } from '@hms/contracts-common';
import type { DispensePartyCode } from './dispense-parties';

/**
 * Every problem code the pharmacy service answers with, besides the platform's own
 * (validation-failed, not-found, forbidden): `urn:hms:problem:<code>`. A code not listed here does
 * not compile; the one problem+json filter maps each error's kind to its status.
 */
export type PharmacyErrorCode =
  | 'already-exists'
  | 'batch-expired'
  | 'batch-expiry-mismatch'
  | 'batch-not-dispensed'
  | 'batch-not-from-supplier'
  | 'dispense-not-found'
  | 'gst-rate-missing'
  | 'h1-export-too-large'
  | 'h1-register-incomplete'
  | 'insufficient-stock'
  | 'invoice-received'
  | 'item-inactive'
  | 'item-not-found'
  | 'patient-name-blank'
  | 'prescription-required'
  | 'quantity-too-large'
  | 'return-exceeds-dispensed'
  | 'shelf-life-too-short'
  | 'store-inactive'
  | 'store-not-empty'
  | 'store-not-found'
  | 'supplier-inactive'
  | 'supplier-not-found'
  | 'transfer-already-received'
  | 'transfer-not-found'
  | 'version-mismatch'
  | DispensePartyCode;

export const { error: pharmacyError, conflict, notFound, invalid, forbidden } = domainErrors<PharmacyErrorCode>();
