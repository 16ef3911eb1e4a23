import { Pool, PoolClient, QueryResultRow } from 'pg';

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
}

export interface DatabaseOptions {
  schema: string;
  /** Role to act as inside each transaction, so that grants and row-level security apply. */
  role?: string | null;
}

export interface TransactionOptions {
  isolation?: 'read committed' | 'repeatable read' | 'serializable';
  readOnly?: boolean;
}

/**
 * A service's handle on its own schema. Every unit of work names its branch scope:
 * row-level security policies read it, so a query that forgets a branch filter still
 * sees only the caller's branch.
 */
export class Database {
  readonly schema: string;
  private readonly role: string | null;

  constructor(
    readonly pool: Pool,
    options: DatabaseOptions,
  ) {
    if (!IDENT.test(options.schema)) throw new Error(`invalid schema name ${options.schema}`);
    if (options.role && !IDENT.test(options.role)) throw new Error(`invalid role name ${options.role}`);
    this.schema = options.schema;
    this.role = options.role ?? null;
  }

  /** Runs `work` in one transaction scoped to a branch (or to all branches for system work). */
  async transaction<T>(scope: BranchScope, work: (tx: Tx) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
    const client = await this.pool.connect();
    const callbacks: (() => void)[] = [];
    let released = false;
    try {
      await client.query(this.beginStatement(scope, options));
      const tx = wrap(client, scope, callbacks);
      const result = await work(tx);
      await client.query('COMMIT');
      for (const cb of callbacks) {
        try {
          cb();
        } catch {
          /* after-commit hooks are best effort by design: pollers catch up */
        }
      }
      return result;
    } catch (error) {
      try {
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

function wrap(client: PoolClient, scope: BranchScope, callbacks: (() => void)[]): Tx {
  const query = async <T extends QueryResultRow>(sql: string, params?: readonly unknown[]) =>
    (await client.query<T>(sql, params as unknown[] | undefined)).rows;
  return {
    scope,
    query,
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

export function createPool(connectionString: string, size: number, applicationName: string): Pool {
  const pool = new Pool({ connectionString, max: size, application_name: applicationName, idleTimeoutMillis: 30_000 });
  // An idle client losing its connection must not crash the process; the pool replaces it.
  pool.on('error', () => undefined);
  return pool;
}
