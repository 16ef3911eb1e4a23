import { BaseRpcContext, Server, type CustomTransportStrategy, type MessageHandler } from '@nestjs/microservices';
import { lastValueFrom } from 'rxjs';
import type { EventEnvelope } from '@hms/contracts-common';
import type { EventConsumer } from '@hms/platform-messaging';
import type { Tx } from '@hms/platform-persistence';

/** The pattern of a handler that receives every event no other handler takes (the audit trail). */
export const ANY_EVENT = '*';

/**
 * What an `@EventPattern` handler gets beside the envelope (`@Ctx()`): the transaction that also
 * records the event in the inbox. Whatever the handler writes through it commits with that
 * record, so a redelivered event is applied once.
 */
export class EventContext extends BaseRpcContext<[Tx, EventEnvelope]> {
  get tx(): Tx {
    return this.getArgByIndex(0);
  }
  get envelope(): EventEnvelope {
    return this.getArgByIndex(1);
  }
}

/**
 * The platform's event bus as a NestJS custom transport strategy. Nest hands it the service's
 * `@EventPattern` handlers; it registers each on the service's EventConsumer, which brings the
 * bus's semantics whatever the transport underneath (PostgreSQL or Kafka): the inbox in the
 * handler's transaction, retries with backoff, dead letters and their replay, per-key order.
 *
 * Two handlers for one event type are a start-up error, never one silently chained behind the
 * other (Nest's default for event handlers).
 */
export class EventBusServer extends Server implements CustomTransportStrategy {
  constructor(private readonly consumer: EventConsumer) {
    super();
  }

  override addHandler(pattern: unknown, callback: MessageHandler, isEventHandler = false, extras: Record<string, unknown> = {}): void {
    const route = this.normalizePattern(pattern as string);
    if (!isEventHandler) throw new Error(`${route}: the event bus carries events only; use @EventPattern, not @MessagePattern`);
    if (this.messageHandlers.has(route)) throw new Error(`two handlers are registered for the event ${route}; an event type has exactly one handler per service`);
    super.addHandler(pattern, callback, isEventHandler, extras);
  }

  listen(callback: (...optionalParams: unknown[]) => unknown): void {
    for (const [pattern, handler] of this.messageHandlers) {
      const run = async (envelope: EventEnvelope, tx: Tx) => {
        await lastValueFrom(this.transformToObservable(await handler(envelope, new EventContext([tx, envelope]))), { defaultValue: undefined });
      };
      if (pattern === ANY_EVENT) this.consumer.onAny(run);
      else this.consumer.on(pattern, run);
    }
    callback();
  }

  /** The consumer stops with the transport, which the service closes. */
  close(): void {
    /* nothing of its own to close */
  }

  on(): never {
    throw new Error('the event bus server emits no events of its own');
  }

  unwrap<T>(): T {
    return this.consumer as T;
  }
}
