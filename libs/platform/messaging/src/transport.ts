import type { EventEnvelope } from '@hms/contracts-common';

/** A message on its way out: the envelope and the topic it belongs to. */
export interface OutgoingMessage {
  topic: string;
  envelope: EventEnvelope;
}

/** A delivered message. `position` identifies it within its topic for logs and dead letters. */
export interface DeliveredMessage {
  topic: string;
  partition: number;
  offset: string;
  envelope: EventEnvelope;
}

export type MessageHandler = (message: DeliveredMessage) => Promise<void>;

export interface Subscription {
  /** Consumer group: each group sees every message once; members of a group share partitions. */
  group: string;
  /** Topics to read, or `*` for every topic the platform has (the audit service). */
  topics: readonly string[] | '*';
  handler: MessageHandler;
}

/**
 * The port every transport implements. Semantics the services rely on, whatever is behind it:
 * - messages with one key are delivered in the order they were published;
 * - each consumer group gets every message; a new group starts from the beginning;
 * - a message whose handler did not complete (crash, stop) is delivered again;
 * - a handler that throws stops its partition; the consumer runtime retries and dead-letters
 *   before that happens, so handlers given to a transport are expected not to throw.
 */
export interface EventTransport {
  readonly name: 'postgres' | 'kafka';
  publish(messages: readonly OutgoingMessage[]): Promise<void>;
  subscribe(subscription: Subscription): Promise<void>;
  /** Whether the transport can publish and consume right now (readiness). */
  healthy(): Promise<boolean>;
  close(): Promise<void>;
}

export function partitionFor(key: string, partitions: number): number {
  // FNV-1a: stable across processes and languages, cheap, spreads keys evenly enough.
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    hash ^= key.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % partitions;
}
