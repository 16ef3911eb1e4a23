import { Column, Entity, PrimaryColumn, type DataSource } from 'typeorm';
import type { Pool } from 'pg';
import { createTestDatabase, type TestDatabase } from '@hms/platform-testing';
import { Database, createDataSource } from '../src/database';
import { isDatabaseUnavailable } from '../src/pg-errors';
import { uuidv7 } from '../src/ids';
import { branchScopedTable, migrate } from '../src/migrations';

// TypeORM's entity manager works inside the platform's transactions: the same connection, the
// same SET LOCAL ROLE and branch settings, so row-level security governs what entities see and
// write, and a rolled-back transaction takes the entity writes with it.

const SCHEMA = 'orm_probe';
const ROLE = 'hms_orm_probe';

@Entity({ name: 'beds' })
class Bed {
  @PrimaryColumn('uuid') id!: string;
  @Column('uuid', { name: 'branch_id' }) branchId!: string;
  @Column('text') label!: string;
  @Column('int') version!: number;
}

let tdb: TestDatabase;
let dataSource: DataSource;
let pool: Pool;
let db: Database;
const branchA = uuidv7();
const branchB = uuidv7();

beforeAll(async () => {
  tdb = await createTestDatabase(__filename);
  ({ dataSource, pool } = await createDataSource({ url: tdb.url, schema: SCHEMA, poolSize: 4, applicationName: 'orm-probe', entities: [Bed] }));
  await migrate(pool, {
    schema: SCHEMA,
    role: ROLE,
    migrations: [{ id: '0001_beds', up: `CREATE TABLE beds (id uuid PRIMARY KEY, branch_id uuid NOT NULL, label text NOT NULL, version int NOT NULL); ${branchScopedTable('beds')}` }],
  });
  db = new Database(pool, { schema: SCHEMA, role: ROLE, dataSource });
});
afterAll(async () => {
  await dataSource?.destroy();
  await tdb?.drop();
});

const bed = (branchId: string, label: string): Bed => Object.assign(new Bed(), { id: uuidv7(), branchId, label, version: 1 });

describe('TypeORM inside the platform transaction', () => {
  it('saves and finds entities, and row-level security keeps each branch to its own rows', async () => {
    await db.transaction({ branchId: branchA }, (tx) => tx.manager.save([bed(branchA, 'A-1'), bed(branchA, 'A-2')]));
    await db.transaction({ branchId: branchB }, (tx) => tx.manager.save(bed(branchB, 'B-1')));
    const seenByA = await db.transaction({ branchId: branchA }, (tx) => tx.manager.find(Bed, { order: { label: 'ASC' } }));
    expect(seenByA.map((b) => b.label)).toEqual(['A-1', 'A-2']);
    // No WHERE on branch_id: the policy alone hides branch A's beds from branch B.
    const countedByB = await db.transaction({ branchId: branchB }, (tx) => tx.manager.count(Bed));
    expect(countedByB).toBe(1);
    expect(await db.transaction('all', (tx) => tx.manager.count(Bed))).toBe(3);
  });

  it('refuses to write a row of another branch (the policy check), whatever the entity says', async () => {
    await expect(db.transaction({ branchId: branchB }, (tx) => tx.manager.save(bed(branchA, 'smuggled')))).rejects.toThrow(/row-level security/);
    expect(await db.transaction('all', (tx) => tx.manager.countBy(Bed, { label: 'smuggled' }))).toBe(0);
  });

  it('rolls back entity writes with the transaction, and mixes them with SQL on the same connection', async () => {
    const label = 'rolled-back';
    await expect(
      db.transaction({ branchId: branchA }, async (tx) => {
        await tx.manager.save(bed(branchA, label));
        const [{ n }] = await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM beds WHERE label = $1', [label]);
        expect(n).toBe(1);
        throw new Error('the work failed');
      }),
    ).rejects.toThrow('the work failed');
    expect(await db.transaction('all', (tx) => tx.manager.countBy(Bed, { label }))).toBe(0);
  });

  it('acts as the service role, not the login (so grants and forced policies apply)', async () => {
    const [{ role }] = await db.transaction({ branchId: branchA }, (tx) => tx.manager.query('SELECT current_user AS role'));
    expect(role).toBe(ROLE);
  });

  it('joins a unit of work: joined transactions are savepoints, and a failed one undoes only its own entity writes', async () => {
    await db.unitOfWork({ branchId: branchA }, async () => {
      await db.transaction({ branchId: branchA }, (tx) => tx.manager.save(bed(branchA, 'kept')));
      await expect(
        db.transaction({ branchId: branchA }, async (tx) => {
          await tx.manager.save(bed(branchA, 'undone'));
          throw new Error('refused');
        }),
      ).rejects.toThrow('refused');
    });
    const labels = (await db.transaction('all', (tx) => tx.manager.find(Bed))).map((b) => b.label);
    expect(labels).toContain('kept');
    expect(labels).not.toContain('undone');
  });

  it('hands every connection back: many transactions on a pool of four leave none checked out', async () => {
    await Promise.all(Array.from({ length: 40 }, (_, i) => db.transaction({ branchId: branchA }, (tx) => tx.manager.findOneBy(Bed, { label: `A-${i % 3}` }))));
    expect(pool.totalCount).toBeLessThanOrEqual(4);
    expect(pool.idleCount).toBe(pool.totalCount);
  });

  it('reports a connection lost mid-transaction as the database being unavailable, and the pool goes on without it', async () => {
    // The query runner hands a connection back itself when the connection reports an error; the
    // transaction's own release must not hand it back a second time (pg-pool would throw, and the
    // caller would see that instead of the outage).
    const failure = await db
      .transaction({ branchId: branchA }, async (tx) => {
        const [{ pid }] = await tx.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
        await tdb.admin('SELECT pg_terminate_backend($1)', [pid]);
        await new Promise((r) => setTimeout(r, 200));
        await tx.query('SELECT 1');
      })
      .then(
        () => null,
        (error: unknown) => error,
      );
    expect(failure).toBeInstanceOf(Error);
    expect((failure as Error).message).not.toMatch(/already been released/);
    expect(isDatabaseUnavailable(failure)).toBe(true);
    await expect(db.transaction({ branchId: branchA }, (tx) => tx.manager.countBy(Bed, {}))).resolves.toEqual(expect.any(Number));
    await eventuallyIdle();
  });
});

/** Every connection the pool holds is idle (none left checked out). */
async function eventuallyIdle(): Promise<void> {
  for (let i = 0; i < 50 && pool.idleCount !== pool.totalCount; i++) await new Promise((r) => setTimeout(r, 20));
  expect(pool.idleCount).toBe(pool.totalCount);
}
