import type { PatientGuardian } from '@hms/contracts-patients';
import type { EmergencyContact, PatientAddress } from './patient-input';

/** The parts of a record a merge combines. */
export interface MergeableRecord {
  phone: string | null;
  abhaNumber: string | null;
  abhaAddress: string | null;
  address: PatientAddress | null;
  emergencyContact: EmergencyContact | null;
  guardian: PatientGuardian | null;
  medicoLegal: boolean;
  mlcNumber: string | null;
  policeStation: string | null;
  dateOfDeath: string | null;
  deathRecordedAt: Date | null;
  deathRecordedBy: string | null;
  deathRecordedByName: string | null;
}

/**
 * The survivor of a merge keeps its own identifiers and takes the ones it lacks. The two are
 * one person: if either record is a medico-legal case, or records a death, the survivor does
 * (a death with who recorded it and when, from the record that has it).
 */
export function survivorAfterMerge(survivor: MergeableRecord, merged: MergeableRecord): MergeableRecord {
  const death = survivor.dateOfDeath === null ? merged : survivor;
  return {
    phone: survivor.phone ?? merged.phone,
    abhaNumber: survivor.abhaNumber ?? merged.abhaNumber,
    abhaAddress: survivor.abhaAddress ?? merged.abhaAddress,
    address: survivor.address ?? merged.address,
    emergencyContact: survivor.emergencyContact ?? merged.emergencyContact,
    guardian: survivor.guardian ?? merged.guardian,
    medicoLegal: survivor.medicoLegal || merged.medicoLegal,
    mlcNumber: survivor.mlcNumber ?? merged.mlcNumber,
    policeStation: survivor.policeStation ?? merged.policeStation,
    dateOfDeath: death.dateOfDeath,
    deathRecordedAt: death.deathRecordedAt,
    deathRecordedBy: death.deathRecordedBy,
    deathRecordedByName: death.deathRecordedByName,
  };
}
