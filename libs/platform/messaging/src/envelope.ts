import type { EventActor, EventDefinition, EventEnvelope } from '@hms/contracts-common';
import { uuidv7 } from '@hms/platform-persistence';

export interface EnvelopeMeta {
  key: string;
  branchId: string | null;
  actor: EventActor;
  source: string;
  correlationId?: string | null;
  causationId?: string | null;
  occurredAt?: Date;
  /** The event's id, when the caller must know it before appending (default: a new UUIDv7). */
  id?: string;
}

export function createEnvelope<T>(definition: EventDefinition<T>, data: T, meta: EnvelopeMeta): EventEnvelope<T> {
  return {
    id: meta.id ?? uuidv7(),
    type: definition.type,
    version: definition.version,
    occurredAt: (meta.occurredAt ?? new Date()).toISOString(),
    source: meta.source,
    branchId: meta.branchId,
    key: meta.key,
    actor: meta.actor,
    correlationId: meta.correlationId ?? null,
    causationId: meta.causationId ?? null,
    data,
  };
}

export const SYSTEM_ACTOR = (service: string): EventActor => ({ type: 'system', id: service });

const REQUIRED: (keyof EventEnvelope)[] = ['id', 'type', 'version', 'occurredAt', 'source', 'key', 'actor'];

/** Checks a received envelope's shape; a malformed one goes straight to the dead-letter store. */
export function assertEnvelope(value: unknown): asserts value is EventEnvelope {
  if (!value || typeof value !== 'object') throw new Error('event is not an object');
  for (const field of REQUIRED) {
    if ((value as Record<string, unknown>)[field] === undefined) throw new Error(`event lacks ${field}`);
  }
}
