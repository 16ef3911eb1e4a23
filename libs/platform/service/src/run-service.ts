import 'reflect-metadata';
import { Global, Module, type DynamicModule, type INestApplication, type LoggerService, type Provider, type Type } from '@nestjs/common';
import { APP_GUARD, NestFactory } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import type { AddressInfo } from 'node:net';
import type { Pool } from 'pg';
import { ConfigError, describeConfig, loadConfig, portField, serviceConfigSchema, type ConfigOf, type Schema } from '@hms/platform-config';
import { Authenticator, TokenVerifier, accessGuard, jwtStrategy, jwtStrategyName, migrateSessionState, openSessionState, releaseStrategy, type SessionState } from '@hms/platform-auth';
import { ProblemSchema, configureHttp, documentCommonProblems } from '@hms/platform-http';
import { EventConsumer, Outbox, OutboxRelay, createTransport, type EventTransport } from '@hms/platform-messaging';
import { createLogger, enableDefaultMetrics, type Logger } from '@hms/platform-observability';
import { Database, createDataSource, createPool, runMigrations, type SchemaMigrationClass } from '@hms/platform-persistence';
import { EventBusServer } from './event-bus.server';
import { CLOCK, ID_GENERATOR, systemClock, uuidv7Generator, type Clock, type IdGenerator } from '@hms/platform-time';
import { IdempotencyInterceptor } from './idempotency.interceptor';
import { HealthController, deadLetterController, startMetricsServer } from './platform.controllers';
import { platformMigrations } from './platform-migrations';
import { CONFIG, LOGGER, READINESS, SERVICE_NAME, SESSION_STATE, TRANSPORT } from './tokens';

export interface ServiceDefinition<S extends Schema = Schema> {
  /** Service name: its schema, database role (`hms_<name>`), consumer group and event source. */
  name: string;
  title: string;
  defaultPort: number;
  configSchema?: S;
  /** TypeORM migration classes, in order (`migrations/index.ts`); the platform's own tables come first. */
  migrations: readonly SchemaMigrationClass[];
  /** TypeORM entities, one per table of the service's schema (`data/*.entity.ts`). */
  entities?: readonly EntityClass[];
  /** The service's own Nest modules; platform providers are global. */
  imports: (Type | DynamicModule)[];
  /** Topics the service consumes (its handlers register on the EventConsumer). */
  consumes?: readonly string[] | '*';
  /**
   * Runs after migrations and before the HTTP app is built: extra global providers, a token
   * verifier of the service's own (the gateway verifies with its own keys), resources to close.
   */
  prepare?: (ctx: { config: Record<string, unknown>; db: Database; logger: Logger; sessions: SessionState }) => Promise<Prepared>;
  /** Lets the gateway shape the OpenAPI document or add routes outside Nest; may return what to stop on close. */
  configureApp?: (app: INestApplication, ctx: PlatformContext, openApi: OpenAPIObject) => Promise<void | (() => Promise<void>)> | void;
}

/** An entity class (TypeORM reads its decorators). */
export type EntityClass = new (...args: never[]) => object;

export interface Prepared {
  providers?: Provider[];
  tokenVerifier?: TokenVerifier;
  /** Extra readiness checks (the gateway checks the services behind it). */
  readiness?: () => Promise<Record<string, boolean>>;
  close?: () => Promise<void>;
}

export interface PlatformContext {
  name: string;
  config: Record<string, unknown>;
  logger: Logger;
  pool: Pool;
  db: Database;
  sessions: SessionState;
  transport: EventTransport;
  outbox: Outbox;
  relay: OutboxRelay;
  consumer: EventConsumer;
  /** The passport strategy that checks this service's bearer tokens (the gateway's proxy uses it too). */
  authStrategy: string;
}

export interface RunningService {
  app: INestApplication;
  url: string;
  /** Where /metrics is served (METRICS_PORT), if anywhere. */
  metricsUrl: string | null;
  port: number;
  context: PlatformContext;
  openApi: OpenAPIObject;
  close(): Promise<void>;
}

class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}
  log(message: unknown) {
    this.logger.debug({ nest: true }, String(message));
  }
  error(message: unknown, trace?: string) {
    this.logger.error({ nest: true, trace }, String(message));
  }
  warn(message: unknown) {
    this.logger.warn({ nest: true }, String(message));
  }
}

export interface RunOptions {
  env?: NodeJS.ProcessEnv;
  port?: number;
  /** The clock every provider injects as CLOCK (tests pass a fixed or movable one). */
  clock?: Clock;
  /** The id source every provider injects as ID_GENERATOR. */
  ids?: IdGenerator;
}

/**
 * Starts one service: validated config, migrations under an advisory lock, the event transport,
 * outbox relay and consumers, the HTTP app with the platform's conventions, OpenAPI at
 * `/openapi.json`. Used by each app's main.ts and by the integration tests.
 */
export async function runService<S extends Schema>(
  definition: ServiceDefinition<S>,
  options: RunOptions = {},
): Promise<RunningService> {
  const schema = { ...serviceConfigSchema, PORT: portField(definition.defaultPort), ...(definition.configSchema ?? {}) };
  const config = loadConfig(schema, options.env ?? process.env) as ConfigOf<typeof serviceConfigSchema> & { PORT: number } & Record<string, unknown>;
  const logger = createLogger(definition.name, config.LOG_LEVEL);
  enableDefaultMetrics(definition.name);
  logger.info({ config: describeConfig(schema, config as ConfigOf<typeof schema>) }, 'starting');

  const role = `hms_${definition.name}`;
  const { dataSource, pool } = await openDataSource(definition, config.DATABASE_URL, config.DB_POOL_SIZE, `hms-${definition.name}`, logger, (error) =>
    logger.warn({ err: { message: error.message } }, 'database connection lost'),
  );
  const cleanups: (() => Promise<unknown>)[] = [];
  try {
    await runMigrations(dataSource, { schema: definition.name, role, log: (m) => logger.info(m) });
    // The shared session state: created here when this login may (an administrator's, as in
    // tests); otherwise the provisioning step created it and this finds nothing to do.
    await migrateSessionState(pool);
    const sessions = await openSessionState(pool, { url: config.REDIS_URL, prefix: config.REDIS_PREFIX }, (error) => logger.warn({ err: { message: error.message } }, 'redis error'));
    cleanups.push(() => sessions.close());
    const busUrl = config.BUS_DATABASE_URL ?? config.DATABASE_URL;
    const busPool = createPool(busUrl, 4, `hms-${definition.name}-bus`, (error) => logger.warn({ err: { message: error.message } }, 'bus connection lost'));
    cleanups.push(() => busPool.end());
    const onError = (error: unknown, where: string) => logger.warn({ err: { message: (error as Error)?.message }, where }, 'messaging error');
    const transport = createTransport({
      kind: config.EVENT_TRANSPORT,
      clientId: config.KAFKA_CLIENT_ID ?? `hms-${definition.name}`,
      busPool,
      busUrl,
      kafkaBrokers: config.KAFKA_BROKERS,
      onError,
    });
    const db = new Database(pool, { schema: definition.name, role: config.DB_SET_ROLE ? role : null, dataSource });
    const outbox = new Outbox(definition.name);
    const relay = new OutboxRelay(db, transport, { onError: (e) => onError(e, 'outbox relay') });
    outbox.attach(relay);
    const consumer = new EventConsumer(db, transport, definition.name, logger);
    const prepared = (await definition.prepare?.({ config, db, logger, sessions })) ?? {};
    if (prepared.close) cleanups.push(prepared.close);
    const verifier = prepared.tokenVerifier
      ? prepared.tokenVerifier
      : new TokenVerifier({ jwksUrl: requireJwks(config.AUTH_JWKS_URL), issuer: config.AUTH_ISSUER, audience: config.AUTH_AUDIENCE });
    const authenticator = new Authenticator(verifier, sessions);
    const authStrategy = jwtStrategyName(definition.name);
    cleanups.push(async () => releaseStrategy(authStrategy));
    const context: PlatformContext = { name: definition.name, config, logger, pool, db, sessions, transport, outbox, relay, consumer, authStrategy };

    const providers: Provider[] = [
      { provide: LOGGER, useValue: logger },
      { provide: CLOCK, useValue: options.clock ?? systemClock },
      { provide: ID_GENERATOR, useValue: options.ids ?? uuidv7Generator },
      { provide: CONFIG, useValue: config },
      { provide: SERVICE_NAME, useValue: definition.name },
      { provide: TRANSPORT, useValue: transport },
      { provide: Database, useValue: db },
      { provide: Outbox, useValue: outbox },
      { provide: OutboxRelay, useValue: relay },
      { provide: EventConsumer, useValue: consumer },
      { provide: TokenVerifier, useValue: verifier },
      { provide: Authenticator, useValue: authenticator },
      { provide: SESSION_STATE, useValue: sessions },
      { provide: READINESS, useValue: prepared.readiness ?? (async () => ({})) },
      jwtStrategy(authStrategy),
      { provide: APP_GUARD, useClass: accessGuard(authStrategy) },
      IdempotencyInterceptor,
      ...(prepared.providers ?? []),
    ];

    const exported = providers.map((p) => (typeof p === 'function' ? p : p.provide)).filter((token) => token !== APP_GUARD);
    @Global()
    @Module({ providers, exports: exported })
    class PlatformModule {}

    @Module({
      imports: [PlatformModule, ...definition.imports],
      controllers: [HealthController, deadLetterController(definition.name)],
    })
    class RootModule {}

    const app = await NestFactory.create(RootModule, { bodyParser: false, logger: new PinoNestLogger(logger), abortOnError: false });
    let appClosed: Promise<void> | null = null;
    const closeApp = () => (appClosed ??= app.close());
    cleanups.push(closeApp);
    // The service's @EventPattern handlers, through the event bus's transport strategy. Started
    // before the port opens: two handlers for one event type stop the start here.
    app.connectMicroservice({ strategy: new EventBusServer(consumer) });
    await app.startAllMicroservices();
    configureHttp(app, { logger, bodyLimit: config.BODY_LIMIT });
    const openApi = SwaggerModule.createDocument(
      app,
      new DocumentBuilder()
        .setTitle(definition.title)
        .setVersion('1')
        .addBearerAuth()
        .addGlobalParameters({ name: 'X-Branch-Id', in: 'header', required: false, description: 'Branch to act in (optional when you belong to one)' })
        .build(),
      { extraModels: [ProblemSchema] },
    );
    documentCommonProblems(openApi);
    app.getHttpAdapter().get('/openapi.json', (_req: unknown, res: { json: (b: unknown) => void }) => res.json(openApi));
    const stopExtra = await definition.configureApp?.(app, context, openApi);
    if (stopExtra) cleanups.push(stopExtra);
    await app.listen(options.port ?? config.PORT, config.HOST);
    // Keep idle connections open longer than the clients in front (the gateway, a load balancer)
    // do, so they are never closed under a request that is just being sent.
    const server = app.getHttpServer() as import('node:http').Server;
    server.keepAliveTimeout = 65_000;
    server.headersTimeout = 66_000;
    // /metrics lives on a port of its own (Prometheus's), never beside the API.
    let metricsUrl: string | null = null;
    if (config.METRICS_PORT !== undefined) {
      const metrics = await startMetricsServer(config.METRICS_PORT, config.HOST);
      cleanups.push(() => metrics.close());
      metricsUrl = metrics.url;
      logger.info({ url: metrics.url }, 'metrics');
    }
    relay.start();
    if (definition.consumes) await consumer.start(definition.consumes);
    const address = app.getHttpServer().address() as AddressInfo;
    const url = `http://${config.HOST}:${address.port}`;
    logger.info({ url }, 'ready');

    let closing: Promise<void> | null = null;
    const close = () =>
      (closing ??= (async () => {
        await relay.stop();
        await transport.close();
        await closeApp();
        // cleanups run in reverse order of creation: the service's own resources before the bus pool.
        cleanups.reverse();
        for (const c of cleanups) await c().catch(() => undefined);
        await dataSource.destroy().catch(() => undefined);
        logger.info('stopped');
      })());
    return { app, url, metricsUrl, port: address.port, context, openApi, close };
  } catch (error) {
    for (const c of cleanups) await c().catch(() => undefined);
    await dataSource.destroy().catch(() => undefined);
    throw error;
  }
}

function requireJwks(url: string | undefined): string {
  if (!url) throw new ConfigError(['AUTH_JWKS_URL is required (where to fetch the keys that sign access tokens, e.g. the gateway\'s /.well-known/jwks.json) but is not set']);
  return url;
}

/** Applies the service's migrations and returns (the `migrate` target, and deploy jobs). */
export async function migrateOnly<S extends Schema>(definition: ServiceDefinition<S>, env: NodeJS.ProcessEnv = process.env): Promise<string[]> {
  const config = loadConfig({ DATABASE_URL: serviceConfigSchema.DATABASE_URL, LOG_LEVEL: serviceConfigSchema.LOG_LEVEL }, env);
  const logger = createLogger(definition.name, config.LOG_LEVEL);
  const { dataSource } = await openDataSource(definition, config.DATABASE_URL, 1, `hms-${definition.name}-migrate`, logger);
  try {
    return await runMigrations(dataSource, { schema: definition.name, role: `hms_${definition.name}`, log: (m) => logger.info(m) });
  } finally {
    await dataSource.destroy();
  }
}

/** The service's TypeORM DataSource on its schema: its entities, and the platform's migrations before its own. */
function openDataSource<S extends Schema>(definition: ServiceDefinition<S>, url: string, poolSize: number, applicationName: string, logger: Logger, onError?: (error: Error) => void) {
  return createDataSource({
    url,
    schema: definition.name,
    poolSize,
    applicationName,
    entities: [...(definition.entities ?? [])],
    migrations: [...platformMigrations, ...definition.migrations],
    onError,
    log: (message) => logger.warn({ typeorm: true }, message),
  });
}

/**
 * Entry point for an app's main.ts: starts the service and stops it cleanly on SIGTERM or SIGINT.
 * With `--migrate-only` it applies migrations and exits.
 */
export function main<S extends Schema>(definition: ServiceDefinition<S>): void {
  if (process.argv.includes('--migrate-only')) {
    migrateOnly(definition).then(
      (applied) => {
        process.stdout.write(`${definition.name}: ${applied.length} migration(s) applied\n`);
        process.exit(0);
      },
      (error: Error) => {
        process.stderr.write(`${definition.name}: migration failed: ${error.message}\n`);
        process.exit(1);
      },
    );
    return;
  }
  runService(definition).then(
    (service) => {
      let stopping = false;
      const stop = (signal: string) => {
        if (stopping) return;
        stopping = true;
        service.context.logger.info({ signal }, 'stopping');
        const force = setTimeout(() => process.exit(1), 10_000);
        force.unref();
        service.close().then(() => process.exit(0), () => process.exit(1));
      };
      process.on('SIGTERM', () => stop('SIGTERM'));
      process.on('SIGINT', () => stop('SIGINT'));
    },
    (error: Error) => {
      // A configuration problem is a sentence for the operator; anything else keeps its stack.
      process.stderr.write(`${definition.name} could not start: ${error.name === 'ConfigError' ? error.message : (error.stack ?? error.message)}\n`);
      process.exit(1);
    },
  );
}
