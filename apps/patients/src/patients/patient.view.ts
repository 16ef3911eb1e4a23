import type { PatientGuardian, PatientSummary } from '@hms/contracts-patients';
import { ageOn, displayAge, formatAbhaNumber, maskAbhaNumber } from '@hms/patients-domain';
import { indianMidday } from '@hms/platform-time';
import type { Warning } from './patient-input';

export interface PatientRow {
  id: string;
  branch_id: string;
  uhid: string;
  name: string;
  given_name: string | null;
  family_name: string | null;
  sex: 'M' | 'F' | 'O' | 'U';
  date_of_birth: string | null;
  date_of_birth_estimated: boolean;
  phone: string | null;
  abha_number: string | null;
  abha_address: string | null;
  address: Record<string, unknown> | null;
  emergency_contact: Record<string, unknown> | null;
  guardian: PatientGuardian | null;
  date_of_death: string | null;
  death_recorded_at: Date | null;
  death_recorded_by: string | null;
  death_recorded_by_name: string | null;
  medico_legal: boolean;
  mlc_number: string | null;
  police_station: string | null;
  warnings: Warning[];
  status: 'active' | 'merged';
  merged_into: string | null;
  version: number;
  created_at: Date;
  updated_at: Date;
}

/** Columns selected wherever a patient is read; dates come back as ISO strings. */
export const PATIENT_COLUMNS = `id, branch_id, uhid, name, given_name, family_name, sex, to_char(date_of_birth, 'YYYY-MM-DD') AS date_of_birth,
  date_of_birth_estimated, phone, abha_number, abha_address, address, emergency_contact, guardian,
  to_char(date_of_death, 'YYYY-MM-DD') AS date_of_death, death_recorded_at, death_recorded_by, death_recorded_by_name,
  medico_legal, mlc_number, police_station, warnings, status, merged_into, version, created_at, updated_at`;

export function patientView(row: PatientRow, today: Date, options: { maskAbha?: boolean } = {}) {
  // A deceased patient's age is their age at death.
  const asOf = row.date_of_death ? indianMidday(row.date_of_death) : today;
  return {
    id: row.id,
    uhid: row.uhid,
    name: row.name,
    givenName: row.given_name,
    familyName: row.family_name,
    sex: row.sex,
    dateOfBirth: row.date_of_birth,
    dateOfBirthEstimated: row.date_of_birth_estimated,
    ageYears: row.date_of_birth ? ageOn(row.date_of_birth, asOf) : null,
    age: row.date_of_birth ? displayAge(row.date_of_birth, asOf) : null,
    phone: row.phone,
    abhaNumber: row.abha_number ? (options.maskAbha ? maskAbhaNumber(row.abha_number) : formatAbhaNumber(row.abha_number)) : null,
    abhaAddress: row.abha_address,
    address: row.address,
    emergencyContact: row.emergency_contact,
    guardian: row.guardian,
    deceased: row.date_of_death !== null,
    dateOfDeath: row.date_of_death,
    deathRecordedAt: row.death_recorded_at ? row.death_recorded_at.toISOString() : null,
    deathRecordedBy: row.death_recorded_by ? { id: row.death_recorded_by, name: row.death_recorded_by_name } : null,
    medicoLegal: row.medico_legal,
    mlcNumber: row.mlc_number,
    policeStation: row.police_station,
    status: row.status,
    active: row.status === 'active' && row.date_of_death === null,
    mergedInto: row.merged_into,
    warnings: row.warnings,
    version: row.version,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

export type PatientView = ReturnType<typeof patientView>;

export function patientSummary(row: PatientRow): PatientSummary {
  return {
    patientId: row.id,
    uhid: row.uhid,
    name: row.name,
    sex: row.sex,
    dateOfBirth: row.date_of_birth,
    dateOfBirthEstimated: row.date_of_birth_estimated,
    phone: row.phone,
    abhaNumber: row.abha_number,
    abhaAddress: row.abha_address,
    status: row.status,
    version: row.version,
    deceased: row.date_of_death !== null,
    dateOfDeath: row.date_of_death,
    active: row.status === 'active' && row.date_of_death === null,
    guardian: row.guardian,
    medicoLegal: row.medico_legal,
    mlcNumber: row.mlc_number,
    policeStation: row.police_station,
  };
}
