import { patientRefsOf, type EventEnvelope } from '@hms/contracts-common';
import type { ChainedFields } from './hash-chain';

/** Where a new entry goes in the chain: its sequence number and its own id. */
export interface ChainPosition {
  seq: number;
  id: string;
}

/**
 * The fields the trail records, and hashes, for one event of any service. The payload is
 * round-tripped through JSON, so the hash covers exactly what jsonb gives back when the chain is
 * verified (no `undefined`, dates as strings); an event without a payload records JSON null.
 */
export function trailFieldsOf(envelope: EventEnvelope, position: ChainPosition): ChainedFields {
  return {
    seq: position.seq,
    id: position.id,
    eventId: envelope.id,
    type: envelope.type,
    source: envelope.source,
    occurredAt: new Date(envelope.occurredAt).toISOString(),
    branchId: envelope.branchId ?? null,
    actorType: envelope.actor?.type === 'user' ? 'user' : 'system',
    actorId: envelope.actor?.id ?? 'unknown',
    patientIds: patientRefsOf(envelope),
    correlationId: envelope.correlationId ?? null,
    data: JSON.parse(JSON.stringify(envelope.data ?? null)),
  };
}
