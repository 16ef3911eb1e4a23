import type { ServiceHarness } from '@hms/platform-service-testing';
import { TestIdentity, aPatient, expectStatus, type TestBranch } from '@hms/platform-testing';
import { phoneticKey, searchName } from '@hms/patients-domain';
import { copyRegister, inBatches, registerPatient, startPatients, tokenFor } from './support';

/**
 * Issue 7 item 11: paging through a search must partition its result. Every variant below
 * matches "Heena Patel" (phonetically, by spelling, or only by spelling: "Heena Wadia"), and
 * many are identical, so most of the 500 tie with others: only a total order with a
 * tiebreaker, over a candidate set that does not depend on the page, pages them correctly.
 */
const QUERY = 'Heena Patel';
const VARIANTS = [
  'Heena Patel',
  'Hina Patel',
  'Heena Patil',
  'Hina Patil',
  'Heena Ben Patel',
  'हीना पटेल',
  'Heena Patell',
  'Patel Heena',
  'Hinal Patel',
  'Heena Pathak',
  'Heena Wadia',
  'Heena Pate',
  'Heenaaa Pateeel',
  'Hena Patel',
  'Heena Kumari Patel',
];
const OTHERS = ['Ravi Kumar', 'Suresh Iyer', 'Arjun Das', 'Kavya Menon'];
const MATCHES = 500;
const SIMILARITY = 0.3;

interface Page {
  items: { id: string; name: string }[];
  nextOffset: number | null;
}

let leakproof: ServiceHarness;
let bounded: ServiceHarness;
let branch: TestBranch;
let registered: string[];

beforeAll(async () => {
  [leakproof, bounded] = await Promise.all([startPatients(`${__filename}-leakproof`), startPatients(`${__filename}-bounded`)]);
  // As where the migrator is not a superuser: the service must take the plan without the index filter.
  await bounded.db.admin('ALTER FUNCTION public.similarity_op(text, text) NOT LEAKPROOF');
  branch = TestIdentity.branch('SRCH');
  const token = await tokenFor(leakproof, branch);
  registered = await inBatches(MATCHES, 10, async (i) => (await registerPatient(leakproof, aPatient().named(VARIANTS[i % VARIANTS.length]).confirmed().build(), token)).id);
  await inBatches(20, 10, (i) => registerPatient(leakproof, aPatient().named(OTHERS[i % OTHERS.length]).confirmed().build(), token));
  // The same register in the second database, copied rather than registered again (registration is not what is tested).
  await copyRegister(leakproof, bounded);
}, 180_000);
afterAll(() => Promise.all([leakproof?.stop(), bounded?.stop()]));

describe.each([
  ['pg_trgm % marked leakproof (index filter)', () => leakproof],
  ['pg_trgm % not leakproof (bounded nearest-neighbour walks)', () => bounded],
])('search paging with %s', (label, harness) => {
  let h: ServiceHarness;
  let token: string;

  beforeAll(async () => {
    h = harness();
    token = await tokenFor(h, branch);
  });

  async function pageThrough(limit: number): Promise<string[]> {
    const ids: string[] = [];
    let offset: number | null = 0;
    let pages = 0;
    while (offset !== null) {
      const r = expectStatus(await h.http.get(`/api/v1/patients?q=${encodeURIComponent(QUERY)}&limit=${limit}&offset=${offset}`, { token }), 200);
      const page = r.body as Page;
      expect(page.items.length).toBeLessThanOrEqual(limit);
      ids.push(...page.items.map((p) => p.id));
      offset = page.nextOffset;
      if (++pages > MATCHES / limit + 5) throw new Error('paging does not end');
    }
    return ids;
  }

  it('runs on the plan it says (the fixture is what the test says)', async () => {
    const [{ leakproof: marked }] = await h.db.admin<{ leakproof: boolean }>(`SELECT proleakproof AS leakproof FROM pg_proc WHERE proname = 'similarity_op'`);
    expect(marked).toBe(!label.includes('not leakproof'));
  });

  it('the set that matches is exactly the 500 variants (the fixture is what the test says)', async () => {
    const rows = await h.db.admin<{ id: string }>(
      `SELECT id FROM patients.patients WHERE branch_id = $1 AND status = 'active'
         AND (similarity(phonetic_name, $2) >= $4 OR similarity(search_name, $3) >= $4)`,
      [branch.id, phoneticKey(QUERY), searchName(QUERY), SIMILARITY],
    );
    expect(new Set(rows.map((r) => r.id))).toEqual(new Set(registered));
    // Some match only by spelling, which the search must reach as well.
    const spellingOnly = await h.db.admin<{ n: string }>(
      `SELECT count(*) AS n FROM patients.patients WHERE branch_id = $1 AND similarity(phonetic_name, $2) < $4 AND similarity(search_name, $3) >= $4`,
      [branch.id, phoneticKey(QUERY), searchName(QUERY), SIMILARITY],
    );
    expect(Number(spellingOnly[0].n)).toBeGreaterThan(0);
  });

  it('pages of 100 and pages of 5 each list every matching patient exactly once, in the same order', async () => {
    const by100 = await pageThrough(100);
    const by5 = await pageThrough(5);
    expect(by100.length).toBe(MATCHES);
    expect(new Set(by100).size).toBe(MATCHES);
    expect(new Set(by100)).toEqual(new Set(registered));
    expect(by5).toEqual(by100);
  }, 60_000);

  it('ranks the closest names first (exact spellings before variants, spelling-only matches last)', async () => {
    const first = expectStatus(await h.http.get(`/api/v1/patients?q=${encodeURIComponent(QUERY)}&limit=20`, { token }), 200).body as Page;
    expect(first.items.every((p) => ['Heena Patel', 'Patel Heena', 'Hina Patel', 'हीना पटेल', 'Heena Patell', 'Heenaaa Pateeel'].includes(p.name))).toBe(true);
    const all = await pageThrough(100);
    const names = new Map((await h.db.admin<{ id: string; name: string }>('SELECT id, name FROM patients.patients')).map((r) => [r.id, r.name]));
    const firstWadia = all.findIndex((id) => names.get(id) === 'Heena Wadia');
    expect(all.slice(firstWadia).every((id) => names.get(id) === 'Heena Wadia')).toBe(true);
  }, 60_000);

  it('exact look-ups page the same way: patients sharing an ABHA address, in pages of 2', async () => {
    const shared = `shared.${label.includes('not') ? 'b' : 'a'}_95@sbx`;
    const ids = await inBatches(7, 7, async () =>
      expectStatus(await h.http.post('/api/v1/patients', aPatient().withAbhaAddress(shared).confirmed().build(), { token }), 201).body.id as string,
    );
    const seen: string[] = [];
    for (let offset: number | null = 0; offset !== null; ) {
      const page = expectStatus(await h.http.get(`/api/v1/patients?q=${encodeURIComponent(shared)}&limit=2&offset=${offset}`, { token }), 200).body as Page;
      seen.push(...page.items.map((p) => p.id));
      offset = page.nextOffset;
    }
    expect(seen.length).toBe(7);
    expect(new Set(seen)).toEqual(new Set(ids));
  });
});
