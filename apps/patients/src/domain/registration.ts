/**
 * The advisory-lock keys a registration takes: registrations of one phone, ABHA number or
 * name-and-birth-date take turns, so two desks registering the same person at once cannot both
 * pass the duplicate check. Sorted, so that two registrations never wait on each other crosswise.
 */
export function registrationLockKeys(branchId: string, probe: { phone?: string | null; abhaNumber?: string | null; phoneticName: string; dateOfBirth?: string | null }): string[] {
  return [probe.phone ? `phone:${probe.phone}` : null, probe.abhaNumber ? `abha:${probe.abhaNumber}` : null, `name-dob:${probe.phoneticName}:${probe.dateOfBirth}`]
    .filter((k): k is string => k !== null)
    .map((k) => `${branchId}:${k}`)
    .sort();
}
