import { DomainError } from '@hms/contracts-common';
import type { BedPlacement, GenderPolicyOverride } from '@hms/contracts-wards';
import type { PlacedBed } from '../data/beds.repository';
import { genderPlacement, genderPolicyMismatch } from '../domain';
import type { Acting } from '@hms/platform-service';
import { conflict, wardsError } from '../domain/errors';

export interface AdmissionWarning {
  code: string;
  message: string;
}

/** A placement checked against the ward's gender policy: the override to record, if any, and what to tell the desk. */
export interface GenderCheck {
  override: GenderPolicyOverride | null;
  warnings: AdmissionWarning[];
}

/** The bed as events describe a placement. */
export function placementOf(bed: PlacedBed): BedPlacement {
  return {
    bedId: bed.id,
    bedCode: bed.code,
    roomCode: bed.roomCode,
    wardId: bed.wardId,
    wardCode: bed.wardCode,
    categoryCode: bed.categoryCode,
    isCriticalCare: bed.isCriticalCare,
    dailyRatePaise: bed.rate === null ? null : Number(bed.rate),
  };
}

/** A retired bed still exists (the desk may see it on an old screen): say so, rather than "not found". */
export function bedRetired(bed: PlacedBed): DomainError {
  return conflict('bed-retired', `Bed ${bed.code} of ward ${bed.wardCode} has been retired and takes no patients; choose another bed`, {
    retiredAt: bed.retiredAt?.toISOString() ?? null,
  });
}

/**
 * Checks a placement against the ward's gender policy: a patient whose recorded sex does not fit
 * is refused, unless the desk overrides it with a reason, which is then recorded with who and when.
 */
export function checkGenderPolicy(bed: PlacedBed, sex: string, requested: { reason: string } | null | undefined, caller: Acting, now: Date): GenderCheck {
  // A null override (which validation lets through as "not given") is no override.
  const decision = genderPlacement(bed.genderPolicy, sex, Boolean(requested));
  switch (decision) {
    case 'fits':
      return { override: null, warnings: [] };
    case 'override-not-needed':
      return { override: null, warnings: [overrideNotNeeded(`Ward ${bed.wardCode} takes ${bed.genderPolicy === 'mixed' ? 'patients of any sex' : `${bed.genderPolicy} patients`}`)] };
    case 'refused':
      throw wardsError(
        'unprocessable',
        'ward-gender-policy',
        `${genderPolicyMismatch(bed.genderPolicy, sex)} (ward ${bed.wardCode}, bed ${bed.code}). To place the patient there anyway, send genderPolicyOverride with the reason`,
        { wardCode: bed.wardCode, genderPolicy: bed.genderPolicy, patientSex: sex },
      );
    case 'overridden':
      if (bed.genderPolicy === 'mixed' || !requested) throw new Error('only a single-sex ward with an override asked for is overridden');
      return {
        override: { wardPolicy: bed.genderPolicy, patientSex: sex, reason: requested.reason, by: { id: caller.userId, name: caller.name }, at: now.toISOString() },
        warnings: [],
      };
  }
}

export function overrideNotNeeded(why: string): AdmissionWarning {
  return { code: 'gender-policy-override-not-needed', message: `${why}: the gender policy override was not needed and is not recorded` };
}
