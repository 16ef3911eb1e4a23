import { DomainError, type FieldError } from '@hms/contracts-common';
import type { PatientGuardian, Sex } from '@hms/contracts-patients';
import {
  ageOn,
  dateOfBirthFromAge,
  dateOfBirthFromAgeDays,
  dateOfBirthFromAgeMonths,
  isMinorOn,
  normalizeAbhaNumber,
  normalizeIndianMobile,
  personNameProblem,
  phoneticKey,
  searchName,
  validateAbhaAddress,
  validateDateOfBirth,
} from '@hms/patients-domain';
import { invalid } from './errors';

export interface Warning {
  code: string;
  message: string;
}

/** A postal address as the desk records it (every part optional). */
export interface PatientAddress {
  line?: string;
  city?: string;
  state?: string;
  pincode?: string;
}

/** Whom to call in an emergency; the phone in E.164 once normalised. */
export interface EmergencyContact {
  name: string;
  phone: string;
  relation?: string;
}

/** Personal fields after the platform's rules: phone in E.164, ABHA as 14 digits, derived search keys. */
export interface NormalisedFields {
  name?: string;
  givenName?: string | null;
  familyName?: string | null;
  searchName?: string;
  phoneticName?: string;
  sex?: Sex;
  dateOfBirth?: string;
  dateOfBirthEstimated?: boolean;
  phone?: string | null;
  abhaNumber?: string | null;
  abhaAddress?: string | null;
  address?: PatientAddress | null;
  emergencyContact?: EmergencyContact | null;
  guardian?: PatientGuardian | null;
  medicoLegal?: boolean;
  mlcNumber?: string | null;
  policeStation?: string | null;
}

/**
 * Fields as a request brings them. `null` is typed in everywhere because a PATCH can send it:
 * it clears an optional field and is refused, naming the field, for a required one.
 */
export interface RawFields {
  name?: string | null;
  givenName?: string | null;
  familyName?: string | null;
  sex?: string | null;
  dateOfBirth?: string | null;
  ageYears?: number | null;
  ageMonths?: number | null;
  ageDays?: number | null;
  phone?: string | null;
  abhaNumber?: string | null;
  abhaAddress?: string | null;
  address?: PatientAddress | null;
  emergencyContact?: EmergencyContact | null;
  guardian?: { name: string; relation: string; phone: string } | null;
  medicoLegal?: boolean | null;
  mlcNumber?: string | null;
  policeStation?: string | null;
}

/** Fields every patient has: a PATCH may change them but not clear them. */
export const REQUIRED_FIELDS = ['name', 'sex', 'dateOfBirth', 'ageYears', 'ageMonths', 'ageDays', 'medicoLegal'] as const;
/** Fields a PATCH may clear with `null`. */
export const CLEARABLE_FIELDS = [
  'givenName',
  'familyName',
  'phone',
  'abhaNumber',
  'abhaAddress',
  'address',
  'emergencyContact',
  'guardian',
  'mlcNumber',
  'policeStation',
] as const;

const AGE_FIELDS = ['dateOfBirth', 'ageYears', 'ageMonths', 'ageDays'] as const;

export const SEXES: readonly Sex[] = ['M', 'F', 'O', 'U'];
const isSex = (value: string): value is Sex => (SEXES as readonly string[]).includes(value);

/**
 * Applies the Indian identifier rules to submitted fields. Hard rules become field errors
 * (one 400 listing all of them); soft ones (an ABHA check digit) become warnings on the record.
 */
export function normaliseFields(raw: RawFields, today: Date, mode: 'create' | 'update'): { fields: NormalisedFields; warnings: Warning[] } {
  const errors: FieldError[] = [];
  const warnings: Warning[] = [];
  const out: NormalisedFields = {};

  // In a registration a null is an absent field (the DTO already refuses a null name or sex).
  if (mode === 'update') {
    for (const field of REQUIRED_FIELDS) {
      if (raw[field] === null) errors.push({ field, message: 'is required and cannot be cleared with null; leave it out to keep the current value' });
    }
  }

  if (typeof raw.name === 'string') {
    const problem = personNameProblem(raw.name);
    const name = raw.name.normalize('NFC').replace(/\s+/g, ' ').trim();
    const key = searchName(name);
    if (problem) errors.push({ field: 'name', message: problem });
    else if (!key.replace(/\s/g, '')) errors.push({ field: 'name', message: 'must contain letters' });
    out.name = name;
    out.searchName = key;
    out.phoneticName = phoneticKey(name);
  }
  for (const field of ['givenName', 'familyName'] as const) {
    const value = raw[field];
    if (value === undefined) continue;
    const problem = value === null ? null : personNameProblem(value);
    if (problem) errors.push({ field, message: `${problem}; send null to clear it` });
    out[field] = value === null ? null : value.normalize('NFC').trim();
  }
  if (typeof raw.sex === 'string') {
    // The DTO admits only these; a caller that skipped it still cannot store another.
    if (isSex(raw.sex)) out.sex = raw.sex;
    else errors.push({ field: 'sex', message: 'must be one of M, F, O, U' });
  }

  const ageGiven = AGE_FIELDS.filter((f) => raw[f] !== undefined && raw[f] !== null);
  if (ageGiven.length > 1) {
    errors.push({ field: ageGiven[1], message: `give one of dateOfBirth, ageYears, ageMonths or ageDays, not ${ageGiven.join(' and ')}` });
  } else if (typeof raw.dateOfBirth === 'string') {
    const problem = validateDateOfBirth(raw.dateOfBirth, today);
    if (problem) errors.push({ field: 'dateOfBirth', message: problem });
    out.dateOfBirth = raw.dateOfBirth;
    out.dateOfBirthEstimated = false;
  } else if (typeof raw.ageYears === 'number') {
    if (raw.ageYears === 0) {
      // 1 January of this year would be the estimate: months off for a baby born last week.
      errors.push({ field: 'ageYears', message: 'for a baby under one year give ageMonths (1 to 23) or ageDays (0 to 365) instead' });
    } else estimate(errors, out, () => dateOfBirthFromAge(raw.ageYears as number, today));
  } else if (typeof raw.ageMonths === 'number') {
    estimate(errors, out, () => dateOfBirthFromAgeMonths(raw.ageMonths as number, today));
  } else if (typeof raw.ageDays === 'number') {
    estimate(errors, out, () => dateOfBirthFromAgeDays(raw.ageDays as number, today));
  } else if (mode === 'create') {
    errors.push({ field: 'dateOfBirth', message: 'give dateOfBirth or, when it is not known, the age: ageYears, or for a baby ageMonths or ageDays' });
  }

  if (raw.phone !== undefined) {
    if (raw.phone === null || raw.phone.trim() === '') out.phone = null;
    else {
      const phone = normalizeIndianMobile(raw.phone);
      if (phone.ok) out.phone = phone.e164;
      else errors.push({ field: 'phone', message: phone.reason });
    }
  }
  // An absent ABHA is fine and null clears it; an empty string is a mistake, not a way to clear.
  if (raw.abhaNumber !== undefined) {
    if (raw.abhaNumber === null) out.abhaNumber = null;
    else {
      const abha = normalizeAbhaNumber(raw.abhaNumber);
      if (!abha.ok) errors.push({ field: 'abhaNumber', message: raw.abhaNumber.trim() === '' ? `${abha.reason} Leave it out (or send null to clear it).` : abha.reason });
      else {
        out.abhaNumber = abha.digits;
        if (!abha.luhnValid) {
          warnings.push({ code: 'abha-check-digit', message: 'The ABHA number fails its check digit (Luhn); confirm it against the ABHA card' });
        }
      }
    }
  }
  if (raw.abhaAddress !== undefined) {
    if (raw.abhaAddress === null) out.abhaAddress = null;
    else {
      const address = validateAbhaAddress(raw.abhaAddress.trim());
      if (address.ok) out.abhaAddress = address.value;
      else errors.push({ field: 'abhaAddress', message: raw.abhaAddress.trim() === '' ? `${address.reason} Leave it out (or send null to clear it).` : address.reason });
    }
  }
  if (raw.address !== undefined) out.address = raw.address ? { ...raw.address } : null;
  if (raw.emergencyContact !== undefined) {
    if (raw.emergencyContact === null) out.emergencyContact = null;
    else {
      const problem = personNameProblem(raw.emergencyContact.name);
      if (problem) errors.push({ field: 'emergencyContact.name', message: problem });
      const phone = normalizeIndianMobile(raw.emergencyContact.phone);
      if (!phone.ok) errors.push({ field: 'emergencyContact.phone', message: phone.reason });
      out.emergencyContact = { ...raw.emergencyContact, name: raw.emergencyContact.name.normalize('NFC').trim(), phone: phone.ok ? phone.e164 : raw.emergencyContact.phone };
    }
  }
  if (raw.guardian !== undefined) {
    if (raw.guardian === null) out.guardian = null;
    else {
      const { name, relation } = raw.guardian;
      const problem = personNameProblem(name);
      if (problem) errors.push({ field: 'guardian.name', message: problem });
      if (!relation.trim()) errors.push({ field: 'guardian.relation', message: 'must not be empty or only spaces' });
      const phone = normalizeIndianMobile(raw.guardian.phone);
      if (!phone.ok) errors.push({ field: 'guardian.phone', message: phone.reason });
      out.guardian = { name: name.normalize('NFC').trim(), relation: relation.normalize('NFC').trim(), phone: phone.ok ? phone.e164 : raw.guardian.phone };
    }
  }
  if (typeof raw.medicoLegal === 'boolean') out.medicoLegal = raw.medicoLegal;
  for (const field of ['mlcNumber', 'policeStation'] as const) {
    const value = raw[field];
    if (value === undefined) continue;
    if (value !== null && !value.trim()) errors.push({ field, message: 'must not be empty or only spaces; send null to clear it' });
    out[field] = value === null ? null : value.normalize('NFC').trim();
  }
  if (errors.length) throw invalid(errors, errors.map((e) => `${e.field}: ${e.message}`).join('; '));
  return { fields: out, warnings };
}

function estimate(errors: FieldError[], out: NormalisedFields, from: () => string): void {
  try {
    out.dateOfBirth = from();
    out.dateOfBirthEstimated = true;
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    errors.push(...error.errors);
  }
}

/** The parts of a record whose rules span fields: what the record will hold once the change is made. */
export interface RecordAfterChange {
  dateOfBirth: string | null;
  medicoLegal: boolean;
}

/**
 * Rules across fields, checked against the record as it will be: a guardian is recorded for a
 * minor only (an adult's next of kin is their emergency contact), and an MLC number or police
 * station only on a medico-legal case. Only values this request gives are judged, so a guardian
 * recorded in childhood stays on the record after the 18th birthday.
 */
export function checkRecordRules(after: RecordAfterChange, fields: NormalisedFields, today: Date): void {
  const errors: FieldError[] = [];
  if (fields.guardian && after.dateOfBirth && !isMinorOn(after.dateOfBirth, today)) {
    errors.push({
      field: 'guardian',
      message: `a guardian is recorded for a patient under 18; this patient is ${ageOn(after.dateOfBirth, today)}. Record an adult's next of kin as emergencyContact`,
    });
  }
  for (const field of ['mlcNumber', 'policeStation'] as const) {
    if (fields[field] && !after.medicoLegal) errors.push({ field, message: 'is recorded only for a medico-legal case: send "medicoLegal": true with it' });
  }
  if (errors.length) throw invalid(errors, errors.map((e) => `${e.field}: ${e.message}`).join('; '));
}
