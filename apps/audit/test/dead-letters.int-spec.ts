import type { ServiceHarness } from '@hms/platform-service-testing';
import { TestIdentity, expectProblem, expectStatus, type TestBranch } from '@hms/platform-testing';
import { startAudit, type AuditUnderTest } from './support';

// The dead-letter admin endpoints every service mounts (libs/platform/service), through the audit
// service: a page at a time like every list, a branch's admin sees their branch's only, and a
// replay names what it could not do.
let audit: AuditUnderTest;
let h: ServiceHarness;
let branchA: TestBranch;
let branchB: TestBranch;
let platformAdmin: string;
let adminA: string;

/** Parks an event as the consumer would after its retries ran out. */
async function park(branchId: string | null, n: number, replayed = false): Promise<void> {
  await h.db.admin(
    `INSERT INTO audit.dead_letters (consumer_group, topic, event_id, event_type, envelope, error, attempts, branch_id, replayed_at)
     VALUES ('audit', 'hms.probe.thing.v1', gen_random_uuid(), 'probe.thing.happened', $1, 'handler failed', 5, $2, $3)`,
    [JSON.stringify({ n }), branchId, replayed ? new Date() : null],
  );
}

beforeAll(async () => {
  audit = await startAudit(__filename);
  h = audit.h;
  branchA = TestIdentity.branch('DLA');
  branchB = TestIdentity.branch('DLB');
  platformAdmin = await h.identity.token({ branches: [{ branch: branchA, role: 'admin' }], platform: ['platform:manage'] });
  adminA = await h.identity.token({ branches: [{ branch: branchA, role: 'admin' }] });
  for (let n = 0; n < 3; n++) await park(branchA.id, n);
  await park(branchB.id, 3);
  await park(branchA.id, 4, true);
});
afterAll(() => audit?.stop());

const list = (query: string, token = platformAdmin) => h.http.get(`/api/v1/audit/admin/dead-letters${query}`, { token });

describe('dead letters', () => {
  it('pages them oldest first like every list: {items, limit, offset, nextOffset}', async () => {
    const first = expectStatus(await list('?limit=2'), 200).body;
    expect(first).toMatchObject({ limit: 2, offset: 0, nextOffset: 2 });
    const second = expectStatus(await list('?limit=2&offset=2'), 200).body;
    expect(second).toMatchObject({ limit: 2, offset: 2, nextOffset: null });
    const ids = [...first.items, ...second.items].map((d: { id: string }) => Number(d.id));
    expect(ids).toHaveLength(4);
    expect([...ids].sort((a, b) => a - b)).toEqual(ids);
    // The replayed one only when asked for.
    expect(expectStatus(await list('?includeReplayed=true'), 200).body.items).toHaveLength(5);
  });

  it('shows a branch’s admin the dead letters of their branch only', async () => {
    const mine = expectStatus(await list('', adminA), 200).body.items as { branchId: string }[];
    expect(mine).toHaveLength(3);
    expect(mine.every((d) => d.branchId === branchA.id)).toBe(true);
  });

  it('refuses bad paging, a bad includeReplayed and parameters it does not take, naming them', async () => {
    for (const q of ['?limit=0', '?limit=101', '?offset=-1', '?includeReplayed=yes', '?colour=red']) expectProblem(await list(q), 400);
  });

  it('answers a replay of no such dead letter with 404, and a malformed id with 400', async () => {
    expectProblem(await h.http.post('/api/v1/audit/admin/dead-letters/999999/replay', undefined, { token: platformAdmin }), 404);
    expectProblem(await h.http.post('/api/v1/audit/admin/dead-letters/abc/replay', undefined, { token: platformAdmin }), 400);
  });
});
