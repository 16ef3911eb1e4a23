import type { EventEnvelope } from './envelope';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The patients an event is about, for the audit trail. Conventions every contract follows:
 * events of the patient aggregate are keyed by patient id; other events name patients in
 * `data.patientId` or `data.patientIds`.
 */
export function patientRefsOf(envelope: EventEnvelope): string[] {
  const refs = new Set<string>();
  if (envelope.type.startsWith('patients.patient.') && UUID.test(envelope.key)) refs.add(envelope.key);
  const data = envelope.data as Record<string, unknown> | null;
  if (data && typeof data === 'object') {
    for (const field of ['patientId', 'mergedPatientId', 'survivorId']) {
      const value = data[field];
      if (typeof value === 'string' && UUID.test(value)) refs.add(value);
    }
    const many = data['patientIds'];
    if (Array.isArray(many)) for (const v of many) if (typeof v === 'string' && UUID.test(v)) refs.add(v);
  }
  return [...refs];
}
