import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** One registry per process; every library registers its instruments here. */
export const metricsRegistry = new Registry();
let defaultsCollected = false;

export function enableDefaultMetrics(service: string): void {
  if (defaultsCollected) return;
  defaultsCollected = true;
  metricsRegistry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: metricsRegistry });
}

export const httpRequestDuration = new Histogram({
  name: 'hms_http_request_duration_seconds',
  help: 'HTTP request duration by route and status',
  labelNames: ['method', 'route', 'status'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  registers: [metricsRegistry],
});

export const eventsPublished = new Counter({
  name: 'hms_events_published_total',
  help: 'Events published from the outbox',
  labelNames: ['topic'] as const,
  registers: [metricsRegistry],
});

export const eventsConsumed = new Counter({
  name: 'hms_events_consumed_total',
  help: 'Events handled by consumers, by outcome',
  labelNames: ['group', 'outcome'] as const,
  registers: [metricsRegistry],
});

export const deadLetters = new Counter({
  name: 'hms_events_dead_lettered_total',
  help: 'Events parked in the dead-letter store after their retries ran out',
  labelNames: ['group', 'type'] as const,
  registers: [metricsRegistry],
});

export const outboxBacklog = new Gauge({
  name: 'hms_outbox_backlog',
  help: 'Outbox rows not yet published at the last relay pass',
  registers: [metricsRegistry],
});
