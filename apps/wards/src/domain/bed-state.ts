import type { BedState } from '@hms/contracts-wards';

/** Who may move a bed between states by hand; occupying and vacating happen only through admissions. */
export type BedStatePermission = 'wards:manage' | 'wards:housekeeping' | 'wards:admit';

const MANUAL: Record<BedState, Partial<Record<BedState, BedStatePermission>>> = {
  available: { maintenance: 'wards:manage', blocked: 'wards:manage', reserved: 'wards:admit' },
  reserved: { available: 'wards:admit', maintenance: 'wards:manage', blocked: 'wards:manage' },
  // Housekeeping marks a bed clean after a patient leaves.
  cleaning: { available: 'wards:housekeeping', maintenance: 'wards:manage', blocked: 'wards:manage' },
  maintenance: { available: 'wards:manage', blocked: 'wards:manage', cleaning: 'wards:manage' },
  blocked: { available: 'wards:manage', maintenance: 'wards:manage', cleaning: 'wards:manage' },
  occupied: {},
};

/**
 * The permission a manual change of state needs, or null when the change is not allowed by
 * hand (an occupied bed is vacated only by a transfer or a discharge).
 */
export function manualTransition(from: BedState, to: BedState): BedStatePermission | null {
  return MANUAL[from][to] ?? null;
}

/** The permissions that can put a bed into `state` by hand from some other state. */
export function permissionsToEnter(state: BedState): BedStatePermission[] {
  const found = new Set<BedStatePermission>();
  for (const targets of Object.values(MANUAL)) {
    const p = targets[state];
    if (p) found.add(p);
  }
  return [...found];
}

/** A bed that can take an admission: available, or reserved for that very patient. */
export function canAdmitTo(state: BedState, reservedFor: string | null, patientId: string): boolean {
  return state === 'available' || (state === 'reserved' && reservedFor === patientId);
}
