import type { Caller } from '@hms/platform-auth';
import type { Outbox } from '@hms/platform-messaging';
import type { Database, Tx } from '@hms/platform-persistence';
import { AdmissionsService } from './admissions/admissions.service';
import { MastersService } from './masters/masters.service';

// A transaction is one connection. pg 8 warns when a second query is sent on it before the first
// has answered, and pg 9 refuses: these fakes refuse too, so a Promise.all over one transaction
// fails here rather than in production after an upgrade.

type Answer = (sql: string) => Record<string, unknown>[];

function oneAtATimeTx(answer: Answer): Tx {
  let busy = false;
  const query = async (sql: string) => {
    if (busy) throw new Error(`a second query while one is running on the same transaction: ${sql.slice(0, 60)}`);
    busy = true;
    await new Promise((resolve) => setImmediate(resolve));
    busy = false;
    return answer(sql);
  };
  return {
    scope: 'all',
    afterCommit: () => undefined,
    query: query as Tx['query'],
    one: (async (sql: string) => (await query(sql))[0]) as Tx['one'],
    maybeOne: (async (sql: string) => (await query(sql))[0] ?? null) as Tx['maybeOne'],
    get manager(): Tx['manager'] {
      throw new Error('these services do not use the entity manager yet');
    },
  };
}

const databaseOf = (answer: Answer) => ({ transaction: (_scope: unknown, work: (tx: Tx) => Promise<unknown>) => work(oneAtATimeTx(answer)) }) as unknown as Database;
const caller = { userId: 'u1', name: 'Desk', branchId: '01a20000-0000-7000-8000-000000000001', permissions: new Set(), correlationId: null } as unknown as Caller;
const noOutbox = {} as Outbox;

describe('one query at a time on a transaction', () => {
  it('lists bed categories with their tariffs', async () => {
    const masters = new MastersService(
      databaseOf((sql) => {
        if (sql.startsWith('SELECT id FROM bed_categories')) return [{ id: 'c1' }, { id: 'c2' }, { id: 'c3' }];
        if (sql.includes('FROM bed_categories WHERE id')) return [{ id: 'c', code: 'GENERAL', name: 'General ward', is_critical_care: false, retired_at: null }];
        return [];
      }),
      noOutbox,
    );
    expect(await masters.listCategories(caller)).toHaveLength(3);
  });

  it('lists admissions with their stays', async () => {
    const admitted = new Date('2026-04-01T10:00:00Z');
    const admissions = new AdmissionsService(
      databaseOf((sql) => {
        if (sql.includes('SELECT a.id FROM admissions')) return [{ id: 'a1' }, { id: 'a2' }, { id: 'a3' }];
        if (sql.includes('SELECT a.*')) return [{ id: 'a', admitted_at: admitted, dues_paise: null, expected_discharge_at: null, discharged_at: null }];
        return [];
      }),
      noOutbox,
      { now: () => admitted },
    );
    expect((await admissions.list(caller, {}, { limit: 20, offset: 0 })).items).toHaveLength(3);
  });
});
