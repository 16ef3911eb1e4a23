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
