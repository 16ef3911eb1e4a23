import type { Caller } from '@hms/platform-auth';
import type { Database, Tx } from '@hms/platform-persistence';
import type { Clock } from '@hms/platform-time';
import { ItemsRepository } from '../data/items.repository';
import { ListItemsUseCase } from './list-items.use-case';

/**
 * A transaction that answers like the item tables and counts the queries in flight at once: pg
 * clients run one query at a time, and pg 9 refuses a second one sent before the first returns.
 * Raw SQL and the entity manager go through the same counter, as they share one connection.
 */
function countingDatabase(ids: string[]) {
  const seen = { inFlight: 0, most: 0, queries: 0 };
  const counted = async <T>(answer: () => T): Promise<T> => {
    seen.queries++;
    seen.inFlight++;
    seen.most = Math.max(seen.most, seen.inFlight);
    await new Promise((resolve) => setTimeout(resolve, 2));
    seen.inFlight--;
    return answer();
  };
  const item = (id: unknown) => ({ id, code: `C-${String(id)}`, kind: 'drug', genericName: 'X', brandName: null, form: 'tablet', strength: null, unit: 'tablet', packSize: 1, hsn: '3004', schedule: 'NONE', retiredAt: null, version: 1 });
  const query = (sql: string) => counted(() => (sql.includes('FROM items WHERE branch_id') ? ids.map((id) => ({ id })) : []));
  const manager = {
    findOneBy: (_entity: unknown, where: { id: string }) => counted(() => item(where.id)),
    find: () => counted(() => [{ effectiveFrom: '2025-09-22', rateBp: 500 }]),
  };
  const tx = {
    scope: { branchId: 'b' },
    query,
    one: async (sql: string) => (await query(sql))[0],
    maybeOne: async (sql: string) => (await query(sql))[0] ?? null,
    afterCommit: () => undefined,
    manager,
  } as unknown as Tx;
  const db = { transaction: (_scope: unknown, work: (t: Tx) => Promise<unknown>) => work(tx) } as unknown as Database;
  return { db, seen };
}

const caller = { branchId: '01930000-0000-7000-8000-0000000000b1', userId: 'u1' } as Caller;
const clock: Clock = { now: () => new Date('2026-11-22T06:00:00Z') };

describe('the item list (issue 7, item 19: no parallel queries on one transaction client)', () => {
  it('reads each item of a page one query at a time', async () => {
    const { db, seen } = countingDatabase(['i1', 'i2', 'i3', 'i4', 'i5']);
    const { items } = await new ListItemsUseCase(db, clock, new ItemsRepository()).execute(caller, {}, { limit: 20, offset: 0 });
    expect(items.map((i) => i.id)).toEqual(['i1', 'i2', 'i3', 'i4', 'i5']);
    expect(items.every((i) => i.gstRateBp === 500)).toBe(true);
    expect(seen.queries).toBe(11);
    expect(seen.most).toBe(1);
  });
});
