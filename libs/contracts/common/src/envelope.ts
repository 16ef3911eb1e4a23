/** Who caused an event: a signed-in user, or the system itself (jobs, consumers). */
export interface EventActor {
  type: 'user' | 'system';
  id: string;
  /** Display name for people reading an audit trail; never a patient's data. */
  name?: string;
}

/**
 * The envelope every event travels in, whatever the transport.
 * `key` is the aggregate id: events with one key arrive in order.
 */
export interface EventEnvelope<TData = unknown> {
  id: string;
  type: string;
  version: number;
  occurredAt: string;
  source: string;
  branchId: string | null;
  key: string;
  actor: EventActor;
  correlationId: string | null;
  causationId: string | null;
  data: TData;
}

/** A typed description of one event: its type string, topic and schema version. */
export interface EventDefinition<TData> {
  readonly type: string;
  readonly topic: string;
  readonly version: number;
  /** Phantom field so that definitions carry their payload type. */
  readonly _data?: TData;
}

export function defineEvent<TData>(type: string, topic: string, version = 1): EventDefinition<TData> {
  return { type, topic, version };
}

export type DataOf<D> = D extends EventDefinition<infer T> ? T : never;

export function isEvent<TData>(
  envelope: EventEnvelope,
  definition: EventDefinition<TData>,
): envelope is EventEnvelope<TData> {
  return envelope.type === definition.type;
}

/** Topic naming: one topic per aggregate type, `hms.<service>.<aggregate>.v<n>`. */
export function topicName(service: string, aggregate: string, version = 1): string {
  return `hms.${service}.${aggregate}.v${version}`;
}

export const ALL_TOPICS = '*';
