import { createHash } from 'node:crypto';
import { MigrationExecutor, type DataSource, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * A service's schema change: a TypeORM migration class, one file each under the service's
 * `migrations/` folder, named `<timestamp>-<Name>.ts` with the class `<Name><timestamp>`.
 *
 * A committed migration is frozen: it holds the whole SQL it runs and calls no helper whose
 * later edit would change what it does. Migrations written before the platform moved to TypeORM
 * carry the id the earlier runner recorded (`legacyId`), so a database it migrated is not
 * migrated again.
 */
export interface SchemaMigration extends MigrationInterface {
  readonly name: string;
  readonly legacyId?: string;
}

export type SchemaMigrationClass = new () => SchemaMigration;

/** Where TypeORM records the migrations it ran, in the service's schema. */
export const MIGRATIONS_TABLE = 'typeorm_migrations';

/** Where the platform's runner recorded migrations before TypeORM (id, checksum). */
const LEGACY_TABLE = 'schema_migrations';

export interface RunMigrationsOptions {
  schema: string;
  /** The service's role: created if missing, and granted what its tables need. */
  role: string;
  log?: (message: string) => void;
}

export function migrationLockKey(schema: string): string {
  return BigInt.asIntN(64, BigInt('0x' + createHash('sha256').update(`hms-migrate:${schema}`).digest('hex').slice(0, 16))).toString();
}

/**
 * Applies the DataSource's pending migrations, each in its own transaction, under a PostgreSQL
 * advisory lock, so that several replicas starting at once migrate exactly once. Returns the
 * names of the migrations applied.
 *
 * A database migrated by the earlier runner (a `.data` folder from before) is adopted first: each
 * migration whose `legacyId` that runner recorded is marked as run, never run again.
 */
export async function runMigrations(dataSource: DataSource, options: RunMigrationsOptions): Promise<string[]> {
  const { schema, role } = options;
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  const key = migrationLockKey(schema);
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [key]);
    const all = dataSource.migrations as SchemaMigration[];
    const table = async (name: string) => ((await runner.query('SELECT to_regclass($1)::text AS t', [`"${schema}".${name}`])) as { t: string | null }[])[0].t !== null;
    const done = new Set<string>(
      (await table(MIGRATIONS_TABLE)) ? ((await runner.query(`SELECT name FROM "${schema}".${MIGRATIONS_TABLE}`)) as { name: string }[]).map((r) => r.name) : [],
    );
    // Nothing to do is a read-only check: a login without rights to create anything starts
    // without touching the schema.
    if (all.every((m) => done.has(m.name))) return [];

    await prepareSchema(runner, schema, role);
    const executor = new AdoptingMigrationExecutor(dataSource, runner);
    executor.transaction = 'each';
    if (await table(LEGACY_TABLE)) {
      await executor.createTable(runner);
      const legacy = new Set(((await runner.query(`SELECT id FROM "${schema}".${LEGACY_TABLE}`)) as { id: string }[]).map((r) => r.id));
      for (const migration of await executor.getPendingMigrations()) {
        const legacyId = (migration.instance as SchemaMigration | undefined)?.legacyId;
        if (legacyId && legacy.has(legacyId)) {
          await executor.insertMigration(migration);
          options.log?.(`adopted migration ${schema}/${migration.name} (applied earlier as ${legacyId})`);
        }
      }
    }
    // Unqualified names in a migration mean the service's schema.
    await runner.query(`SET search_path TO "${schema}", public`);
    try {
      const applied = await executor.executePendingMigrations();
      for (const m of applied) options.log?.(`applied migration ${schema}/${m.name}`);
      return applied.map((m) => m.name);
    } catch (error) {
      throw new Error(`migration of ${schema} failed: ${(error as Error).message}`);
    } finally {
      await runner.query('RESET search_path').catch(() => undefined);
    }
  } finally {
    await runner.query('SELECT pg_advisory_unlock($1)', [key]).catch(() => undefined);
    await runner.release();
  }
}

/** TypeORM's executor, with its table created up front so that adopted migrations can be recorded before any runs. */
class AdoptingMigrationExecutor extends MigrationExecutor {
  createTable(runner: QueryRunner): Promise<void> {
    return this.createMigrationsTableIfNotExist(runner);
  }
}

async function prepareSchema(runner: QueryRunner, schema: string, role: string): Promise<void> {
  // Roles are cluster-wide: several databases (one per test file) may create the same one at once.
  await runner.query(`DO $$ BEGIN
      IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${role}') THEN
        CREATE ROLE "${role}" NOLOGIN;
      END IF;
    EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
    END $$`);
  // CREATE SCHEMA IF NOT EXISTS would still need CREATE on the database, which a service's login
  // (owning only its schema) does not have.
  const exists = ((await runner.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema])) as unknown[]).length === 1;
  if (!exists) await runner.query(`CREATE SCHEMA "${schema}"`);
  await runner.query(`GRANT USAGE ON SCHEMA "${schema}" TO "${role}"`);
  // Tables created from here on are usable by the service role; a migration may revoke more.
  await runner.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA "${schema}" GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO "${role}"`);
  await runner.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA "${schema}" GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO "${role}"`);
}
