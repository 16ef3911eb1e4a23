import type { DataSource, QueryRunner } from 'typeorm';
import { createTestDatabase, type TestDatabase } from '@hms/platform-testing';
import { createDataSource } from '../src/database';
import { runMigrations, type SchemaMigrationClass } from '../src/typeorm-migrations';

// A service's migrations are TypeORM migration classes run by TypeORM's executor, under the
// platform's advisory lock, each in a transaction of its own; a database the earlier runner
// migrated is adopted, never migrated twice.

const ROLE = 'hms_mig_probe';

/** A migration class whose body is the given SQL (the tests' stand-in for a file under migrations/). */
function migration(name: string, sql: string, legacyId?: string): SchemaMigrationClass {
  return class {
    readonly name = name;
    readonly legacyId = legacyId;
    async up(queryRunner: QueryRunner): Promise<void> {
      await queryRunner.query(sql);
    }
    async down(): Promise<void> {
      throw new Error('forward only');
    }
  };
}

const runs = migration('Runs1767225600100', `CREATE TABLE runs (id text NOT NULL); INSERT INTO runs VALUES ('0001');`, '0001_runs');
const things = migration('Things1767225600101', `CREATE TABLE things (id int PRIMARY KEY); INSERT INTO runs VALUES ('0002'); SELECT pg_sleep(0.05);`, '0002_things');
const more = migration('More1767225600102', `ALTER TABLE things ADD COLUMN name text; INSERT INTO runs VALUES ('0003');`);

let tdb: TestDatabase;
const sources: DataSource[] = [];

async function source(schema: string, migrations: SchemaMigrationClass[]): Promise<DataSource> {
  const { dataSource } = await createDataSource({ url: tdb.url, schema, poolSize: 2, applicationName: 'mig-probe', entities: [], migrations });
  sources.push(dataSource);
  return dataSource;
}
const recorded = async (schema: string) => (await tdb.admin<{ name: string }>(`SELECT name FROM ${schema}.typeorm_migrations ORDER BY id`)).map((r) => r.name);
const tableExists = async (schema: string, table: string) => (await tdb.admin<{ t: string | null }>('SELECT to_regclass($1)::text AS t', [`${schema}.${table}`]))[0].t !== null;

beforeAll(async () => {
  tdb = await createTestDatabase(__filename);
});
afterAll(async () => {
  await Promise.all(sources.map((s) => s.destroy().catch(() => undefined)));
  await tdb?.drop();
});

describe('runMigrations', () => {
  it('applies each migration exactly once when two replicas migrate the same schema at once, in timestamp order', async () => {
    const list = [more, runs, things];
    const [a, b] = await Promise.all([runMigrations(await source('mig_once', list), { schema: 'mig_once', role: ROLE }), runMigrations(await source('mig_once', list), { schema: 'mig_once', role: ROLE })]);
    expect([...a, ...b]).toEqual(['Runs1767225600100', 'Things1767225600101', 'More1767225600102']);
    expect(await recorded('mig_once')).toEqual(['Runs1767225600100', 'Things1767225600101', 'More1767225600102']);
    expect((await tdb.admin<{ id: string }>('SELECT id FROM mig_once.runs ORDER BY id')).map((r) => r.id)).toEqual(['0001', '0002', '0003']);
    // A later start finds nothing to do, and the service role may use what the migrations made.
    expect(await runMigrations(await source('mig_once', list), { schema: 'mig_once', role: ROLE })).toEqual([]);
    expect((await tdb.admin<{ ok: boolean }>(`SELECT has_table_privilege('${ROLE}', 'mig_once.things', 'INSERT') AS ok`))[0].ok).toBe(true);
  });

  it('rolls back a failing migration and records it not, nor runs those after it, so that a corrected one can run', async () => {
    const bad = migration('Bad1767225600101', `CREATE TABLE half_done (id int); INSERT INTO runs VALUES ('0002'); SELECT 1 / 0;`);
    const after = migration('After1767225600102', 'CREATE TABLE after_bad (id int);');
    await expect(runMigrations(await source('mig_failing', [runs, bad, after]), { schema: 'mig_failing', role: ROLE })).rejects.toThrow(/migration of mig_failing failed: division by zero/);
    expect(await recorded('mig_failing')).toEqual(['Runs1767225600100']);
    expect(await tableExists('mig_failing', 'half_done')).toBe(false);
    expect(await tableExists('mig_failing', 'after_bad')).toBe(false);

    const corrected = migration('Bad1767225600101', 'CREATE TABLE half_done (id int);');
    expect(await runMigrations(await source('mig_failing', [runs, corrected, after]), { schema: 'mig_failing', role: ROLE })).toEqual(['Bad1767225600101', 'After1767225600102']);
    expect(await tableExists('mig_failing', 'half_done')).toBe(true);
  });

  it('adopts what the earlier runner applied (its schema_migrations ids) without running it again, then runs the rest', async () => {
    await tdb.admin(`CREATE SCHEMA mig_legacy`);
    await tdb.admin(`CREATE TABLE mig_legacy.schema_migrations (id text PRIMARY KEY, checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
    await tdb.admin(`CREATE TABLE mig_legacy.runs (id text NOT NULL); INSERT INTO mig_legacy.runs VALUES ('legacy')`);
    await tdb.admin(`INSERT INTO mig_legacy.schema_migrations (id, checksum) VALUES ('0001_runs', 'x')`);
    const log: string[] = [];
    const applied = await runMigrations(await source('mig_legacy', [runs, things]), { schema: 'mig_legacy', role: ROLE, log: (m) => log.push(m) });
    expect(applied).toEqual(['Things1767225600101']);
    expect(log[0]).toBe('adopted migration mig_legacy/Runs1767225600100 (applied earlier as 0001_runs)');
    expect(await recorded('mig_legacy')).toEqual(['Runs1767225600100', 'Things1767225600101']);
    // The adopted migration did not run: its table still holds only the earlier row, plus the new migration's.
    expect((await tdb.admin<{ id: string }>('SELECT id FROM mig_legacy.runs ORDER BY id')).map((r) => r.id)).toEqual(['0002', 'legacy']);
  });
});
