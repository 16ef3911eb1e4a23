import { AsyncLocalStorage } from 'node:async_hooks';
import { Pool, PoolClient, QueryResultRow } from 'pg';
import { DataSource, type DataSourceOptions as TypeOrmOptions, type EntityManager, type Logger as TypeOrmLogger, type QueryRunner } from 'typeorm';
import { MIGRATIONS_TABLE } from './typeorm-migrations';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const IDENT = /^[a-z_][a-z0-9_]*$/;

/** The branch a unit of work acts in, or `all` for system work that spans branches (consumers, jobs). */
export type BranchScope = { branchId: string } | 'all';

export interface Queryable {
  query<T extends QueryResultRow = QueryResultRow>(sql: string, params?: readonly unknown[]): Promise<T[]>;
}

export interface Tx extends Queryable {
  one<T extends QueryResultRow = QueryResultRow>(sql: string, params?: readonly unknown[]): Promise<T>;
  maybeOne<T extends QueryResultRow = QueryResultRow>(sql: string, params?: readonly unknown[]): Promise<T | null>;
  /** Runs after a successful commit (e.g. waking the outbox relay). */
  afterCommit(callback: () => void): void;
  readonly scope: BranchScope;
  /**
   * TypeORM's entity manager on this same transaction (same connection, same role and branch
   * settings, so row-level security applies to what it reads and writes). Only for a Database
   * built on a DataSource (`createDataSource`).
   */
  readonly manager: EntityManager;
}

export interface DatabaseOptions {
  schema: string;
  /** Role to act as inside each transaction, so that grants and row-level security apply. */
  role?: string | null;
  /** The service's TypeORM DataSource, whose pool `pool` is: transactions then carry a `manager`. */
  dataSource?: DataSource | null;
}

export interface TransactionOptions {
  isolation?: 'read committed' | 'repeatable read' | 'serializable';
  readOnly?: boolean;
}

/** What a unit of work does at its edges: right after BEGIN, and just before COMMIT. */
export interface UnitOfWorkHooks<T> {
  /** Runs first in the transaction; may end the unit early by throwing. */
  begin?(tx: Tx): Promise<void>;
  /** Runs last, with the work's result, in the same transaction as everything else. */
  beforeCommit?(tx: Tx, result: T): Promise<void>;
}

/** The transaction a request shares with every `transaction()` call made while it runs. */
interface Ambient {
  db: Database;
  scope: BranchScope;
  tx: Tx;
  client: Connection;
  callbacks: (() => void)[];
  open: boolean;
  /** Serialises work on the one connection: pg clients run one query at a time. */
  queue: Promise<unknown>;
  savepoints: number;
}

const ambient = new AsyncLocalStorage<Ambient>();
/** Set while a joined transaction's work runs, so work nested inside it does not wait on itself. */
const insideJoined = new AsyncLocalStorage<Ambient>();

const sameScope = (a: BranchScope, b: BranchScope) =>
  a === 'all' || b === 'all' ? a === b : a.branchId.toLowerCase() === b.branchId.toLowerCase();

/**
 * A service's handle on its own schema. Every unit of work names its branch scope:
 * row-level security policies read it, so a query that forgets a branch filter still
 * sees only the caller's branch.
 */
export class Database {
  readonly schema: string;
  private readonly role: string | null;
  readonly dataSource: DataSource | null;

  constructor(
    readonly pool: Pool,
    options: DatabaseOptions,
  ) {
    if (!IDENT.test(options.schema)) throw new Error(`invalid schema name ${options.schema}`);
    if (options.role && !IDENT.test(options.role)) throw new Error(`invalid role name ${options.role}`);
    this.schema = options.schema;
    this.role = options.role ?? null;
    this.dataSource = options.dataSource ?? null;
  }

  /**
   * Runs `work` in one transaction scoped to a branch (or to all branches for system work).
   * Inside a unit of work of the same scope (see `unitOfWork`), it joins that transaction as a
   * savepoint instead: its effects commit or roll back with the whole unit.
   */
  async transaction<T>(scope: BranchScope, work: (tx: Tx) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
    const unit = ambient.getStore();
    if (unit && unit.db === this && unit.open && sameScope(unit.scope, scope) && !options.isolation) return this.joined(unit, work);
    return this.inTransaction(scope, options, (client, callbacks) => work(wrap(client, scope, callbacks)));
  }

  /**
   * Runs `work` (a request, usually) as one transaction: every `transaction()` of the same scope
   * that it makes, directly or deep inside, joins this one. `hooks.begin` runs right after BEGIN
   * and `hooks.beforeCommit` right before COMMIT, so a record they write (an idempotency key and
   * its response) commits exactly when the work's effects do, and a crash leaves neither.
   */
  async unitOfWork<T>(scope: BranchScope, work: () => Promise<T>, hooks: UnitOfWorkHooks<T> = {}): Promise<T> {
    let unit: Ambient | null = null;
    return this.inTransaction(
      scope,
      {},
      async (client, callbacks) => {
        const u: Ambient = { db: this, scope, tx: wrap(client, scope, callbacks), client, callbacks, open: true, queue: Promise.resolve(), savepoints: 0 };
        unit = u;
        await hooks.begin?.(u.tx);
        const result = await ambient.run(u, work);
        await u.queue;
        await hooks.beforeCommit?.(u.tx, result);
        u.open = false;
        return result;
      },
      async () => {
        const u = unit as Ambient | null;
        if (!u) return;
        u.open = false;
        await u.queue.catch(() => undefined);
      },
    );
  }

  /** BEGIN (scoped), the body, COMMIT and the after-commit callbacks; ROLLBACK (and a discarded connection if even that fails) on error. */
  private async inTransaction<T>(
    scope: BranchScope,
    options: TransactionOptions,
    body: (client: Connection, callbacks: (() => void)[]) => Promise<T>,
    beforeRollback?: () => Promise<void>,
  ): Promise<T> {
    const client = await this.connect();
    const callbacks: (() => void)[] = [];
    let released = false;
    try {
      await client.query(this.beginStatement(scope, options));
      // BEGIN went on the connection itself (with the scope's settings, in one round trip);
      // TypeORM must know a transaction is open so that a save does not begin one of its own.
      if (client.runner) markTransaction(client.runner, true);
      const result = await body(client, callbacks);
      await client.query('COMMIT');
      // Callbacks (a relay's wake-up, say) start work of their own, outside any request's unit.
      ambient.exit(() => {
        for (const cb of callbacks) {
          try {
            cb();
          } catch {
            /* after-commit hooks are best effort by design: pollers catch up */
          }
        }
      });
      return result;
    } catch (error) {
      try {
        await beforeRollback?.();
        await client.query('ROLLBACK');
      } catch {
        client.release(true);
        released = true;
      }
      throw error;
    } finally {
      if (!released) client.release();
    }
  }

  /**
   * A connection for one transaction: from TypeORM's query runner when there is a DataSource (so
   * the entity manager works on it), else straight from the pool. Both are the same pg pool.
   */
  private async connect(): Promise<Connection> {
    if (!this.dataSource) {
      const client = await this.pool.connect();
      return { query: (sql, params) => client.query(sql, params as unknown[] | undefined), release: (discard) => client.release(discard), runner: null };
    }
    const runner = this.dataSource.createQueryRunner();
    const client = (await runner.connect()) as PoolClient;
    return {
      query: (sql, params) => client.query(sql, params as unknown[] | undefined),
      runner,
      release: (discard) => {
        markTransaction(runner, false);
        // The query runner hands the connection back exactly once: it may already have done so
        // itself, when the connection reported an error (the database went away mid-request).
        // A connection that could not even roll back is released with an error, so the pool
        // destroys it instead of reusing it.
        void (runner as PostgresRunner).releasePostgresConnection(discard ? new Error('discarded: the transaction could not be rolled back') : undefined);
      },
    };
  }

  /** A `transaction()` inside a unit of work: a savepoint, one at a time on the unit's connection. */
  private joined<T>(unit: Ambient, work: (tx: Tx) => Promise<T>): Promise<T> {
    const run = async () => {
      const name = `hms_sp_${++unit.savepoints}`;
      await unit.client.query(`SAVEPOINT ${name}`);
      try {
        const result = await insideJoined.run(unit, () => work(unit.tx));
        await unit.client.query(`RELEASE SAVEPOINT ${name}`);
        return result;
      } catch (error) {
        await unit.client.query(`ROLLBACK TO SAVEPOINT ${name}`);
        throw error;
      }
    };
    // Work nested inside a joined transaction already holds the connection.
    if (insideJoined.getStore() === unit) return run();
    const next = unit.queue.then(run, run);
    unit.queue = next.catch(() => undefined);
    return next;
  }

  /** A read or write in its own transaction; shorthand for single statements. */
  async query<T extends QueryResultRow = QueryResultRow>(scope: BranchScope, sql: string, params?: readonly unknown[]): Promise<T[]> {
    return this.transaction(scope, (tx) => tx.query<T>(sql, params));
  }

  async ping(): Promise<void> {
    await this.pool.query('SELECT 1');
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  private beginStatement(scope: BranchScope, options: TransactionOptions): string {
    const parts = [`BEGIN ISOLATION LEVEL ${(options.isolation ?? 'read committed').toUpperCase()}${options.readOnly ? ' READ ONLY' : ''}`];
    parts.push(`SET LOCAL search_path TO "${this.schema}", public`);
    if (this.role) parts.push(`SET LOCAL ROLE "${this.role}"`);
    if (scope === 'all') {
      parts.push(`SET LOCAL hms.all_branches = 'on'`);
    } else {
      if (!UUID.test(scope.branchId)) throw new Error('branch id must be a UUID');
      parts.push(`SET LOCAL hms.branch_id = '${scope.branchId.toLowerCase()}'`);
    }
    return parts.join('; ');
  }
}

/**
 * Tells TypeORM's query runner whether a transaction is open on its connection. The platform
 * opens and ends transactions itself (BEGIN with the role and branch settings in one round trip,
 * savepoints for joined work); the flag is public on TypeORM's runners, read-only only in the
 * interface, and makes `save` use the open transaction instead of starting one.
 */
/**
 * TypeORM's PostgresQueryRunner, as far as this file uses it: its release with an error (which
 * pg-pool takes as "destroy this connection") is public on the class but not on QueryRunner.
 */
type PostgresRunner = QueryRunner & { releasePostgresConnection(err?: Error): Promise<void> };

function markTransaction(runner: QueryRunner, active: boolean): void {
  (runner as { isTransactionActive: boolean }).isTransactionActive = active;
}

/** One transaction's connection: raw queries, the TypeORM query runner on it (if any), release. */
interface Connection {
  query(sql: string, params?: readonly unknown[]): Promise<{ rows: QueryResultRow[] }>;
  release(discard?: boolean): void;
  runner: QueryRunner | null;
}

function wrap(client: Connection, scope: BranchScope, callbacks: (() => void)[]): Tx {
  const query = async <T extends QueryResultRow>(sql: string, params?: readonly unknown[]) => (await client.query(sql, params)).rows as T[];
  return {
    scope,
    query,
    get manager(): EntityManager {
      if (!client.runner) throw new Error('this Database has no DataSource: build it with createDataSource() to use entities');
      return client.runner.manager;
    },
    async one<T extends QueryResultRow>(sql: string, params?: readonly unknown[]) {
      const rows = await query<T>(sql, params);
      if (rows.length !== 1) throw new Error(`expected one row, got ${rows.length}`);
      return rows[0];
    },
    async maybeOne<T extends QueryResultRow>(sql: string, params?: readonly unknown[]) {
      const rows = await query<T>(sql, params);
      return (rows[0] as T | undefined) ?? null;
    },
    afterCommit(callback) {
      callbacks.push(callback);
    },
  };
}

export function createPool(connectionString: string, size: number, applicationName: string, onError?: (error: Error) => void): Pool {
  // A request waits for a connection at most 30 s: long enough for a burst to queue behind the
  // pool (a thousand desks dispensing at once), short enough that a database that hangs yields a
  // 503 with Retry-After rather than a request that never ends. A database that is down or
  // restarting refuses connections at once, so those requests get their 503 at once.
  const pool = new Pool({ connectionString, max: size, application_name: applicationName, idleTimeoutMillis: 30_000, connectionTimeoutMillis: 30_000 });
  // A client losing its connection (the server restarting, say) must never crash the process:
  // idle clients report on the pool, clients in use on themselves. The query in flight fails
  // with the error; the pool replaces the client.
  const report = (error: Error) => onError?.(error);
  pool.on('error', report);
  pool.on('connect', (client) => client.on('error', report));
  return pool;
}

export interface DataSourceOptions {
  url: string;
  /** The service's schema: entities without a schema of their own live there. */
  schema: string;
  poolSize: number;
  applicationName: string;
  entities: NonNullable<TypeOrmOptions['entities']>;
  /** The service's migration classes, run by `runMigrations` (never by TypeORM on its own). */
  migrations?: NonNullable<TypeOrmOptions['migrations']>;
  onError?: (error: Error) => void;
  /** Where TypeORM's own messages (migrations run or failed, warnings) go; queries are not logged. */
  log?: (message: string) => void;
}

/** TypeORM's logger, sending its migration messages and warnings to the service's log, never to stdout. */
class PlatformTypeOrmLogger implements TypeOrmLogger {
  constructor(private readonly write: (message: string) => void) {}
  // Queries are not logged here: they may carry personal data, and failures reach the caller.
  logQuery(): void {
    /* not logged */
  }
  logQueryError(): void {
    /* the error reaches the caller */
  }
  logQuerySlow(): void {
    /* not logged */
  }
  logSchemaBuild(): void {
    /* synchronize is off: there are no schema builds */
  }
  logMigration(message: string): void {
    this.write(message);
  }
  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    if (level === 'warn') this.write(String(message));
  }
}

/**
 * The service's TypeORM DataSource on PostgreSQL, with the pool behaviour `createPool` gives
 * (30 s connection wait, error handlers so a dropped connection never crashes the process).
 * Schema changes come from migrations only (`synchronize` off), and TypeORM installs no
 * extensions: the service's login may not, and the migrations create what they need.
 */
export async function createDataSource(options: DataSourceOptions): Promise<{ dataSource: DataSource; pool: Pool }> {
  const report = (error: Error) => options.onError?.(error);
  const dataSource = new DataSource({
    type: 'postgres',
    url: options.url,
    schema: options.schema,
    entities: options.entities,
    synchronize: false,
    migrations: options.migrations ?? [],
    migrationsTableName: MIGRATIONS_TABLE,
    migrationsRun: false,
    installExtensions: false,
    logger: new PlatformTypeOrmLogger(options.log ?? (() => undefined)),
    applicationName: options.applicationName,
    poolSize: options.poolSize,
    poolErrorHandler: report,
    extra: { idleTimeoutMillis: 30_000, connectionTimeoutMillis: 30_000 },
  });
  await dataSource.initialize();
  const pool = (dataSource.driver as unknown as { master: Pool }).master;
  pool.on('connect', (client) => client.on('error', report));
  return { dataSource, pool };
}
