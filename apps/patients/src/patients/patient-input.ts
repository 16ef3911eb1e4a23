import { invalid, type FieldError } from '@hms/contracts-common';
import {
  dateOfBirthFromAge,
  normalizeAbhaNumber,
  normalizeIndianMobile,
  phoneticKey,
  searchName,
  validateAbhaAddress,
  validateDateOfBirth,
} from '@hms/patients-domain';

export interface Warning {
  code: string;
  message: string;
}

/** Personal fields after the platform's rules: phone in E.164, ABHA as 14 digits, derived search keys. */
export interface NormalisedFields {
  name?: string;
  givenName?: string | null;
  familyName?: string | null;
  searchName?: string;
  phoneticName?: string;
  sex?: string;
  dateOfBirth?: string | null;
  dateOfBirthEstimated?: boolean;
  phone?: string | null;
  abhaNumber?: string | null;
  abhaAddress?: string | null;
  address?: Record<string, unknown> | null;
  emergencyContact?: Record<string, unknown> | null;
}

export interface RawFields {
  name?: string;
  givenName?: string | null;
  familyName?: string | null;
  sex?: string;
  dateOfBirth?: string | null;
  ageYears?: number;
  phone?: string | null;
  abhaNumber?: string | null;
  abhaAddress?: string | null;
  address?: object | null;
  emergencyContact?: { name: string; phone: string; relation?: string } | null;
}

/**
 * Applies the Indian identifier rules to submitted fields. Hard rules become field errors
 * (one 400 listing all of them); soft ones (an ABHA check digit) become warnings on the record.
 */
export function normaliseFields(raw: RawFields, today: Date, mode: 'create' | 'update'): { fields: NormalisedFields; warnings: Warning[] } {
  const errors: FieldError[] = [];
  const warnings: Warning[] = [];
  const out: NormalisedFields = {};

  if (raw.name !== undefined) {
    const name = raw.name.normalize('NFC').replace(/\s+/g, ' ').trim();
    const key = searchName(name);
    if (!name) errors.push({ field: 'name', message: 'must not be empty' });
    else if (!key.replace(/\s/g, '')) errors.push({ field: 'name', message: 'must contain letters' });
    out.name = name;
    out.searchName = key;
    out.phoneticName = phoneticKey(name);
  }
  if (raw.givenName !== undefined) out.givenName = raw.givenName?.normalize('NFC').trim() || null;
  if (raw.familyName !== undefined) out.familyName = raw.familyName?.normalize('NFC').trim() || null;
  if (raw.sex !== undefined) out.sex = raw.sex;

  if (raw.dateOfBirth !== undefined && raw.ageYears !== undefined) {
    errors.push({ field: 'dateOfBirth', message: 'give either dateOfBirth or ageYears, not both' });
  } else if (raw.dateOfBirth !== undefined && raw.dateOfBirth !== null) {
    const problem = validateDateOfBirth(raw.dateOfBirth, today);
    if (problem) errors.push({ field: 'dateOfBirth', message: problem });
    out.dateOfBirth = raw.dateOfBirth;
    out.dateOfBirthEstimated = false;
  } else if (raw.ageYears !== undefined) {
    out.dateOfBirth = dateOfBirthFromAge(raw.ageYears, today);
    out.dateOfBirthEstimated = true;
  } else if (mode === 'create') {
    errors.push({ field: 'dateOfBirth', message: 'give dateOfBirth or, when it is not known, ageYears' });
  }

  if (raw.phone !== undefined) {
    if (raw.phone === null || raw.phone.trim() === '') out.phone = null;
    else {
      const phone = normalizeIndianMobile(raw.phone);
      if (phone.ok) out.phone = phone.e164;
      else errors.push({ field: 'phone', message: phone.reason });
    }
  }
  if (raw.abhaNumber !== undefined) {
    if (raw.abhaNumber === null || raw.abhaNumber.trim() === '') out.abhaNumber = null;
    else {
      const abha = normalizeAbhaNumber(raw.abhaNumber);
      if (!abha.ok) errors.push({ field: 'abhaNumber', message: abha.reason });
      else {
        out.abhaNumber = abha.digits;
        if (!abha.luhnValid) {
          warnings.push({ code: 'abha-check-digit', message: 'The ABHA number fails its check digit (Luhn); confirm it against the ABHA card' });
        }
      }
    }
  }
  if (raw.abhaAddress !== undefined) {
    if (raw.abhaAddress === null || raw.abhaAddress.trim() === '') out.abhaAddress = null;
    else {
      const address = validateAbhaAddress(raw.abhaAddress.trim());
      if (address.ok) out.abhaAddress = address.value;
      else errors.push({ field: 'abhaAddress', message: address.reason });
    }
  }
  if (raw.address !== undefined) out.address = raw.address ? { ...raw.address } : null;
  if (raw.emergencyContact !== undefined) {
    if (raw.emergencyContact === null) out.emergencyContact = null;
    else {
      const phone = normalizeIndianMobile(raw.emergencyContact.phone);
      if (!phone.ok) errors.push({ field: 'emergencyContact.phone', message: phone.reason });
      out.emergencyContact = { ...raw.emergencyContact, phone: phone.ok ? phone.e164 : raw.emergencyContact.phone };
    }
  }
  if (errors.length) throw invalid(errors, errors.map((e) => `${e.field}: ${e.message}`).join('; '));
  return { fields: out, warnings };
}
