import type { Pool } from 'pg';
import { KafkaTransport } from './kafka-transport';
import { PostgresTransport } from './postgres-transport';
import type { EventTransport } from './transport';

export interface TransportSettings {
  kind: 'postgres' | 'kafka';
  clientId: string;
  /** Pool and URL of the database that carries the bus (postgres transport). */
  busPool?: Pool;
  busUrl?: string;
  kafkaBrokers?: string[];
  onError?: (error: unknown, where: string) => void;
}

export function createTransport(settings: TransportSettings): EventTransport {
  if (settings.kind === 'kafka') {
    if (!settings.kafkaBrokers?.length) throw new Error('KAFKA_BROKERS must be set when EVENT_TRANSPORT is kafka');
    return new KafkaTransport({ brokers: settings.kafkaBrokers, clientId: settings.clientId, onError: settings.onError });
  }
  if (!settings.busPool || !settings.busUrl) throw new Error('the postgres transport needs a database pool and URL');
  return new PostgresTransport({ pool: settings.busPool, connectionString: settings.busUrl, onError: settings.onError });
}
