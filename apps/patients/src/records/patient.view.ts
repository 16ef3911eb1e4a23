import type { PatientSummary } from '@hms/contracts-patients';
import { ageOn, displayAge, formatAbhaNumber, maskAbhaNumber } from '@hms/patients-domain';
import { indianMidday } from '@hms/platform-time';
import type { PatientEntity } from '../data/patient.entity';

/** The record as the API shows it (PatientRecordDto); ages are judged on `today` in India. */
export function patientView(patient: PatientEntity, today: Date, options: { maskAbha?: boolean } = {}) {
  // A deceased patient's age is their age at death.
  const asOf = patient.dateOfDeath ? indianMidday(patient.dateOfDeath) : today;
  return {
    id: patient.id,
    uhid: patient.uhid,
    name: patient.name,
    givenName: patient.givenName,
    familyName: patient.familyName,
    sex: patient.sex,
    dateOfBirth: patient.dateOfBirth,
    dateOfBirthEstimated: patient.dateOfBirthEstimated,
    ageYears: patient.dateOfBirth ? ageOn(patient.dateOfBirth, asOf) : null,
    age: patient.dateOfBirth ? displayAge(patient.dateOfBirth, asOf) : null,
    phone: patient.phone,
    abhaNumber: patient.abhaNumber ? (options.maskAbha ? maskAbhaNumber(patient.abhaNumber) : formatAbhaNumber(patient.abhaNumber)) : null,
    abhaAddress: patient.abhaAddress,
    address: patient.address,
    emergencyContact: patient.emergencyContact,
    guardian: patient.guardian,
    deceased: patient.dateOfDeath !== null,
    dateOfDeath: patient.dateOfDeath,
    deathRecordedAt: patient.deathRecordedAt ? patient.deathRecordedAt.toISOString() : null,
    deathRecordedBy: patient.deathRecordedBy ? { id: patient.deathRecordedBy, name: patient.deathRecordedByName } : null,
    medicoLegal: patient.medicoLegal,
    mlcNumber: patient.mlcNumber,
    policeStation: patient.policeStation,
    status: patient.status,
    active: patient.status === 'active' && patient.dateOfDeath === null,
    mergedInto: patient.mergedInto,
    warnings: patient.warnings,
    version: patient.version,
    createdAt: patient.createdAt.toISOString(),
    updatedAt: patient.updatedAt.toISOString(),
  };
}

export type PatientView = ReturnType<typeof patientView>;

/** The record as events carry it (registered, updated). */
export function patientSummary(patient: PatientEntity): PatientSummary {
  return {
    patientId: patient.id,
    uhid: patient.uhid,
    name: patient.name,
    sex: patient.sex,
    dateOfBirth: patient.dateOfBirth,
    dateOfBirthEstimated: patient.dateOfBirthEstimated,
    phone: patient.phone,
    abhaNumber: patient.abhaNumber,
    abhaAddress: patient.abhaAddress,
    status: patient.status,
    version: patient.version,
    deceased: patient.dateOfDeath !== null,
    dateOfDeath: patient.dateOfDeath,
    active: patient.status === 'active' && patient.dateOfDeath === null,
    guardian: patient.guardian,
    medicoLegal: patient.medicoLegal,
    mlcNumber: patient.mlcNumber,
    policeStation: patient.policeStation,
  };
}
