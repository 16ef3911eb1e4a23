import type { Caller } from '@hms/platform-auth';
import type { Database, Tx } from '@hms/platform-persistence';
import type { Clock } from '@hms/platform-time';
import { CatalogueService } from './catalogue.service';

/**
 * A transaction that answers like the item tables and counts the queries in flight at once: pg
 * clients run one query at a time, and pg 9 refuses a second one sent before the first returns.
 */
function countingDatabase(ids: string[]) {
  const seen = { inFlight: 0, most: 0, queries: 0 };
  const answer = (sql: string, params: readonly unknown[] = []): Record<string, unknown>[] => {
    if (sql.includes('FROM items WHERE branch_id')) return ids.map((id) => ({ id }));
    if (sql.includes('SELECT * FROM items')) {
      return [{ id: params[0], code: `C-${String(params[0])}`, kind: 'drug', generic_name: 'X', brand_name: null, form: 'tablet', strength: null, unit: 'tablet', pack_size: 1, hsn: '3004', schedule: 'NONE', retired_at: null, version: 1 }];
    }
    return [{ effective_from: '2025-09-22', rate_bp: 500 }];
  };
  const query = async (sql: string, params?: readonly unknown[]) => {
    seen.queries++;
    seen.inFlight++;
    seen.most = Math.max(seen.most, seen.inFlight);
    await new Promise((resolve) => setTimeout(resolve, 2));
    seen.inFlight--;
    return answer(sql, params);
  };
  const tx = {
    scope: { branchId: 'b' },
    query,
    one: async (sql: string, params?: readonly unknown[]) => (await query(sql, params))[0],
    maybeOne: async (sql: string, params?: readonly unknown[]) => (await query(sql, params))[0] ?? null,
    afterCommit: () => undefined,
  } as unknown as Tx;
  const db = { transaction: (_scope: unknown, work: (t: Tx) => Promise<unknown>) => work(tx) } as unknown as Database;
  return { db, seen };
}

const caller = { branchId: '01930000-0000-7000-8000-0000000000b1', userId: 'u1' } as Caller;
const clock: Clock = { now: () => new Date('2026-11-22T06:00:00Z') };

describe('the item list (issue 7, item 19: no parallel queries on one transaction client)', () => {
  it('reads each item of a page one query at a time', async () => {
    const { db, seen } = countingDatabase(['i1', 'i2', 'i3', 'i4', 'i5']);
    const items = await new CatalogueService(db, clock).listItems(caller, undefined, 20, 0);
    expect(items.map((i) => i.id)).toEqual(['i1', 'i2', 'i3', 'i4', 'i5']);
    expect(items.every((i) => i.gstRateBp === 500)).toBe(true);
    expect(seen.queries).toBe(11);
    expect(seen.most).toBe(1);
  });
});
