import { bool, int, list, oneOf, port, str, url } from './config';

/** Variables every service reads. Each app adds its own to these. */
export const serviceConfigSchema = {
  DATABASE_URL: url({ protocols: ['postgres', 'postgresql'], description: 'PostgreSQL connection URL' }),
  DB_POOL_SIZE: int({ min: 1, max: 200, default: 10 }),
  DB_SET_ROLE: bool({ default: true, description: 'act as the service role so row-level security applies' }),
  EVENT_TRANSPORT: oneOf(['postgres', 'kafka'] as const, { default: 'postgres' }),
  BUS_DATABASE_URL: url({ protocols: ['postgres', 'postgresql'], optional: true }),
  KAFKA_BROKERS: list({ optional: true }),
  KAFKA_CLIENT_ID: str({ optional: true }),
  LOG_LEVEL: oneOf(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const, { default: 'info' }),
  AUTH_JWKS_URL: url({ protocols: ['http', 'https'], optional: true, description: 'where to fetch the keys that sign access tokens' }),
  AUTH_ISSUER: str({ default: 'hms-gateway' }),
  AUTH_AUDIENCE: str({ default: 'hms' }),
  BODY_LIMIT: str({ default: '256kb', pattern: /^\d+(b|kb|mb)$/ }),
  HOST: str({ default: '127.0.0.1' }),
  REDIS_URL: url({ protocols: ['redis', 'rediss'], optional: true, description: 'Redis for token revocations (and the gateway\'s rate limits), shared by every process' }),
  REDIS_PREFIX: str({ default: 'hms:', pattern: /^[A-Za-z0-9:_.-]{1,40}$/, description: 'prefix of every Redis key the platform writes (one Redis, several platforms)' }),
  METRICS_PORT: port({ optional: true, description: 'port of a separate listener serving /metrics for Prometheus; /metrics is not served on the service port' }),
};

export function portField(defaultPort: number) {
  return port({ default: defaultPort });
}
