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
}

export type PatientRegisteredData = PatientSummary;
export interface PatientUpdatedData extends PatientSummary {
  changedFields: string[];
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
