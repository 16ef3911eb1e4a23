import type { Caller } from '@hms/platform-auth';
import type { Database, Tx } from '@hms/platform-persistence';
import { ListAdmissionsUseCase } from './admissions/list-admissions.use-case';
import { AdmissionsRepository } from './data/admissions.repository';
import { BedCategoriesRepository } from './data/bed-categories.repository';
import { ListCategoriesUseCase } from './masters/list-categories.use-case';

// A transaction is one connection. pg 8 warns when a second query is sent on it before the first
// has answered, and pg 9 refuses: these fakes refuse too, so a Promise.all over one transaction
// fails here rather than in production after an upgrade.

// The entity manager's reads go through the same one-at-a-time connection: each is answered as
// the pseudo statement `<method> <Entity>` (e.g. `find BedCategoryEntity`).
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
    manager: {
      find: (entity: { name: string }) => query(`find ${entity.name}`),
      findOne: async (entity: { name: string }) => (await query(`findOne ${entity.name}`))[0] ?? null,
      findOneOrFail: async (entity: { name: string }) => (await query(`findOneOrFail ${entity.name}`))[0],
      exists: async (entity: { name: string }) => (await query(`exists ${entity.name}`)).length > 0,
      // A query builder reads as `<getOne|getMany> <Entity>`, whatever it joins.
      createQueryBuilder: (entity: { name: string }) => {
        const builder: object = new Proxy(
          {},
          {
            get: (_target, method) =>
              method === 'getOne'
                ? async () => (await query(`getOne ${entity.name}`))[0] ?? null
                : method === 'getMany'
                  ? () => query(`getMany ${entity.name}`)
                  : () => builder,
          },
        );
        return builder;
      },
    } as unknown as Tx['manager'],
  };
}

const databaseOf = (answer: Answer) => ({ transaction: (_scope: unknown, work: (tx: Tx) => Promise<unknown>) => work(oneAtATimeTx(answer)) }) as unknown as Database;
const caller = { userId: 'u1', name: 'Desk', branchId: '01a20000-0000-7000-8000-000000000001', permissions: new Set(), correlationId: null } as unknown as Caller;

describe('one query at a time on a transaction', () => {
  it('lists bed categories with their tariffs', async () => {
    const masters = new ListCategoriesUseCase(
      databaseOf((sql) => {
        if (sql === 'find BedCategoryEntity') return [{ id: 'c1' }, { id: 'c2' }, { id: 'c3' }];
        if (sql === 'findOneOrFail BedCategoryEntity') return [{ id: 'c', code: 'GENERAL', name: 'General ward', isCriticalCare: false, retiredAt: null }];
        return [];
      }),
      new BedCategoriesRepository(),
      { now: () => new Date('2026-04-01T10:00:00Z') },
    );
    expect((await masters.execute(caller, { limit: 20, offset: 0 })).items).toHaveLength(3);
  });

  it('lists admissions with their stays', async () => {
    const admitted = new Date('2026-04-01T10:00:00Z');
    const admissions = new ListAdmissionsUseCase(
      databaseOf((sql) => {
        if (sql === 'getMany AdmissionEntity') return [{ id: 'a1' }, { id: 'a2' }, { id: 'a3' }];
        // The admission view's joined read is plain SQL (AdmissionsRepository.withIdentifiers).
        if (sql.includes('FROM admissions a JOIN patients p')) return [{ id: 'a', admittedAt: admitted, duesPaise: null, expectedDischargeAt: null, dischargedAt: null, patientUhid: 'U1', patientName: 'P' }];
        return [];
      }),
      new AdmissionsRepository(),
    );
    expect((await admissions.execute(caller, {}, { limit: 20, offset: 0 })).items).toHaveLength(3);
  });
});
