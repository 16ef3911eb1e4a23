import { PatientRegistered } from '@hms/contracts-patients';
import type { PostgresTransport } from '@hms/platform-messaging';
import type { ServiceHarness } from '@hms/platform-service-testing';
import { TestIdentity, eventually, expectProblem, type TestBranch } from '@hms/platform-testing';
import { PATIENT_ID, countEntries, publishRegistrations, startAudit, tamperWithEntries, type AuditUnderTest } from './support';

let audit: AuditUnderTest;
let h: ServiceHarness;
let bus: PostgresTransport;
let branch: TestBranch;
let otherBranch: TestBranch;
let auditor: string;

const patientId = PATIENT_ID;
const publish = (count: number, from = 0, branchId = branch.id) => publishRegistrations(bus, count, from, branchId);
const entryCount = () => countEntries(h);
// Tampering needs the table owner with the append-only triggers off, as an attacker with
// database access would do; the verify endpoint must notice.
const tamper = (sql: string, params: unknown[] = []) => tamperWithEntries(h, sql, params);

beforeAll(async () => {
  audit = await startAudit(__filename);
  ({ h, bus } = audit);
  branch = TestIdentity.branch('AUD');
  otherBranch = TestIdentity.branch('OTH');
  auditor = await h.identity.token({ branches: [{ branch, role: 'auditor' }] });
});

afterAll(async () => {
  await audit?.stop();
});

describe('audit trail', () => {
  it('records every event once, queryable by patient, actor and type, and the chain verifies', async () => {
    const sent = await publish(30);
    await eventually(async () => expect(await entryCount()).toBe(30), { what: '30 audit entries' });
    const r = await h.http.get(`/api/v1/audit/events?patientId=${patientId}&limit=100`, { token: auditor });
    expect(r.status).toBe(200);
    expect(r.body.items).toHaveLength(30);
    expect(new Set(r.body.items.map((e: { eventId: string }) => e.eventId))).toEqual(new Set(sent.map((e) => e.id)));
    expect(r.body.items[0].type).toBe('patients.patient.registered');
    const byActor = await h.http.get('/api/v1/audit/events?actorId=user-1&type=patients.patient.*&limit=5', { token: auditor });
    expect(byActor.body.items).toHaveLength(5);
    expect(byActor.body.nextOffset).toBe(5);
    const verify = await h.http.get('/api/v1/audit/verify', { token: auditor });
    expect(verify.body).toEqual({ valid: true, checked: 30 });
  });

  it('does not append a redelivered event twice', async () => {
    const before = await entryCount();
    const [envelope] = await publish(1, 100);
    await bus.publish([{ topic: PatientRegistered.topic, envelope }]);
    await eventually(async () => expect(await entryCount()).toBe(before + 1));
    await new Promise((r) => setTimeout(r, 500));
    expect(await entryCount()).toBe(before + 1);
  });

  it('shows an auditor only the entries of their branch', async () => {
    await publish(3, 200, otherBranch.id);
    await eventually(async () => expect(await h.db.admin(`SELECT 1 FROM audit.entries WHERE branch_id = $1`, [otherBranch.id])).toHaveLength(3));
    const mine = await h.http.get('/api/v1/audit/events?limit=100', { token: auditor });
    expect(mine.body.items.every((e: { branchId: string }) => e.branchId === branch.id)).toBe(true);
    const theirs = await h.identity.token({ branches: [{ branch: otherBranch, role: 'auditor' }] });
    expect((await h.http.get('/api/v1/audit/events?limit=100', { token: theirs })).body.items).toHaveLength(3);
  });

  it('refuses roles without audit:read and bad filters', async () => {
    const doctor = await h.identity.token({ branches: [{ branch, role: 'doctor' }] });
    expectProblem(await h.http.get('/api/v1/audit/events', { token: doctor }), 403);
    expectProblem(await h.http.get('/api/v1/audit/verify', { token: doctor }), 403);
    expectProblem(await h.http.get('/api/v1/audit/events?patientId=nope', { token: auditor }), 400);
    expectProblem(await h.http.get('/api/v1/audit/events?from=yesterday', { token: auditor }), 400);
    expectProblem(await h.http.get('/api/v1/audit/events?limit=100000', { token: auditor }), 400);
  });

  it('refuses impossible dates and instants without an offset, naming the parameter; a date is a day in India', async () => {
    for (const bad of ['2026-02-30', '2026-13-01', '0000-01-01', '2026-04-01T10:00:00', '2026-04-01T25:00:00Z', '2026-04-01junk']) {
      const r = await h.http.get(`/api/v1/audit/events?from=${encodeURIComponent(bad)}`, { token: auditor });
      expectProblem(r, 400);
      expect(r.body.errors).toEqual([{ field: 'from', message: expect.any(String) }]);
    }
    // 31 March 2026 in India ends at 18:29:59.999Z: an entry at 18:30Z is already 1 April.
    const [entry] = await h.db.admin<{ id: string; occurred_at: Date }>('SELECT id, occurred_at FROM audit.entries WHERE branch_id = $1 ORDER BY seq LIMIT 1', [branch.id]);
    const day = new Date(entry.occurred_at.getTime() + 5.5 * 3600_000).toISOString().slice(0, 10);
    const sameDay = await h.http.get(`/api/v1/audit/events?from=${day}&to=${day}&limit=100`, { token: auditor });
    expect(sameDay.status).toBe(200);
    expect(sameDay.body.items.map((e: { id: string }) => e.id)).toContain(entry.id);
  });

  it('counts a branch’s own entries for its auditor, every branch’s for a platform auditor', async () => {
    const mine = await h.http.get('/api/v1/audit/verify', { token: auditor });
    const total = await entryCount();
    const ours = Number((await h.db.admin<{ n: string }>('SELECT count(*) AS n FROM audit.entries WHERE branch_id = $1', [branch.id]))[0].n);
    expect(ours).toBeLessThan(total);
    expect(mine.body).toEqual({ valid: true, checked: ours });
    const platform = await h.identity.token({ branches: [{ branch, role: 'auditor' }], platform: ['platform:audit'] });
    expect((await h.http.get('/api/v1/audit/verify', { token: platform })).body).toEqual({ valid: true, checked: total });
  });

  it('refuses to change or delete entries even for the table owner', async () => {
    await expect(h.db.admin(`UPDATE audit.entries SET type = 'x' WHERE seq = 1`)).rejects.toThrow(/append-only/);
    await expect(h.db.admin('DELETE FROM audit.entries WHERE seq = 1')).rejects.toThrow(/append-only/);
  });
});

describe('verify detects tampering', () => {
  let snapshot: Record<string, unknown>[];
  beforeEach(async () => {
    snapshot = await h.db.admin('SELECT * FROM audit.entries ORDER BY seq');
    expect((await h.http.get('/api/v1/audit/verify', { token: auditor })).body.valid).toBe(true);
  });
  afterEach(async () => {
    // Put the chain back as it was for the next case.
    await tamper('DELETE FROM audit.entries');
    for (const row of snapshot) {
      const cols = Object.keys(row);
      await tamper(
        `INSERT INTO audit.entries (${cols.join(', ')}) VALUES (${cols.map((_, i) => `$${i + 1}`).join(', ')})`,
        cols.map((c) => (c === 'data' ? JSON.stringify(row[c]) : row[c])),
      );
    }
  });

  it('an altered entry', async () => {
    const victim = snapshot[4];
    await tamper(`UPDATE audit.entries SET data = jsonb_set(data, '{name}', '"Someone Else"') WHERE seq = 5`);
    const r = await h.http.get('/api/v1/audit/verify', { token: auditor });
    expect(r.body).toMatchObject({ valid: false, firstInvalidId: victim.id, checked: 4 });
  });

  it('a deleted entry', async () => {
    await tamper('DELETE FROM audit.entries WHERE seq = 7');
    const r = await h.http.get('/api/v1/audit/verify', { token: auditor });
    expect(r.body).toMatchObject({ valid: false, firstInvalidId: snapshot[7].id });
  });

  it('the newest entry deleted', async () => {
    await tamper('DELETE FROM audit.entries WHERE seq = (SELECT max(seq) FROM audit.entries)');
    const r = await h.http.get('/api/v1/audit/verify', { token: auditor });
    expect(r.body.valid).toBe(false);
  });

  it('two entries swapped', async () => {
    await tamper('UPDATE audit.entries SET seq = -1 WHERE seq = 10');
    await tamper('UPDATE audit.entries SET seq = 10 WHERE seq = 11');
    await tamper('UPDATE audit.entries SET seq = 11 WHERE seq = -1');
    const r = await h.http.get('/api/v1/audit/verify', { token: auditor });
    expect(r.body).toMatchObject({ valid: false, firstInvalidId: snapshot[10].id });
  });
});
