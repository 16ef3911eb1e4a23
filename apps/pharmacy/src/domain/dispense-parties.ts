/**
 * Who a supply is for, as the pharmacy's read models know them: the patient (from the patients
 * service's events) and the admission (from the wards service's events).
 */
export interface KnownPatient {
  patientId: string;
  uhid: string | null;
  name: string | null;
  status: 'active' | 'merged';
  /** For a merged-away record, the record it now lives on (the end of the merge chain), when known. */
  survivor: { patientId: string; uhid: string | null } | null;
}

export interface KnownAdmission {
  admissionId: string;
  ipNumber: string;
  status: 'admitted' | 'discharged';
  dischargedAt: string | null;
  /**
   * The patient the admission is of, followed through merges to the surviving record: a stay
   * recorded under a record merged away since is the survivor's.
   */
  patientId: string;
}

export type DispensePartyCode = 'patient-unknown' | 'patient-merged' | 'admission-unknown' | 'admission-discharged' | 'admission-of-another-patient';

export interface DispensePartyProblem {
  code: DispensePartyCode;
  field: 'patientId' | 'admissionId';
  detail: string;
  extra: Record<string, unknown>;
}

/**
 * Why a supply cannot be charged to the patient and admission it names, or null (case 12 of the
 * hardening issue: invented ids, a discharged stay, one patient's medicines on another's stay).
 * `patient` and `admission` are what the read models hold for the ids asked (null: unknown).
 */
export function dispensePartyProblem(
  asked: { patientId?: string; admissionId?: string },
  patient: KnownPatient | null,
  admission: KnownAdmission | null,
): DispensePartyProblem | null {
  if (asked.patientId !== undefined) {
    if (!patient) {
      return {
        code: 'patient-unknown',
        field: 'patientId',
        detail: `No patient ${asked.patientId} is registered in this branch (a new registration reaches the pharmacy within seconds; check the id)`,
        extra: {},
      };
    }
    if (patient.status === 'merged') {
      const survivor = patient.survivor;
      return {
        code: 'patient-merged',
        field: 'patientId',
        detail: survivor
          ? `This patient record${patient.uhid ? ` (UHID ${patient.uhid})` : ''} was merged into UHID ${survivor.uhid ?? 'unknown'} (patient ${survivor.patientId}); supply against the surviving record`
          : `This patient record${patient.uhid ? ` (UHID ${patient.uhid})` : ''} was merged into another; supply against the surviving record`,
        extra: survivor ? { survivorId: survivor.patientId, survivorUhid: survivor.uhid } : {},
      };
    }
  }
  if (asked.admissionId !== undefined) {
    if (!admission) {
      return { code: 'admission-unknown', field: 'admissionId', detail: `No admission ${asked.admissionId} is known in this branch; check the id`, extra: {} };
    }
    if (admission.status === 'discharged') {
      return {
        code: 'admission-discharged',
        field: 'admissionId',
        detail: `Admission ${admission.ipNumber} was discharged${admission.dischargedAt ? ` at ${admission.dischargedAt}` : ''}; nothing more is supplied against it`,
        extra: { dischargedAt: admission.dischargedAt },
      };
    }
    if (asked.patientId !== undefined && admission.patientId !== asked.patientId) {
      return {
        code: 'admission-of-another-patient',
        field: 'admissionId',
        detail: `Admission ${admission.ipNumber} is another patient's stay; a supply is charged to the patient's own admission`,
        extra: {},
      };
    }
  }
  return null;
}
