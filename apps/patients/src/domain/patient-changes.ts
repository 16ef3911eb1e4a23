import type { NormalisedFields, Warning } from './patient-input';

/** What a deceased patient's record still takes: a case can become medico-legal after death. */
const EDITABLE_AFTER_DEATH: ReadonlySet<string> = new Set(['medicoLegal', 'mlcNumber', 'policeStation']);

/** Fields of a change that say how the date of birth was given; events name the date itself. */
const AGE_FIELDS: ReadonlySet<string> = new Set(['ageYears', 'ageMonths', 'ageDays']);

/** The stored personal fields of a record a change may set (the names the record uses): the normalised fields and their warnings. */
export type PatientChanges = NormalisedFields & { warnings?: Warning[] };

/** The fields a request names (a field sent as null is named: it clears). */
export function namedFields(input: object): string[] {
  return Object.entries(input)
    .filter(([, value]) => value !== undefined)
    .map(([key]) => key);
}

/** The named fields a deceased patient's record refuses (all but the medico-legal case's). */
export function refusedAfterDeath(named: readonly string[]): string[] {
  return named.filter((k) => !EDITABLE_AFTER_DEATH.has(k));
}

/**
 * What a PATCH writes: each normalised field it gives; the record's warnings, less an ABHA
 * check-digit warning when the ABHA number is given again, plus the new ones; and, when it
 * clears the medico-legal flag, the case's details with it.
 */
export function changesOf(fields: NormalisedFields, current: { warnings: readonly Warning[] }, input: { abhaNumber?: unknown }, warnings: readonly Warning[]): PatientChanges {
  const changes: PatientChanges = {};
  for (const [key, value] of Object.entries(fields) as [keyof NormalisedFields, unknown][]) {
    if (value !== undefined) (changes as Record<string, unknown>)[key] = value;
  }
  if (clearsCase(fields)) {
    changes.mlcNumber = fields.mlcNumber ?? null;
    changes.policeStation = fields.policeStation ?? null;
  }
  const abhaGiven = input.abhaNumber !== undefined;
  changes.warnings = [...current.warnings.filter((w) => !(abhaGiven && w.code === 'abha-check-digit')), ...warnings];
  return changes;
}

/** Setting the medico-legal flag false clears the case's details. */
export function clearsCase(fields: NormalisedFields): boolean {
  return fields.medicoLegal === false;
}

/** The fields an update event names: ages become dateOfBirth; a cleared case names its details. */
export function changedFieldsOf(named: readonly string[], fields: NormalisedFields): string[] {
  return [...new Set([...named.map((k) => (AGE_FIELDS.has(k) ? 'dateOfBirth' : k)), ...(clearsCase(fields) ? ['mlcNumber', 'policeStation'] : [])])];
}
