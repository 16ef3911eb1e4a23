import { defineEvent, topicName } from '@hms/contracts-common';

export const PATIENT_TOPIC = topicName('patients', 'patient');

export type Sex = 'M' | 'F' | 'O' | 'U';

/** The part of a patient other services may keep in a read model. */
export interface PatientSummary {
  patientId: string;
  uhid: string;
  name: string;
  sex: Sex;
  dateOfBirth: string | null;
  /** True when only an age was given and the date of birth is estimated. */
  dateOfBirthEstimated: boolean;
  phone: string | null;
  abhaNumber: string | null;
  abhaAddress: string | null;
  status: 'active' | 'merged';
  version: number;
  // The fields below were added later; they are optional so that events written before them
  // still parse. A consumer treats an absent value as "not known", never as false or null.
  /** True once a death is recorded (the record then takes no edits but corrections). */
  deceased?: boolean;
  /** `YYYY-MM-DD` in India, when deceased. */
  dateOfDeath?: string | null;
  /** False once the record is merged away or the patient is deceased. */
  active?: boolean;
  /** A minor's parent or guardian. */
  guardian?: PatientGuardian | null;
  /** A medico-legal case (accident, assault, poisoning, burns, …): records are kept longer. */
  medicoLegal?: boolean;
  mlcNumber?: string | null;
  policeStation?: string | null;
}

export interface PatientGuardian {
  name: string;
  /** As the desk records it: mother, father, grandmother, legal guardian, … */
  relation: string;
  /** E.164 Indian mobile. */
  phone: string;
}

export type PatientRegisteredData = PatientSummary;
export interface PatientUpdatedData extends PatientSummary {
  changedFields: string[];
  /** Why, when the change corrects the record (a death recorded in error). */
  reason?: string;
}
export interface PatientMergedData {
  survivorId: string;
  survivorUhid: string;
  mergedPatientId: string;
  mergedUhid: string;
}

export const PatientRegistered = defineEvent<PatientRegisteredData>('patients.patient.registered', PATIENT_TOPIC);
export const PatientUpdated = defineEvent<PatientUpdatedData>('patients.patient.updated', PATIENT_TOPIC);
export const PatientMerged = defineEvent<PatientMergedData>('patients.patient.merged', PATIENT_TOPIC);
