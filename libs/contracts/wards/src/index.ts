import { defineEvent, topicName } from '@hms/contracts-common';

export const ADMISSION_TOPIC = topicName('wards', 'admission');
export const BED_TOPIC = topicName('wards', 'bed');

export const ADMISSION_TYPES = ['elective', 'emergency', 'day-care'] as const;
export type AdmissionType = (typeof ADMISSION_TYPES)[number];

export const DISCHARGE_TYPES = ['normal', 'against-medical-advice', 'referred', 'absconded', 'death'] as const;
export type DischargeType = (typeof DISCHARGE_TYPES)[number];

export const BED_STATES = ['available', 'reserved', 'occupied', 'cleaning', 'maintenance', 'blocked'] as const;
export type BedState = (typeof BED_STATES)[number];

/** Which patients a ward takes by their recorded sex: male, female, or anyone. */
export const WARD_GENDER_POLICIES = ['male', 'female', 'mixed'] as const;
export type WardGenderPolicy = (typeof WARD_GENDER_POLICIES)[number];

/**
 * A placement that departs from the ward's gender policy on purpose (a paediatric mother, a
 * shortage of beds): who decided it, when, and why, as recorded on the admission.
 */
export interface GenderPolicyOverride {
  /** The policy of the ward the patient was placed in, which the patient's sex does not fit. */
  wardPolicy: Exclude<WardGenderPolicy, 'mixed'>;
  /** The patient's recorded sex at the time (M, F, O or U). */
  patientSex: string;
  reason: string;
  by: { id: string; name: string | null };
  at: string;
}

/** Where a patient lies, with what billing needs to charge bed-days without calling back. */
export interface BedPlacement {
  bedId: string;
  bedCode: string;
  roomCode: string | null;
  wardId: string;
  wardCode: string;
  categoryCode: string;
  isCriticalCare: boolean;
  /** Per-day tariff in paise in force when the stay began; null when the category has none yet. */
  dailyRatePaise: number | null;
}

export interface PatientAdmittedData {
  admissionId: string;
  ipNumber: string;
  patientId: string;
  uhid: string;
  admittedAt: string;
  admissionType: AdmissionType;
  department: string;
  admittingDoctor: { id: string | null; name: string };
  expectedDischargeAt: string | null;
  depositReference: string | null;
  bed: BedPlacement;
  /** Present when the bed's ward does not take patients of this sex and the desk overrode it. */
  genderPolicyOverride?: GenderPolicyOverride;
}

export interface PatientTransferredData {
  admissionId: string;
  ipNumber: string;
  patientId: string;
  transferredAt: string;
  reason: string | null;
  from: BedPlacement;
  to: BedPlacement;
  /** Present when the new bed's ward does not take patients of this sex and the desk overrode it. */
  genderPolicyOverride?: GenderPolicyOverride;
}

export interface PatientDischargedData {
  admissionId: string;
  ipNumber: string;
  patientId: string;
  dischargedAt: string;
  dischargeType: DischargeType;
  admittedAt: string;
  bed: BedPlacement;
  billingClearance: 'cleared' | 'pending' | 'unknown';
  duesPaise: number | null;
}

export interface BedStateChangedData {
  bedId: string;
  bedCode: string;
  wardId: string;
  wardCode: string;
  from: BedState | null;
  to: BedState;
  reason: string | null;
  admissionId: string | null;
  patientId: string | null;
  categoryCode: string;
  isCriticalCare: boolean;
  dailyRatePaise: number | null;
}

export const PatientAdmitted = defineEvent<PatientAdmittedData>('wards.admission.admitted', ADMISSION_TOPIC);
export const PatientTransferred = defineEvent<PatientTransferredData>('wards.admission.transferred', ADMISSION_TOPIC);
export const PatientDischarged = defineEvent<PatientDischargedData>('wards.admission.discharged', ADMISSION_TOPIC);
export const BedStateChanged = defineEvent<BedStateChangedData>('wards.bed.state-changed', BED_TOPIC);
