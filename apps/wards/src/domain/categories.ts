/** The usual bed categories of an Indian hospital (WF-03); a branch may add its own. */
export const DEFAULT_BED_CATEGORIES: readonly { code: string; name: string; isCriticalCare: boolean }[] = [
  { code: 'GENERAL', name: 'General ward', isCriticalCare: false },
  { code: 'SEMI_PRIVATE', name: 'Semi-private', isCriticalCare: false },
  { code: 'PRIVATE', name: 'Private', isCriticalCare: false },
  { code: 'DELUXE', name: 'Deluxe', isCriticalCare: false },
  { code: 'ICU', name: 'Intensive care unit', isCriticalCare: true },
  { code: 'CCU', name: 'Coronary care unit', isCriticalCare: true },
  { code: 'ICCU', name: 'Intensive coronary care unit', isCriticalCare: true },
  { code: 'NICU', name: 'Neonatal intensive care unit', isCriticalCare: true },
  { code: 'HDU', name: 'High dependency unit', isCriticalCare: false },
  { code: 'DAY_CARE', name: 'Day care', isCriticalCare: false },
];

/** A ward's gender policy against a patient's recorded sex: a warning for the desk, never a refusal. */
export function genderPolicyWarning(policy: 'male' | 'female' | 'mixed', sex: string): string | null {
  if (policy === 'mixed') return null;
  if (policy === 'male' && sex === 'M') return null;
  if (policy === 'female' && sex === 'F') return null;
  return `This is a ${policy} ward and the patient's recorded sex is ${sex}`;
}
