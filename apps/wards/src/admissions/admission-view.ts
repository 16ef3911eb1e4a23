import type { GenderPolicyOverride } from '@hms/contracts-wards';
import type { Tx } from '@hms/platform-persistence';
import type { AdmissionsRepository, PlacedStay } from '../data/admissions.repository';
import { notFound } from '../domain/errors';

function overrideOf(s: PlacedStay): GenderPolicyOverride | null {
  if (!s.overridden) return null;
  return { wardPolicy: s.overrideWardPolicy, patientSex: s.overridePatientSex, reason: s.overrideReason, by: { id: s.overrideActorId, name: s.overrideActorName }, at: s.overrideAt.toISOString() };
}

/** Every admission view carries the patient's id and two identifiers (NABH-02) and the bed history. */
export async function admissionView(admissions: AdmissionsRepository, tx: Tx, admissionId: string) {
  const a = await admissions.withIdentifiers(tx, admissionId);
  if (!a) throw notFound('The admission', 'admission-not-found');
  const stays = await admissions.stays(tx, admissionId);
  const overrides = stays.map(overrideOf);
  return {
    id: a.id,
    ipNumber: a.ipNumber,
    patientId: a.patientId,
    patient: { uhid: a.patientUhid, name: a.patientName },
    status: a.status,
    admissionType: a.admissionType,
    admittedAt: a.admittedAt.toISOString(),
    admittingDoctor: { id: a.admittingDoctorId, name: a.admittingDoctorName },
    department: a.department,
    reason: a.reason,
    expectedDischargeAt: a.expectedDischargeAt?.toISOString() ?? null,
    depositReference: a.depositReference,
    bedId: a.bedId,
    dischargedAt: a.dischargedAt?.toISOString() ?? null,
    dischargeType: a.dischargeType,
    dischargeNotes: a.dischargeNotes,
    billingClearance: a.billingClearance,
    duesPaise: a.duesPaise,
    // The override under which the patient was admitted to the first bed, if any; each stay shows its own.
    genderPolicyOverride: overrides[0] ?? null,
    version: a.version,
    stays: stays.map((s, i) => ({
      bedId: s.bedId,
      bedCode: s.bedCode,
      wardCode: s.wardCode,
      categoryCode: s.categoryCode,
      isCriticalCare: s.isCriticalCare,
      dailyRatePaise: s.dailyRatePaise,
      from: s.startedAt.toISOString(),
      to: s.endedAt?.toISOString() ?? null,
      genderPolicyOverride: overrides[i],
    })),
  };
}

export type AdmissionView = Awaited<ReturnType<typeof admissionView>>;
