import { normalizeAbhaNumber } from './abha';
import { nameSimilarity, phoneticKey } from './names';
import { normalizeIndianMobile } from './phone';

/**
 * WF-01: a second registration of the same person must not mint a second UHID. This rule
 * picks, from candidates the repository found, those likely to be the same person, and says
 * why. Family members in India often share one mobile number, so a shared phone counts only
 * together with a similar name.
 */

export type DuplicateReason = 'same-abha' | 'same-phone-similar-name' | 'same-name-dob';

export interface RegistrationForDuplicateCheck {
  name: string;
  phone?: string | null;
  dateOfBirth?: string | null;
  abhaNumber?: string | null;
}

export interface ExistingPatientForDuplicateCheck {
  id: string;
  uhid: string;
  name: string;
  phone: string | null;
  dateOfBirth: string | null;
  abhaNumber: string | null;
}

export interface LikelyDuplicate<P extends ExistingPatientForDuplicateCheck = ExistingPatientForDuplicateCheck> {
  patient: P;
  reasons: DuplicateReason[];
  /** Trigram similarity of the phonetic keys, 0..1. */
  nameSimilarity: number;
}

export interface DuplicateThresholds {
  /** Name similarity that, with the same phone, suggests the same person. */
  samePhone: number;
  /** Name similarity that, with the same date of birth, suggests the same person. */
  sameDateOfBirth: number;
}

export const DEFAULT_DUPLICATE_THRESHOLDS: Readonly<DuplicateThresholds> = { samePhone: 0.5, sameDateOfBirth: 0.8 };

/**
 * Candidates that are likely the new registration's person, strongest first: a shared ABHA
 * number, then more reasons, then more similar names.
 */
export function findLikelyDuplicates<P extends ExistingPatientForDuplicateCheck>(
  registration: RegistrationForDuplicateCheck,
  candidates: readonly P[],
  thresholds: DuplicateThresholds = DEFAULT_DUPLICATE_THRESHOLDS,
): LikelyDuplicate<P>[] {
  const abha = abhaDigits(registration.abhaNumber);
  const phone = e164(registration.phone);
  const dateOfBirth = registration.dateOfBirth ?? null;
  const key = phoneticKey(registration.name);

  const matches: LikelyDuplicate<P>[] = [];
  for (const patient of candidates) {
    const candidateKey = phoneticKey(patient.name);
    const similarity = nameSimilarity(registration.name, patient.name);
    const sameName = key !== '' && key === candidateKey;
    const reasons: DuplicateReason[] = [];

    if (abha !== null && abha === abhaDigits(patient.abhaNumber)) reasons.push('same-abha');
    if (phone !== null && phone === e164(patient.phone) && (sameName || similarity >= thresholds.samePhone)) {
      reasons.push('same-phone-similar-name');
    }
    if (dateOfBirth !== null && dateOfBirth === patient.dateOfBirth && (sameName || similarity >= thresholds.sameDateOfBirth)) {
      reasons.push('same-name-dob');
    }
    if (reasons.length > 0) matches.push({ patient, reasons, nameSimilarity: similarity });
  }

  return matches.sort(
    (a, b) =>
      Number(b.reasons.includes('same-abha')) - Number(a.reasons.includes('same-abha')) ||
      b.reasons.length - a.reasons.length ||
      b.nameSimilarity - a.nameSimilarity,
  );
}

function abhaDigits(value: string | null | undefined): string | null {
  if (value == null) return null;
  const result = normalizeAbhaNumber(value);
  return result.ok ? result.digits : null;
}

function e164(value: string | null | undefined): string | null {
  if (value == null) return null;
  const result = normalizeIndianMobile(value);
  return result.ok ? result.e164 : null;
}
