import { Pool } from 'pg';
import { createTestDatabase, type TestDatabase } from '@hms/platform-testing';
import { Database, createPool } from '../src/database';
import { uuidv7 } from '../src/ids';
import { branchScopedTable, migrate, type Migration } from '../src/migrations';
import { PG, pgCode, retryOnConflict } from '../src/pg-errors';

const ROLE = 'hms_persistence_test';

let tdb: TestDatabase;
const pools: Pool[] = [];

function newPool(max = 4): Pool {
  const pool = new Pool({ connectionString: tdb.url, max });
  pool.on('error', () => undefined);
  pools.push(pool);
  return pool;
}

beforeAll(async () => {
  tdb = await createTestDatabase(__filename);
});
afterAll(async () => {
  await Promise.all(pools.map((p) => p.end()));
  await tdb?.drop();
});

async function recorded(schema: string): Promise<string[]> {
  const rows = await tdb.admin<{ id: string }>(`SELECT id FROM "${schema}".schema_migrations ORDER BY id`);
  return rows.map((r) => r.id);
}

async function tableExists(schema: string, table: string): Promise<boolean> {
  const rows = await tdb.admin<{ t: string | null }>('SELECT to_regclass($1)::text AS t', [`"${schema}".${table}`]);
  return rows[0].t !== null;
}

describe('migrate', () => {
  // Each body fails if it runs twice (no IF NOT EXISTS) and leaves a trace of every run.
  const migrations: Migration[] = [
    { id: '0001_runs', up: `CREATE TABLE runs (id text NOT NULL); INSERT INTO runs VALUES ('0001');` },
    { id: '0002_things', up: `CREATE TABLE things (id int PRIMARY KEY); INSERT INTO runs VALUES ('0002'); SELECT pg_sleep(0.05);` },
    { id: '0003_more', up: `ALTER TABLE things ADD COLUMN name text; INSERT INTO runs VALUES ('0003');` },
  ];

  it('applies each migration exactly once when two replicas migrate the same schema at once', async () => {
    const [a, b] = await Promise.all([
      migrate(newPool(), { schema: 'mig_once', role: ROLE, migrations }),
      migrate(newPool(), { schema: 'mig_once', role: ROLE, migrations }),
    ]);
    expect([...a, ...b].sort()).toEqual(['0001_runs', '0002_things', '0003_more']);
    expect(await recorded('mig_once')).toEqual(['0001_runs', '0002_things', '0003_more']);
    const runs = await tdb.admin<{ id: string }>('SELECT id FROM mig_once.runs ORDER BY id');
    expect(runs.map((r) => r.id)).toEqual(['0001', '0002', '0003']);
    // And a later start finds nothing to do.
    expect(await migrate(newPool(), { schema: 'mig_once', role: ROLE, migrations })).toEqual([]);
  });

  it('stops with an error naming a migration whose body changed after it was applied, and applies nothing after it', async () => {
    const pool = newPool();
    await migrate(pool, { schema: 'mig_changed', role: ROLE, migrations: migrations.slice(0, 2) });
    const edited: Migration[] = [
      migrations[0],
      { id: '0002_things', up: migrations[1].up.replace('id int PRIMARY KEY', 'id bigint PRIMARY KEY') },
      migrations[2],
    ];
    await expect(migrate(pool, { schema: 'mig_changed', role: ROLE, migrations: edited })).rejects.toThrow(/mig_changed\/0002_things was changed after it was applied/);
    expect(await recorded('mig_changed')).toEqual(['0001_runs', '0002_things']);
    // The advisory lock was released: the unedited list still migrates.
    expect(await migrate(pool, { schema: 'mig_changed', role: ROLE, migrations })).toEqual(['0003_more']);
  });

  it('rolls back a failing migration and does not record it, so that a corrected one can run', async () => {
    const pool = newPool();
    const failing: Migration[] = [
      migrations[0],
      { id: '0002_bad', up: `CREATE TABLE half_done (id int); INSERT INTO runs VALUES ('0002'); SELECT 1 / 0;` },
      { id: '0003_after', up: `CREATE TABLE after_bad (id int);` },
    ];
    await expect(migrate(pool, { schema: 'mig_failing', role: ROLE, migrations: failing })).rejects.toThrow(/migration mig_failing\/0002_bad failed: division by zero/);
    expect(await recorded('mig_failing')).toEqual(['0001_runs']);
    expect(await tableExists('mig_failing', 'half_done')).toBe(false);
    expect(await tableExists('mig_failing', 'after_bad')).toBe(false);
    expect((await tdb.admin<{ id: string }>('SELECT id FROM mig_failing.runs')).map((r) => r.id)).toEqual(['0001']);

    const corrected: Migration[] = [failing[0], { id: '0002_bad', up: `CREATE TABLE half_done (id int);` }, failing[2]];
    expect(await migrate(pool, { schema: 'mig_failing', role: ROLE, migrations: corrected })).toEqual(['0002_bad', '0003_after']);
    expect(await tableExists('mig_failing', 'half_done')).toBe(true);
  });
});

describe('branch scope and row-level security', () => {
  const branchA = uuidv7();
  const branchB = uuidv7();
  let db: Database;

  beforeAll(async () => {
    const pool = newPool(1); // one connection: every transaction reuses the previous one's session
    await migrate(pool, {
      schema: 'scoped',
      role: ROLE,
      migrations: [
        {
          id: '0001_notes',
          up: `CREATE TABLE notes (id uuid PRIMARY KEY, branch_id uuid NOT NULL, body text NOT NULL); ${branchScopedTable('notes')}`,
        },
      ],
    });
    db = new Database(pool, { schema: 'scoped', role: ROLE });
    for (const [branchId, bodies] of [
      [branchA, ['a1', 'a2']],
      [branchB, ['b1']],
    ] as const) {
      await db.transaction({ branchId }, async (tx) => {
        for (const body of bodies) await tx.query('INSERT INTO notes (id, branch_id, body) VALUES ($1, $2, $3)', [uuidv7(), branchId, body]);
      });
    }
  });

  const bodies = async (scope: Parameters<Database['transaction']>[0]) =>
    (await db.query<{ body: string }>(scope, 'SELECT body FROM notes ORDER BY body')).map((r) => r.body);

  it("shows a branch's transaction only that branch's rows, even without a filter", async () => {
    expect(await bodies({ branchId: branchA })).toEqual(['a1', 'a2']);
    expect(await bodies({ branchId: branchB })).toEqual(['b1']);
    // Upper-case spelling of the same UUID is the same branch.
    expect(await bodies({ branchId: branchA.toUpperCase() })).toEqual(['a1', 'a2']);
  });

  it("refuses to insert a row for another branch, and cannot touch another branch's rows", async () => {
    const error = await db
      .transaction({ branchId: branchA }, (tx) => tx.query('INSERT INTO notes (id, branch_id, body) VALUES ($1, $2, $3)', [uuidv7(), branchB, 'smuggled']))
      .then(
        () => null,
        (e: unknown) => e,
      );
    expect(pgCode(error)).toBe(PG.insufficientPrivilege);
    expect(String(error)).toContain('row-level security');

    const updated = await db.query({ branchId: branchA }, "UPDATE notes SET body = 'changed' WHERE body = 'b1' RETURNING id");
    const deleted = await db.query({ branchId: branchA }, "DELETE FROM notes WHERE body = 'b1' RETURNING id");
    expect([updated, deleted]).toEqual([[], []]);
    // Nor move its own row to another branch.
    await expect(db.query({ branchId: branchA }, "UPDATE notes SET branch_id = $1 WHERE body = 'a1'", [branchB])).rejects.toThrow('row-level security');
    expect(await bodies('all')).toEqual(['a1', 'a2', 'b1']);
  });

  it("lets system work declared as 'all' see and write every branch, without leaking that to the next transaction", async () => {
    expect(await bodies('all')).toEqual(['a1', 'a2', 'b1']);
    const extra = uuidv7();
    await db.query('all', 'INSERT INTO notes (id, branch_id, body) VALUES ($1, $2, $3)', [extra, branchB, 'b2']);
    // Same (only) connection as the 'all' transaction: its settings ended with it.
    expect(await bodies({ branchId: branchA })).toEqual(['a1', 'a2']);
    expect(await bodies({ branchId: branchB })).toEqual(['b1', 'b2']);
    await db.query('all', 'DELETE FROM notes WHERE id = $1', [extra]);
  });

  it('refuses a transaction with an invalid branch id before running any of its work', async () => {
    let ran = false;
    for (const branchId of ['', 'branch-a', `${branchA}'; SET LOCAL hms.all_branches = 'on`, `${branchA} `]) {
      await expect(
        db.transaction({ branchId }, async (tx) => {
          ran = true;
          return tx.query('SELECT body FROM notes');
        }),
      ).rejects.toThrow('branch id must be a UUID');
    }
    expect(ran).toBe(false);
    // The connection is fine afterwards.
    expect(await bodies({ branchId: branchB })).toEqual(['b1']);
  });

  it('sees nothing at all in a connection that declared no scope (the role alone grants no rows)', async () => {
    const rows = await tdb.admin<{ n: string }>('SELECT count(*) AS n FROM scoped.notes');
    // As the server's administrator (bypassing RLS) all rows are there ...
    expect(Number(rows[0].n)).toBe(3);
    // ... but the service role without a declared scope sees none.
    await tdb.admin('BEGIN');
    try {
      await tdb.admin(`SET LOCAL ROLE ${ROLE}`);
      const scoped = await tdb.admin<{ n: string }>('SELECT count(*) AS n FROM scoped.notes');
      expect(Number(scoped[0].n)).toBe(0);
    } finally {
      await tdb.admin('ROLLBACK');
    }
  });

  it('runs after-commit callbacks only when the transaction commits', async () => {
    const calls: string[] = [];
    await db.transaction({ branchId: branchA }, async (tx) => {
      tx.afterCommit(() => calls.push('committed'));
      tx.afterCommit(() => {
        throw new Error('a failing hook does not undo the commit');
      });
      tx.afterCommit(() => calls.push('still called'));
    });
    await expect(
      db.transaction({ branchId: branchA }, async (tx) => {
        tx.afterCommit(() => calls.push('rolled back'));
        throw new Error('work failed');
      }),
    ).rejects.toThrow('work failed');
    expect(calls).toEqual(['committed', 'still called']);
  });
});

describe('retryOnConflict', () => {
  it('retries a serialization failure until both conflicting transactions succeed', async () => {
    const pool = newPool();
    await migrate(pool, { schema: 'conflicts', role: ROLE, migrations: [{ id: '0001', up: `CREATE TABLE counter (id int PRIMARY KEY, value int NOT NULL); INSERT INTO counter VALUES (1, 0);` }] });
    const db = new Database(pool, { schema: 'conflicts', role: ROLE });
    let readers = 0;
    let bothRead: () => void = () => undefined;
    const barrier = new Promise<void>((r) => (bothRead = r));
    let attempts = 0;
    const increment = () =>
      retryOnConflict(() => {
        attempts++;
        const first = attempts <= 2;
        return db.transaction(
          'all',
          async (tx) => {
            const { value } = await tx.one<{ value: number }>('SELECT value FROM counter WHERE id = 1');
            if (first) {
              // Both first attempts read before either writes: one of them must lose.
              if (++readers === 2) bothRead();
              await barrier;
            }
            await tx.query('UPDATE counter SET value = $1 WHERE id = 1', [value + 1]);
          },
          { isolation: 'serializable' },
        );
      });
    await Promise.all([increment(), increment()]);
    expect(attempts).toBe(3);
    expect((await tdb.admin<{ value: number }>('SELECT value FROM conflicts.counter'))[0].value).toBe(2);
  });

  it('does not retry other errors', async () => {
    let calls = 0;
    await expect(
      retryOnConflict(async () => {
        calls++;
        throw Object.assign(new Error('duplicate'), { code: PG.uniqueViolation });
      }),
    ).rejects.toThrow('duplicate');
    expect(calls).toBe(1);
  });
});

describe('uuidv7', () => {
  it('mints 10,000 unique ids that sort by creation time and carry version 7 and the RFC variant', () => {
    const before = Date.now();
    const ids = Array.from({ length: 10_000 }, () => uuidv7());
    const after = Date.now();
    expect(new Set(ids).size).toBe(10_000);
    expect([...ids].sort()).toEqual(ids);
    const shape = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
    expect(ids.filter((id) => !shape.test(id))).toEqual([]);
    const millis = (id: string) => parseInt(id.replace(/-/g, '').slice(0, 12), 16);
    expect(millis(ids[0])).toBeGreaterThanOrEqual(before);
    // The in-millisecond counter may run a few milliseconds ahead of the clock, never far.
    expect(millis(ids[ids.length - 1])).toBeLessThanOrEqual(after + 5);
  });

  it('is accepted by PostgreSQL as a uuid and keeps its order there', async () => {
    const ids = Array.from({ length: 500 }, () => uuidv7());
    const rows = await tdb.admin<{ id: string }>('SELECT id::text AS id FROM unnest($1::uuid[]) AS t(id) ORDER BY id', [ids]);
    expect(rows.map((r) => r.id)).toEqual(ids);
  });

  it('keeps sorting forward when the clock steps back, and orders by the given time', () => {
    const now = Date.now() + 2_000; // last in the file: ids minted after it carry this time
    const a = uuidv7(now);
    const b = uuidv7(now - 5_000); // clock stepped back
    const c = uuidv7(now + 1);
    expect([c, b, a].sort()).toEqual([a, b, c]);
    expect(parseInt(c.replace(/-/g, '').slice(0, 12), 16)).toBe(now + 1);
  });
});

describe('unitOfWork', () => {
  let db: Database;
  const branch = { branchId: '01a20000-0000-7000-8000-0000000000b1' };
  const rows = async () => (await tdb.admin<{ note: string }>('SELECT note FROM uow.notes ORDER BY note')).map((r) => r.note);

  beforeAll(async () => {
    // The platform's pool: a client whose connection dies while checked out must not crash the process.
    const pool = createPool(tdb.url, 6, 'uow-test');
    pools.push(pool);
    await migrate(pool, {
      schema: 'uow',
      role: ROLE,
      migrations: [{ id: '0001', up: `CREATE TABLE notes (note text PRIMARY KEY, branch_id uuid NOT NULL); ${branchScopedTable('notes')}` }],
    });
    db = new Database(pool, { schema: 'uow', role: ROLE });
  });
  beforeEach(() => tdb.admin('DELETE FROM uow.notes'));

  const insert = (note: string) =>
    db.transaction(branch, (tx) => tx.query('INSERT INTO notes (note, branch_id) VALUES ($1, $2)', [note, branch.branchId]));

  it('joins every transaction of its scope made while it runs, and commits them with what its hooks write', async () => {
    const seen: string[] = [];
    await db.unitOfWork(
      branch,
      async () => {
        await insert('a');
        await Promise.all([insert('b'), insert('c')]); // one connection: the joined work runs one at a time
        // A transaction of the unit sees the unit's uncommitted rows; the outside world does not.
        seen.push(...(await db.query<{ note: string }>(branch, 'SELECT note FROM notes ORDER BY note')).map((r) => r.note));
        expect(await rows()).toEqual([]);
        return 'done';
      },
      {
        begin: (tx) => tx.query(`INSERT INTO notes (note, branch_id) VALUES ('begin', $1)`, [branch.branchId]).then(() => undefined),
        beforeCommit: async (tx, result) => {
          expect(result).toBe('done');
          await tx.query(`INSERT INTO notes (note, branch_id) VALUES ('commit', $1)`, [branch.branchId]);
        },
      },
    );
    expect(seen).toEqual(['a', 'b', 'begin', 'c']);
    expect(await rows()).toEqual(['a', 'b', 'begin', 'c', 'commit']);
  });

  it('rolls back everything, hooks included, when the work fails', async () => {
    await expect(
      db.unitOfWork(
        branch,
        async () => {
          await insert('a');
          throw new Error('work failed');
        },
        { begin: (tx) => tx.query(`INSERT INTO notes (note, branch_id) VALUES ('begin', $1)`, [branch.branchId]).then(() => undefined) },
      ),
    ).rejects.toThrow('work failed');
    expect(await rows()).toEqual([]);
  });

  it('undoes only a joined transaction that failed, so work that handles its error goes on', async () => {
    await db.unitOfWork(branch, async () => {
      await insert('a');
      await expect(insert('a')).rejects.toMatchObject({ code: PG.uniqueViolation });
      await insert('b');
    });
    expect(await rows()).toEqual(['a', 'b']);
  });

  it('leaves nothing when its connection dies before it commits (a crashed process)', async () => {
    await expect(
      db.unitOfWork(branch, async () => {
        await insert('lost');
        const [{ pid }] = await db.query<{ pid: number }>(branch, 'SELECT pg_backend_pid() AS pid');
        await tdb.admin('SELECT pg_terminate_backend($1)', [pid]);
        await insert('after');
      }),
    ).rejects.toThrow();
    expect(await rows()).toEqual([]);
  });

  it('runs a transaction of another scope on its own, outside the unit', async () => {
    await db.unitOfWork(branch, async () => {
      await db.transaction('all', (tx) => tx.query('INSERT INTO notes (note, branch_id) VALUES ($1, $2)', ['system', branch.branchId]));
      expect(await rows()).toEqual(['system']);
      throw new Error('the unit fails');
    }).catch(() => undefined);
    expect(await rows()).toEqual(['system']);
  });
});
