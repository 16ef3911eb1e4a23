import { createHash } from 'node:crypto';
import { Pool } from 'pg';

export interface Migration {
  /** Sorted lexically; never renamed once committed. */
  id: string;
  /** SQL run in one transaction. `{{schema}}` and `{{role}}` are replaced before running. */
  up: string;
}

export interface MigrateOptions {
  schema: string;
  role: string;
  migrations: readonly Migration[];
  log?: (message: string) => void;
}

function lockKey(schema: string): string {
  // Two 32-bit halves would be tidier; one signed 64-bit key from a hash is just as unique here.
  return BigInt.asIntN(64, BigInt('0x' + createHash('sha256').update(`hms-migrate:${schema}`).digest('hex').slice(0, 16))).toString();
}

const checksum = (sql: string) => createHash('sha256').update(sql).digest('hex');

/**
 * Applies pending migrations under a Postgres advisory lock, so that several replicas
 * starting at once migrate exactly once. A migration that was edited after it ran stops
 * start-up: committed migrations are never changed, a new one is added instead.
 */
export async function migrate(pool: Pool, options: MigrateOptions): Promise<string[]> {
  const { schema, role } = options;
  const client = await pool.connect();
  const applied: string[] = [];
  try {
    await client.query('SELECT pg_advisory_lock($1)', [lockKey(schema)]);
    const sorted = [...options.migrations].sort((a, b) => a.id.localeCompare(b.id));
    const exists = (await client.query<{ t: string | null }>('SELECT to_regclass($1)::text AS t', [`"${schema}".schema_migrations`])).rows[0].t !== null;
    const done = new Map(
      exists
        ? (await client.query<{ id: string; checksum: string }>(`SELECT id, checksum FROM "${schema}".schema_migrations`)).rows.map((r) => [r.id, r.checksum])
        : [],
    );
    for (const m of sorted) {
      const previous = done.get(m.id);
      if (previous !== undefined && previous !== checksum(m.up)) {
        throw new Error(`migration ${schema}/${m.id} was changed after it was applied; add a new migration instead`);
      }
    }
    const pending = sorted.filter((m) => !done.has(m.id));
    // Nothing to do is a read-only check: a login without rights to create anything (a service
    // reading a schema someone else owns and migrates) starts without touching it.
    if (!pending.length) return applied;
    await ensureRole(client, role);
    const schemaExists = (await client.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema])).rowCount === 1;
    if (!schemaExists) await client.query(`CREATE SCHEMA "${schema}"`);
    await client.query(`GRANT USAGE ON SCHEMA "${schema}" TO "${role}"`);
    // Tables created from here on are usable by the service role; a migration may revoke more.
    await client.query(defaultGrants(schema, role));
    await client.query(
      `CREATE TABLE IF NOT EXISTS "${schema}".schema_migrations (id text PRIMARY KEY, checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`,
    );
    for (const m of pending) {
      const sql = m.up.replaceAll('{{schema}}', schema).replaceAll('{{role}}', role);
      await client.query('BEGIN');
      try {
        await client.query(`SET LOCAL search_path TO "${schema}", public`);
        await client.query(sql);
        await client.query(`INSERT INTO "${schema}".schema_migrations (id, checksum) VALUES ($1, $2)`, [m.id, checksum(m.up)]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw new Error(`migration ${schema}/${m.id} failed: ${(error as Error).message}`);
      }
      applied.push(m.id);
      options.log?.(`applied migration ${schema}/${m.id}`);
    }
    return applied;
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [lockKey(schema)]).catch(() => undefined);
    client.release();
  }
}

async function ensureRole(client: { query: (sql: string) => Promise<unknown> }, role: string): Promise<void> {
  // Roles are cluster-wide: several databases (one per test file) may create the same one at once.
  await client.query(`DO $$ BEGIN
      IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${role}') THEN
        CREATE ROLE "${role}" NOLOGIN;
      END IF;
    EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
    END $$`);
}

/**
 * The branch policy as the first migrations of every service wrote it. Frozen: committed
 * migrations call it, and their text (and so their checksum) must never change.
 */
export function branchScopedTableV1(table: string): string {
  return `
    ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY;
    ALTER TABLE ${table} FORCE ROW LEVEL SECURITY;
    CREATE POLICY branch_scope ON ${table}
      USING (current_setting('hms.all_branches', true) = 'on'
             OR branch_id = nullif(current_setting('hms.branch_id', true), '')::uuid)
      WITH CHECK (current_setting('hms.all_branches', true) = 'on'
             OR branch_id = nullif(current_setting('hms.branch_id', true), '')::uuid);`;
}

/** The policy expression: the settings are read once per statement (an init plan), not per row. */
const BRANCH_SCOPE = `(SELECT current_setting('hms.all_branches', true)) = 'on'
             OR branch_id = (SELECT nullif(current_setting('hms.branch_id', true), '')::uuid)`;

/**
 * SQL for a branch-scoped table: row-level security that admits rows of the transaction's
 * branch only, or every row for system work that declared `all`.
 */
export function branchScopedTable(table: string): string {
  return `
    ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY;
    ALTER TABLE ${table} FORCE ROW LEVEL SECURITY;
    CREATE POLICY branch_scope ON ${table} USING (${BRANCH_SCOPE}) WITH CHECK (${BRANCH_SCOPE});`;
}

/**
 * Rewrites every branch policy of the migrating schema to the current expression. Written with
 * `branchScopedTableV1`, the policy called current_setting() for every row, which roughly
 * doubled the cost of reading a whole store or ward.
 */
export function upgradeBranchScopePolicies(): string {
  return `
    DO $$
    DECLARE t record;
    BEGIN
      FOR t IN SELECT tablename FROM pg_policies WHERE schemaname = current_schema() AND policyname = 'branch_scope' LOOP
        EXECUTE format('ALTER POLICY branch_scope ON %I USING (${BRANCH_SCOPE.replaceAll("'", "''")}) WITH CHECK (${BRANCH_SCOPE.replaceAll("'", "''")})', t.tablename);
      END LOOP;
    END $$;`;
}

function defaultGrants(schema: string, role: string): string {
  return `
    ALTER DEFAULT PRIVILEGES IN SCHEMA "${schema}" GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO "${role}";
    ALTER DEFAULT PRIVILEGES IN SCHEMA "${schema}" GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO "${role}";`;
}
