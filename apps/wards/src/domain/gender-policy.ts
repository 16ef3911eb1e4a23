import type { WardGenderPolicy } from '@hms/contracts-wards';

/**
 * Why a patient of this recorded sex (M, F, O, U) does not fit a ward of this policy, or null
 * when they fit. A single-sex ward takes only that sex; someone recorded as other or unknown
 * fits only a mixed ward, since nobody has decided for them.
 */
export function genderPolicyMismatch(policy: WardGenderPolicy, sex: string): string | null {
  if (policy === 'mixed') return null;
  if (policy === 'male' && sex === 'M') return null;
  if (policy === 'female' && sex === 'F') return null;
  return `This is a ${policy} ward and the patient's recorded sex is ${sex}`;
}

/**
 * What to do with a placement (admission or transfer into another ward):
 * - `fits`: the patient fits the ward, no override was asked for;
 * - `refused`: the patient does not fit and nobody overrode the policy;
 * - `overridden`: the patient does not fit and the desk gave a reason to place them anyway;
 * - `override-not-needed`: an override was sent for a patient who fits; nothing is recorded.
 */
export type GenderPlacement = 'fits' | 'refused' | 'overridden' | 'override-not-needed';

export function genderPlacement(policy: WardGenderPolicy, sex: string, overridden: boolean): GenderPlacement {
  const fits = genderPolicyMismatch(policy, sex) === null;
  if (fits) return overridden ? 'override-not-needed' : 'fits';
  return overridden ? 'overridden' : 'refused';
}
