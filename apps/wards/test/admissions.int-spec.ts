import { randomUUID } from 'node:crypto';
import { BedStateChanged, DISCHARGE_TYPES, PatientAdmitted, PatientDischarged, PatientTransferred } from '@hms/contracts-wards';
import { startServiceForTest, type ServiceHarness } from '@hms/platform-service-testing';
import { TestClock, TestIdentity, expectProblem, type TestBranch, type TestResponse } from '@hms/platform-testing';
import { financialYear, formatIpNumber } from '../src/domain';
import { wardsDefinition } from '../src/wards.definition';
import { PatientFeed, admitBody, indianToday, outboxEvents, setUpWard } from './support';

// Admission, transfer and discharge against the real database: the rules a desk relies on.
// Above Jest's 5 s default: a loaded 2-core CI machine is slow, and eventually() waits up to 15 s
// with a message saying what it waited for; a real hang still fails.
jest.setTimeout(30_000);
let h: ServiceHarness;
let feed: PatientFeed;
let branch: TestBranch;
let other: TestBranch;
let desk: string;
let deskId: string;
let otherDesk: string;
// Reads the real time unless a test sets it (and resets it after).
const clock = new TestClock();

beforeAll(async () => {
  h = await startServiceForTest(wardsDefinition, __filename, {}, { clock });
  feed = new PatientFeed(h);
  branch = TestIdentity.branch('ADM');
  other = TestIdentity.branch('ADM2');
  deskId = randomUUID();
  desk = await h.identity.token({ userId: deskId, name: 'Admission Desk', branches: [{ branch, role: 'admin' }] });
  otherDesk = await h.identity.token({ branches: [{ branch: other, role: 'admin' }] });
});
afterAll(async () => {
  await feed?.close();
  await h?.stop();
});

const admit = (body: Record<string, unknown>, token = desk, headers: Record<string, string> = {}) => h.http.post('/api/v1/wards/admissions', body, { token, headers });
const transfer = (admissionId: string, fromBedId: string, toBedId: string, reason?: string) =>
  h.http.post(`/api/v1/wards/admissions/${admissionId}/transfer`, { fromBedId, toBedId, ...(reason ? { reason } : {}) }, { token: desk });
const discharge = (admissionId: string, dischargeType: string, notes?: string) =>
  h.http.post(`/api/v1/wards/admissions/${admissionId}/discharge`, { dischargeType, ...(notes ? { notes } : {}) }, { token: desk });
const bed = async (bedId: string) => (await h.http.get(`/api/v1/wards/beds/${bedId}`, { token: desk })).body;
const count = async (table: string) => Number((await h.db.admin<{ n: string }>(`SELECT count(*) AS n FROM wards.${table}`))[0].n);
const ipSequence = (r: TestResponse) => Number(String(r.body.ipNumber).slice(-6));

describe('admission', () => {
  it('admits with the IP number, admission type, expected stay, deposit reference and two identifiers (NABH-02)', async () => {
    const { bedIds } = await setUpWard(h.http, desk, 'A1', 3);
    const [p1, p2, p3] = await feed.register(branch, 3);
    const before = Date.now();
    const r = await admit(admitBody(p1.id, bedIds[0], { admissionType: 'elective', expectedStayDays: 4, depositReference: 'RV/26-27/000045' }));
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({
      patientId: p1.id,
      patient: { uhid: p1.uhid, name: p1.name },
      status: 'admitted',
      admissionType: 'elective',
      admittingDoctor: { id: 'DOC-17', name: 'Dr. Meera Rao' },
      department: 'General medicine',
      reason: 'Fever for five days',
      depositReference: 'RV/26-27/000045',
      bedId: bedIds[0],
      dischargedAt: null,
      dischargeType: null,
      warnings: [],
    });
    expect(r.body.ipNumber).toBe(formatIpNumber(financialYear(new Date()), 1));
    const admittedAt = Date.parse(r.body.admittedAt);
    expect(admittedAt).toBeGreaterThanOrEqual(before - 60_000);
    expect(Date.parse(r.body.expectedDischargeAt) - admittedAt).toBe(4 * 86_400_000);

    const emergency = await admit(admitBody(p2.id, bedIds[1], { admissionType: 'emergency', expectedStayDays: undefined, depositReference: undefined }));
    expect(emergency.body).toMatchObject({ admissionType: 'emergency', expectedDischargeAt: null, depositReference: null });
    const dayCare = await admit(admitBody(p3.id, bedIds[2], { admissionType: 'day-care', expectedStayDays: 0 }));
    expect(dayCare.body.admissionType).toBe('day-care');
    expect(dayCare.body.expectedDischargeAt).toBe(dayCare.body.admittedAt);
    expectProblem(await admit(admitBody(p3.id, bedIds[2], { admissionType: 'observation' })), 400);

    const [event] = await outboxEvents(h, PatientAdmitted, r.body.id);
    expect(event.data).toMatchObject({
      admissionId: r.body.id,
      ipNumber: r.body.ipNumber,
      patientId: p1.id,
      uhid: p1.uhid,
      admissionType: 'elective',
      expectedDischargeAt: r.body.expectedDischargeAt,
      depositReference: 'RV/26-27/000045',
      admittingDoctor: { id: 'DOC-17', name: 'Dr. Meera Rao' },
      bed: { bedId: bedIds[0], bedCode: 'B1', wardCode: 'A1', categoryCode: 'GENERAL', isCriticalCare: false, roomCode: null },
    });
    expect(event.branchId).toBe(branch.id);
    expect(event.actor).toMatchObject({ type: 'user', id: deskId });
    const got = await h.http.get(`/api/v1/wards/admissions/${r.body.id}`, { token: desk });
    expect(got.body).toMatchObject({ id: r.body.id, ipNumber: r.body.ipNumber, patient: { uhid: p1.uhid } });
  });

  it('refuses an unknown patient and a merged-away one clearly, writing nothing', async () => {
    const { bedIds } = await setUpWard(h.http, desk, 'A2', 1);
    const [survivor, merged] = await feed.register(branch, 2);
    await feed.merge(branch, merged, survivor);
    const before = { admissions: await count('admissions'), outbox: await count('outbox'), series: await h.db.admin('SELECT * FROM wards.ip_series ORDER BY 1, 2') };

    const unknown = await admit(admitBody('01a20000-0000-7000-8000-0000000000ee', bedIds[0]));
    expectProblem(unknown, 422);
    expect(unknown.body.code).toBe('patient-unknown');
    const gone = await admit(admitBody(merged.id, bedIds[0]));
    expectProblem(gone, 422);
    expect(gone.body.code).toBe('patient-merged');
    expect(gone.body.detail).toContain(survivor.uhid);
    expect(gone.body.survivorId).toBe(survivor.id);

    expect(await count('admissions')).toBe(before.admissions);
    expect(await count('outbox')).toBe(before.outbox);
    expect(await h.db.admin('SELECT * FROM wards.ip_series ORDER BY 1, 2')).toEqual(before.series);
    expect((await bed(bedIds[0])).state).toBe('available');
    // The survivor is the one to admit.
    expect((await admit(admitBody(survivor.id, bedIds[0]))).status).toBe(201);
  });

  it('lets a patient hold one active admission at a time', async () => {
    const { bedIds } = await setUpWard(h.http, desk, 'A3', 2);
    const [p] = await feed.register(branch, 1);
    const first = await admit(admitBody(p.id, bedIds[0]));
    const second = await admit(admitBody(p.id, bedIds[1]));
    expectProblem(second, 409);
    expect(second.body.code).toBe('patient-already-admitted');
    expect(second.body.detail).toContain(first.body.ipNumber);
    expect((await bed(bedIds[1])).state).toBe('available');
    await discharge(first.body.id, 'normal');
    const readmitted = await admit(admitBody(p.id, bedIds[1]));
    expect(readmitted.status).toBe(201);
    expect(readmitted.body.ipNumber).not.toBe(first.body.ipNumber);
  });

  it('issues IP numbers per branch without gaps, whatever fails in between', async () => {
    const { bedIds } = await setUpWard(h.http, desk, 'IPA', 4);
    const theirs = await setUpWard(h.http, otherDesk, 'IPB', 2);
    const ps = await feed.register(branch, 4);
    const qs = await feed.register(other, 2);
    const a1 = await admit(admitBody(ps[0].id, bedIds[0]));
    expectProblem(await admit(admitBody(ps[1].id, bedIds[0])), 409); // bed taken
    expectProblem(await admit(admitBody(ps[0].id, bedIds[1])), 409); // patient admitted
    expectProblem(await admit(admitBody('01a20000-0000-7000-8000-0000000000ef', bedIds[1])), 422);
    const a2 = await admit(admitBody(ps[1].id, bedIds[1]));
    const b1 = await admit(admitBody(qs[0].id, theirs.bedIds[0]), otherDesk);
    const a3 = await admit(admitBody(ps[2].id, bedIds[2]));
    const b2 = await admit(admitBody(qs[1].id, theirs.bedIds[1]), otherDesk);
    expect(ipSequence(a2)).toBe(ipSequence(a1) + 1);
    expect(ipSequence(a3)).toBe(ipSequence(a2) + 1);
    // The other branch has its own series, from 1.
    expect(b1.body.ipNumber).toBe(formatIpNumber(financialYear(new Date()), 1));
    expect(ipSequence(b2)).toBe(2);

    const rows = await h.db.admin<{ branch_id: string; ip_number: string }>('SELECT branch_id, ip_number FROM wards.admissions ORDER BY branch_id, ip_number');
    for (const b of [branch.id, other.id]) {
      const seq = rows.filter((r) => r.branch_id === b).map((r) => Number(r.ip_number.slice(-6)));
      expect(seq).toEqual(Array.from({ length: seq.length }, (_, i) => i + 1));
    }
  });

  it('admits once for retries with one Idempotency-Key, and once for concurrent ones', async () => {
    const { bedIds } = await setUpWard(h.http, desk, 'IDEM', 3);
    const [p, q] = await feed.register(branch, 2);
    const key = `admit-${randomUUID()}`;
    const first = await admit(admitBody(p.id, bedIds[0]), desk, { 'idempotency-key': key });
    const retry = await admit(admitBody(p.id, bedIds[0]), desk, { 'idempotency-key': key });
    expect(first.status).toBe(201);
    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.body.id).toBe(first.body.id);
    expect(retry.body.ipNumber).toBe(first.body.ipNumber);
    const reused = await admit(admitBody(p.id, bedIds[1]), desk, { 'idempotency-key': key });
    expectProblem(reused, 422);
    expect(reused.body.code).toBe('idempotency-key-reused');
    expectProblem(await admit(admitBody(q.id, bedIds[1]), desk, { 'idempotency-key': 'short' }), 400);
    const rows = await h.db.admin('SELECT id FROM wards.admissions WHERE patient_id = $1', [p.id]);
    expect(rows).toHaveLength(1);
    expect(await outboxEvents(h, PatientAdmitted, first.body.id)).toHaveLength(1);

    const concurrentKey = `admit-${randomUUID()}`;
    const results = await Promise.all(Array.from({ length: 6 }, () => admit(admitBody(q.id, bedIds[1]), desk, { 'idempotency-key': concurrentKey })));
    expect(results.filter((r) => r.status !== 201 && r.status !== 409)).toEqual([]);
    expect(results.some((r) => r.status === 201)).toBe(true);
    const created = new Set(results.filter((r) => r.status === 201).map((r) => r.body.id));
    expect(created.size).toBe(1);
    expect(await h.db.admin('SELECT id FROM wards.admissions WHERE patient_id = $1', [q.id])).toHaveLength(1);
  });

  it('admits into a retired bed never: 409 bed-retired (the bed exists), not 404, with nothing written', async () => {
    const { bedIds } = await setUpWard(h.http, desk, 'RETB', 2);
    const [p] = await feed.register(branch, 1);
    expect((await h.http.post(`/api/v1/wards/beds/${bedIds[0]}/retire`, undefined, { token: desk })).status).toBe(200);
    const before = { admissions: await count('admissions'), outbox: await count('outbox'), history: await count('bed_state_history') };
    const r = await admit(admitBody(p.id, bedIds[0]));
    expectProblem(r, 409);
    expect(r.body.code).toBe('bed-retired');
    expect(r.body.detail).toMatch(/B1.*RETB.*retired/);
    expect({ admissions: await count('admissions'), outbox: await count('outbox'), history: await count('bed_state_history') }).toEqual(before);
    // Still 404 for a bed that does not exist at all.
    expect((await admit(admitBody(p.id, '01a20000-0000-7000-8000-0000000000e1'))).body.code).toBe('bed-not-found');
    expect((await admit(admitBody(p.id, bedIds[1]))).status).toBe(201);
  });
});

describe('ward gender policy', () => {
  const writes = async () => ({
    admissions: await count('admissions'),
    stays: await count('bed_stays'),
    overrides: await count('gender_policy_overrides'),
    outbox: await count('outbox'),
    history: await count('bed_state_history'),
    series: await h.db.admin('SELECT * FROM wards.ip_series ORDER BY 1, 2'),
  });

  it.each([
    ['male', 'F'],
    ['male', 'O'],
    ['male', 'U'],
    ['female', 'M'],
    ['female', 'O'],
  ] as const)('refuses on a %s ward a patient recorded %s with 422 ward-gender-policy, writing nothing', async (policy, sex) => {
    const { bedIds } = await setUpWard(h.http, desk, `G${policy[0].toUpperCase()}${sex}`, 1, { genderPolicy: policy });
    const [p] = await feed.register(branch, 1, sex);
    const before = await writes();
    const r = await admit(admitBody(p.id, bedIds[0]));
    expectProblem(r, 422);
    expect(r.body).toMatchObject({ code: 'ward-gender-policy', genderPolicy: policy, patientSex: sex });
    expect(r.body.detail).toMatch(new RegExp(`${policy} ward.*${sex}.*genderPolicyOverride`));
    expect(await writes()).toEqual(before);
    expect((await bed(bedIds[0])).state).toBe('available');
  });

  it('admits under an explicit override, recording who, when and why on the admission and in its event', async () => {
    const { bedIds } = await setUpWard(h.http, desk, 'GOVR', 1, { genderPolicy: 'male' });
    const [woman] = await feed.register(branch, 1, 'F');
    const reason = 'Mother staying with her admitted son; no female bed free tonight';
    const r = await admit(admitBody(woman.id, bedIds[0], { genderPolicyOverride: { reason } }));
    expect(r.status).toBe(201);
    const recorded = { wardPolicy: 'male', patientSex: 'F', reason, by: { id: deskId, name: 'Admission Desk' }, at: r.body.admittedAt };
    expect(r.body.genderPolicyOverride).toEqual(recorded);
    expect(r.body.warnings).toEqual([]);
    expect(r.body.stays).toEqual([expect.objectContaining({ bedId: bedIds[0], genderPolicyOverride: recorded })]);
    const read = await h.http.get(`/api/v1/wards/admissions/${r.body.id}`, { token: desk });
    expect(read.body.genderPolicyOverride).toEqual(recorded);
    const [event] = await outboxEvents(h, PatientAdmitted, r.body.id);
    expect(event.data.genderPolicyOverride).toEqual(recorded);
    // A patient who fits carries no override, in the view or the event.
    const { bedIds: fitting } = await setUpWard(h.http, desk, 'GFIT', 1, { genderPolicy: 'female' });
    const [other] = await feed.register(branch, 1, 'F');
    const plain = await admit(admitBody(other.id, fitting[0]));
    expect(plain.body).toMatchObject({ genderPolicyOverride: null, warnings: [] });
    expect((await outboxEvents(h, PatientAdmitted, plain.body.id))[0].data).not.toHaveProperty('genderPolicyOverride');
  });

  it('records nothing, and says so, when an override is sent for a patient who fits the ward', async () => {
    const { bedIds } = await setUpWard(h.http, desk, 'GMIX', 1, { genderPolicy: 'mixed' });
    const [p] = await feed.register(branch, 1, 'M');
    const overrides = await count('gender_policy_overrides');
    const r = await admit(admitBody(p.id, bedIds[0], { genderPolicyOverride: { reason: 'just in case' } }));
    expect(r.status).toBe(201);
    expect(r.body.genderPolicyOverride).toBeNull();
    expect(r.body.warnings).toEqual([expect.objectContaining({ code: 'gender-policy-override-not-needed' })]);
    expect(await count('gender_policy_overrides')).toBe(overrides);
  });

  it.each([
    ['a reason of only spaces', 'GB1', { reason: ' \t\n ' }, 'genderPolicyOverride.reason'],
    ['no reason', 'GB2', {}, 'genderPolicyOverride.reason'],
    ['a reason over 500 characters', 'GB3', { reason: 'x'.repeat(501) }, 'genderPolicyOverride.reason'],
    ['an override that is not an object', 'GB4', 'yes', 'genderPolicyOverride'],
  ])('refuses an override with %s with 400 naming the field, writing nothing', async (_label, wardCode, override, field) => {
    const { bedIds } = await setUpWard(h.http, desk, wardCode, 1, { genderPolicy: 'male' });
    const [woman] = await feed.register(branch, 1, 'F');
    const before = await writes();
    const r = await admit(admitBody(woman.id, bedIds[0], { genderPolicyOverride: override }));
    expectProblem(r, 400);
    expect(r.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    expect(await writes()).toEqual(before);
  });

  it('checks a transfer into another ward like an admission, and a move within the ward not at all', async () => {
    const mixed = await setUpWard(h.http, desk, 'GTM', 1, { genderPolicy: 'mixed' });
    const male = await setUpWard(h.http, desk, 'GTMA', 3, { genderPolicy: 'male' });
    const [woman] = await feed.register(branch, 1, 'F');
    const admitted = await admit(admitBody(woman.id, mixed.bedIds[0]));
    expect(admitted.body.genderPolicyOverride).toBeNull();
    const before = await writes();

    const refused = await transfer(admitted.body.id, mixed.bedIds[0], male.bedIds[0]);
    expectProblem(refused, 422);
    expect(refused.body.code).toBe('ward-gender-policy');
    expect(await writes()).toEqual(before);
    expect(await bed(mixed.bedIds[0])).toMatchObject({ state: 'occupied', admissionId: admitted.body.id });

    const reason = 'HDU overflow: the only monitored bed free';
    const moved = await h.http.post(
      `/api/v1/wards/admissions/${admitted.body.id}/transfer`,
      { fromBedId: mixed.bedIds[0], toBedId: male.bedIds[0], genderPolicyOverride: { reason } },
      { token: desk },
    );
    expect(moved.status).toBe(200);
    const recorded = { wardPolicy: 'male', patientSex: 'F', reason, by: { id: deskId, name: 'Admission Desk' }, at: moved.body.stays[1].from };
    // The admission itself was not overridden; the stay in the male ward was.
    expect(moved.body.genderPolicyOverride).toBeNull();
    expect(moved.body.stays.map((st: { genderPolicyOverride: unknown }) => st.genderPolicyOverride)).toEqual([null, recorded]);
    const [event] = await outboxEvents(h, PatientTransferred, admitted.body.id);
    expect(event.data.genderPolicyOverride).toEqual(recorded);

    // Within the male ward: no new decision, and an override sent anyway is not recorded.
    const within = await h.http.post(
      `/api/v1/wards/admissions/${admitted.body.id}/transfer`,
      { fromBedId: male.bedIds[0], toBedId: male.bedIds[1], genderPolicyOverride: { reason: 'again' } },
      { token: desk },
    );
    expect(within.status).toBe(200);
    expect(within.body.warnings).toEqual([expect.objectContaining({ code: 'gender-policy-override-not-needed' })]);
    expect(within.body.stays.map((st: { genderPolicyOverride: unknown }) => st.genderPolicyOverride)).toEqual([null, recorded, null]);
    const plainMove = await transfer(admitted.body.id, male.bedIds[1], male.bedIds[2]);
    expect(plainMove.status).toBe(200);
    expect(plainMove.body.warnings).toEqual([]);
    expect(await count('gender_policy_overrides')).toBe(before.overrides + 1);
  });
});

describe('listing admissions', () => {
  it('filters by status, patient and ward, newest first, in pages', async () => {
    const w1 = await setUpWard(h.http, desk, 'L1', 2);
    const w2 = await setUpWard(h.http, desk, 'L2', 1);
    const [p, q, r] = await feed.register(branch, 3);
    const a = await admit(admitBody(p.id, w1.bedIds[0]));
    const b = await admit(admitBody(q.id, w1.bedIds[1]));
    const c = await admit(admitBody(r.id, w2.bedIds[0]));
    await discharge(b.body.id, 'referred');
    const list = async (query: string) => {
      const res = await h.http.get(`/api/v1/wards/admissions?${query}`, { token: desk });
      expect(res.status).toBe(200);
      return res.body as { items: { id: string }[]; nextOffset: number | null };
    };
    expect((await list(`wardId=${w1.ward.id}&status=admitted`)).items.map((i) => i.id)).toEqual([a.body.id]);
    expect((await list(`patientId=${q.id}`)).items.map((i) => i.id)).toEqual([b.body.id]);
    expect((await list(`patientId=${q.id}&status=admitted`)).items).toEqual([]);
    expect((await list(`wardId=${w2.ward.id}`)).items.map((i) => i.id)).toEqual([c.body.id]);
    const page = await list(`wardId=${w1.ward.id}&limit=1`);
    expect(page.items).toHaveLength(1);
    expect(page.nextOffset).toBe(1);
  });
});

describe('transfer', () => {
  it('moves the patient in one step: old bed to cleaning, new occupied, stays with category and tariff', async () => {
    const general = await setUpWard(h.http, desk, 'T1', 2);
    const icu = await setUpWard(h.http, desk, 'TICU', 1, { categoryCode: 'ICU' });
    await h.http.post(`/api/v1/wards/bed-categories/${general.category.id}/tariffs`, { effectiveFrom: '2025-04-01', dailyRatePaise: 150_000 }, { token: desk });
    await h.http.post(`/api/v1/wards/bed-categories/${icu.category.id}/tariffs`, { effectiveFrom: '2025-04-01', dailyRatePaise: 1_200_000 }, { token: desk });
    const [p] = await feed.register(branch, 1);
    const admitted = await admit(admitBody(p.id, general.bedIds[0]));

    const moved = await transfer(admitted.body.id, general.bedIds[0], icu.bedIds[0], 'deteriorating');
    expect(moved.status).toBe(200);
    expect(moved.body.bedId).toBe(icu.bedIds[0]);
    expect(moved.body.stays).toEqual([
      expect.objectContaining({ bedId: general.bedIds[0], wardCode: 'T1', categoryCode: 'GENERAL', isCriticalCare: false, dailyRatePaise: 150_000, from: admitted.body.admittedAt }),
      expect.objectContaining({ bedId: icu.bedIds[0], wardCode: 'TICU', categoryCode: 'ICU', isCriticalCare: true, dailyRatePaise: 1_200_000, to: null }),
    ]);
    expect(moved.body.stays[0].to).toBe(moved.body.stays[1].from);
    expect(await bed(general.bedIds[0])).toMatchObject({ state: 'cleaning', admissionId: null });
    expect(await bed(icu.bedIds[0])).toMatchObject({ state: 'occupied', admissionId: admitted.body.id });

    const [event] = await outboxEvents(h, PatientTransferred, admitted.body.id);
    expect(event.data).toMatchObject({
      admissionId: admitted.body.id,
      ipNumber: admitted.body.ipNumber,
      patientId: p.id,
      reason: 'deteriorating',
      from: { bedId: general.bedIds[0], categoryCode: 'GENERAL', isCriticalCare: false, dailyRatePaise: 150_000 },
      to: { bedId: icu.bedIds[0], categoryCode: 'ICU', isCriticalCare: true, dailyRatePaise: 1_200_000 },
    });
    const oldBed = (await outboxEvents(h, BedStateChanged, general.bedIds[0])).at(-1);
    expect(oldBed?.data).toMatchObject({ from: 'occupied', to: 'cleaning', reason: 'transferred out', admissionId: admitted.body.id, patientId: p.id, categoryCode: 'GENERAL', dailyRatePaise: 150_000 });
    const newBed = (await outboxEvents(h, BedStateChanged, icu.bedIds[0])).at(-1);
    expect(newBed?.data).toMatchObject({ from: 'available', to: 'occupied', reason: 'transferred in', patientId: p.id, categoryCode: 'ICU', isCriticalCare: true, dailyRatePaise: 1_200_000 });
    const history = await h.http.get(`/api/v1/wards/beds/${general.bedIds[0]}/history`, { token: desk });
    expect(history.body.items[0]).toMatchObject({ from: 'occupied', to: 'cleaning', reason: 'transferred out', admissionId: admitted.body.id, actorId: deskId });
  });

  it('charges each stay at the tariff in force when it began, even after the tariff changes', async () => {
    const w = await setUpWard(h.http, desk, 'TRATE', 3, { categoryCode: 'SEMI_PRIVATE' });
    await h.http.post(`/api/v1/wards/bed-categories/${w.category.id}/tariffs`, { effectiveFrom: '2025-04-01', dailyRatePaise: 300_000 }, { token: desk });
    const [p, q] = await feed.register(branch, 2);
    const moving = await admit(admitBody(p.id, w.bedIds[0]));
    const leaving = await admit(admitBody(q.id, w.bedIds[2]));
    expect(moving.body.stays[0].dailyRatePaise).toBe(300_000);
    // The rate goes up today; stays that began under the old rate keep it, in the views and in the events.
    await h.http.post(`/api/v1/wards/bed-categories/${w.category.id}/tariffs`, { effectiveFrom: indianToday(), dailyRatePaise: 350_000 }, { token: desk });
    const moved = await transfer(moving.body.id, w.bedIds[0], w.bedIds[1]);
    expect(moved.body.stays.map((s: { dailyRatePaise: number }) => s.dailyRatePaise)).toEqual([300_000, 350_000]);
    const [transferred] = await outboxEvents(h, PatientTransferred, moving.body.id);
    expect(transferred.data.from.dailyRatePaise).toBe(300_000);
    expect(transferred.data.to.dailyRatePaise).toBe(350_000);

    const left = await discharge(leaving.body.id, 'normal');
    expect(left.body.stays.map((s: { dailyRatePaise: number }) => s.dailyRatePaise)).toEqual([300_000]);
    const [discharged] = await outboxEvents(h, PatientDischarged, leaving.body.id);
    expect(discharged.data.bed).toMatchObject({ bedId: w.bedIds[2], dailyRatePaise: 300_000 });
    await discharge(moving.body.id, 'normal');
    const [movedOut] = await outboxEvents(h, PatientDischarged, moving.body.id);
    expect(movedOut.data.bed).toMatchObject({ bedId: w.bedIds[1], dailyRatePaise: 350_000 });
  });

  it('prices a stay at the tariff in force on the desk’s Indian date (the injected clock), and dates the bed’s history by it', async () => {
    const w = await setUpWard(h.http, desk, 'TCLK', 2, { categoryCode: 'DAY_CARE' });
    await h.http.post(`/api/v1/wards/bed-categories/${w.category.id}/tariffs`, { effectiveFrom: '2030-04-01', dailyRatePaise: 500_000 }, { token: desk });
    await h.http.post(`/api/v1/wards/bed-categories/${w.category.id}/tariffs`, { effectiveFrom: '2030-04-02', dailyRatePaise: 700_000 }, { token: desk });
    const [p, q] = await feed.register(branch, 2);
    try {
      // 23:30 IST on 1 April: still the first tariff's day.
      clock.set('2030-04-01T18:00:00Z');
      const first = await admit(admitBody(p.id, w.bedIds[0]));
      expect(first.status).toBe(201);
      expect(first.body.stays[0]).toMatchObject({ dailyRatePaise: 500_000, from: '2030-04-01T18:00:00.000Z' });
      // 00:30 IST on 2 April, though it is still 1 April in UTC: the second tariff's day.
      clock.set('2030-04-01T19:00:00Z');
      const second = await admit(admitBody(q.id, w.bedIds[1]));
      expect(second.body.stays[0]).toMatchObject({ dailyRatePaise: 700_000, from: '2030-04-01T19:00:00.000Z' });
      const [event] = (await outboxEvents(h, BedStateChanged, w.bedIds[1])).filter((e) => e.data.to === 'occupied');
      expect(event.data).toMatchObject({ dailyRatePaise: 700_000, categoryCode: 'DAY_CARE' });
      const history = await h.http.get(`/api/v1/wards/beds/${w.bedIds[1]}/history`, { token: desk });
      expect(history.body.items[0]).toMatchObject({ from: 'available', to: 'occupied', at: '2030-04-01T19:00:00.000Z' });
      expect((await bed(w.bedIds[1])).since).toBe('2030-04-01T19:00:00.000Z');
    } finally {
      clock.reset();
    }
  });

  it('writes an IP number past 999999 with a seventh digit, the same text in the admission and its event', async () => {
    const big = TestIdentity.branch('ADMBIG');
    const bigDesk = await h.identity.token({ branches: [{ branch: big, role: 'admin' }] });
    const w = await setUpWard(h.http, bigDesk, 'TBIG', 1, { branchId: big.id });
    const [p] = await feed.register(big, 1);
    try {
      clock.set('2030-06-01T06:00:00Z');
      await h.db.admin('INSERT INTO wards.ip_series (branch_id, financial_year, next_value) VALUES ($1, $2, $3)', [big.id, '2030-31', 1_234_567]);
      const r = await admit(admitBody(p.id, w.bedIds[0]), bigDesk);
      expect(r.status).toBe(201);
      expect(r.body.ipNumber).toBe('IP/30-31/1234567');
      const [event] = await outboxEvents(h, PatientAdmitted, r.body.id);
      expect(event.data.ipNumber).toBe('IP/30-31/1234567');
    } finally {
      clock.reset();
    }
  });

  it('refuses an occupied, reserved, unavailable, retired or unknown bed, and a stale current bed, with nothing changed', async () => {
    const { bedIds } = await setUpWard(h.http, desk, 'T2', 6);
    const [p, q, r] = await feed.register(branch, 3);
    const mine = await admit(admitBody(p.id, bedIds[0]));
    const theirs = await admit(admitBody(q.id, bedIds[1]));
    await h.http.put(`/api/v1/wards/beds/${bedIds[2]}/state`, { state: 'reserved', patientId: r.id }, { token: desk });
    await h.http.put(`/api/v1/wards/beds/${bedIds[3]}/state`, { state: 'maintenance' }, { token: desk });
    await h.http.post(`/api/v1/wards/beds/${bedIds[4]}/retire`, undefined, { token: desk });
    const before = { outbox: await count('outbox'), history: await count('bed_state_history'), stays: await count('bed_stays') };

    const occupied = await transfer(mine.body.id, bedIds[0], bedIds[1]);
    expectProblem(occupied, 409);
    expect(occupied.body.code).toBe('bed-occupied');
    expect(occupied.body.detail).toContain(theirs.body.ipNumber);
    const reserved = await transfer(mine.body.id, bedIds[0], bedIds[2]);
    expectProblem(reserved, 409);
    expect(reserved.body.code).toBe('bed-reserved');
    const maintenance = await transfer(mine.body.id, bedIds[0], bedIds[3]);
    expectProblem(maintenance, 409);
    expect(maintenance.body.detail).toMatch(/maintenance/);
    expectProblem(await transfer(mine.body.id, bedIds[0], bedIds[4]), 404);
    expectProblem(await transfer(mine.body.id, bedIds[0], '01a20000-0000-7000-8000-0000000000f1'), 404);
    const stale = await transfer(mine.body.id, bedIds[5], bedIds[1]);
    expectProblem(stale, 409);
    expect(stale.body.code).toBe('admission-moved');
    expect(stale.body.detail).toMatch(/bed B1/);
    expectProblem(await transfer('01a20000-0000-7000-8000-0000000000f2', bedIds[0], bedIds[5]), 404);

    expect(await count('outbox')).toBe(before.outbox);
    expect(await count('bed_state_history')).toBe(before.history);
    expect(await count('bed_stays')).toBe(before.stays);
    expect(await bed(bedIds[0])).toMatchObject({ state: 'occupied', admissionId: mine.body.id });
    expect(await bed(bedIds[1])).toMatchObject({ state: 'occupied', admissionId: theirs.body.id });
    // The patient the bed is held for may be moved into it.
    const held = await admit(admitBody(r.id, bedIds[5]));
    expect((await transfer(held.body.id, bedIds[5], bedIds[2])).status).toBe(200);
  });

  it('of two concurrent transfers of one patient, exactly one wins and the other gets a 409 naming the conflict', async () => {
    const { bedIds } = await setUpWard(h.http, desk, 'TRACE', 12);
    const patients = await feed.register(branch, 4);
    for (let round = 0; round < 4; round++) {
      const [from, toA, toB] = bedIds.slice(round * 3, round * 3 + 3);
      const admitted = await admit(admitBody(patients[round].id, from));
      const [a, b] = await Promise.all([transfer(admitted.body.id, from, toA), transfer(admitted.body.id, from, toB)]);
      const statuses = [a.status, b.status].sort();
      expect(statuses).toEqual([200, 409]);
      const [winner, loser] = a.status === 200 ? [a, b] : [b, a];
      const [wonBed, lostBed] = a.status === 200 ? [toA, toB] : [toB, toA];
      expectProblem(loser, 409);
      expect(loser.body.code).toBe('admission-moved');
      expect(loser.body.detail).toContain(`bed B${bedIds.indexOf(wonBed) + 1}`);
      expect(loser.body.currentBedId).toBe(wonBed);
      expect(winner.body.bedId).toBe(wonBed);
      expect(await bed(wonBed)).toMatchObject({ state: 'occupied', admissionId: admitted.body.id });
      expect(await bed(lostBed)).toMatchObject({ state: 'available', admissionId: null });
      expect(await bed(from)).toMatchObject({ state: 'cleaning' });
      expect(await outboxEvents(h, PatientTransferred, admitted.body.id)).toHaveLength(1);
      const stays = await h.db.admin<{ bed_id: string; ended_at: Date | null }>('SELECT bed_id, ended_at FROM wards.bed_stays WHERE admission_id = $1 ORDER BY started_at', [admitted.body.id]);
      expect(stays.map((s) => [s.bed_id, s.ended_at === null])).toEqual([
        [from, false],
        [wonBed, true],
      ]);
    }
  });

  it('of two patients moved into one bed at once, exactly one gets it', async () => {
    const { bedIds } = await setUpWard(h.http, desk, 'TONE', 3);
    const [p, q] = await feed.register(branch, 2);
    const ap = await admit(admitBody(p.id, bedIds[0]));
    const aq = await admit(admitBody(q.id, bedIds[1]));
    const results = await Promise.all([transfer(ap.body.id, bedIds[0], bedIds[2]), transfer(aq.body.id, bedIds[1], bedIds[2])]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    const loser = results.find((r) => r.status === 409);
    expect(loser?.body.code).toBe('bed-occupied');
    const occupant = (await bed(bedIds[2])).admissionId;
    expect([ap.body.id, aq.body.id]).toContain(occupant);
  });
});

describe('discharge', () => {
  it.each(DISCHARGE_TYPES)('discharges as %s: the bed goes to cleaning, the stay ends, the event says so', async (type) => {
    const { bedIds } = await setUpWard(h.http, desk, `D${DISCHARGE_TYPES.indexOf(type)}`, 1);
    const [p] = await feed.register(branch, 1);
    const admitted = await admit(admitBody(p.id, bedIds[0]));
    const r = await discharge(admitted.body.id, type, `discharged: ${type}`);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ status: 'discharged', dischargeType: type, dischargeNotes: `discharged: ${type}`, billingClearance: 'unknown' });
    expect(Date.parse(r.body.dischargedAt)).toBeGreaterThanOrEqual(Date.parse(r.body.admittedAt));
    expect(r.body.stays).toEqual([expect.objectContaining({ bedId: bedIds[0], to: r.body.dischargedAt })]);
    expect(await bed(bedIds[0])).toMatchObject({ state: 'cleaning', admissionId: null });
    const [event] = await outboxEvents(h, PatientDischarged, admitted.body.id);
    expect(event.data).toMatchObject({ admissionId: admitted.body.id, patientId: p.id, dischargeType: type, dischargedAt: r.body.dischargedAt, admittedAt: r.body.admittedAt, billingClearance: 'unknown', duesPaise: null });
    expect(event.data.bed).toMatchObject({ bedId: bedIds[0], categoryCode: 'GENERAL' });
    const cleaning = (await outboxEvents(h, BedStateChanged, bedIds[0])).at(-1);
    expect(cleaning?.data).toMatchObject({ from: 'occupied', to: 'cleaning', reason: 'discharged', patientId: p.id });

    const again = await discharge(admitted.body.id, type);
    expectProblem(again, 409);
    expect(again.body.code).toBe('admission-closed');
    expect(await outboxEvents(h, PatientDischarged, admitted.body.id)).toHaveLength(1);
  });

  it('of two concurrent discharges, exactly one happens and the other gets a 409', async () => {
    const { bedIds } = await setUpWard(h.http, desk, 'DRACE', 1);
    const [p] = await feed.register(branch, 1);
    const admitted = await admit(admitBody(p.id, bedIds[0]));
    const results = await Promise.all([discharge(admitted.body.id, 'normal'), discharge(admitted.body.id, 'death')]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    expect(results.find((r) => r.status === 409)?.body.code).toBe('admission-closed');
    expect(await outboxEvents(h, PatientDischarged, admitted.body.id)).toHaveLength(1);
    const cleaning = (await outboxEvents(h, BedStateChanged, bedIds[0])).filter((e) => e.data.to === 'cleaning');
    expect(cleaning).toHaveLength(1);
  });

  it('never blocks on an uncleared bill, not even the release of a deceased patient (REC-05): it warns and records the dues', async () => {
    const { bedIds } = await setUpWard(h.http, desk, 'BILL', 3);
    const [dead, amaPatient, paid] = await feed.register(branch, 3);
    const a1 = await admit(admitBody(dead.id, bedIds[0]));
    const a2 = await admit(admitBody(amaPatient.id, bedIds[1]));
    const a3 = await admit(admitBody(paid.id, bedIds[2]));
    await h.db.admin(`UPDATE wards.admissions SET billing_clearance = 'pending', dues_paise = 1234550 WHERE id = ANY($1::uuid[])`, [[a1.body.id, a2.body.id]]);
    await h.db.admin(`UPDATE wards.admissions SET billing_clearance = 'cleared', dues_paise = 0 WHERE id = $1`, [a3.body.id]);

    const death = await discharge(a1.body.id, 'death');
    expect(death.status).toBe(200);
    expect(death.body).toMatchObject({ status: 'discharged', dischargeType: 'death', billingClearance: 'pending', duesPaise: 1_234_550 });
    expect(death.body.warnings).toEqual([expect.objectContaining({ code: 'billing-not-cleared' })]);
    expect(death.body.warnings[0].message).toContain('Rs 12345.50');
    const [event] = await outboxEvents(h, PatientDischarged, a1.body.id);
    expect(event.data).toMatchObject({ dischargeType: 'death', billingClearance: 'pending', duesPaise: 1_234_550 });
    expect(await bed(bedIds[0])).toMatchObject({ state: 'cleaning' });

    const ama = await discharge(a2.body.id, 'against-medical-advice');
    expect(ama.status).toBe(200);
    expect(ama.body.warnings[0].code).toBe('billing-not-cleared');
    const cleared = await discharge(a3.body.id, 'normal');
    expect(cleared.status).toBe(200);
    expect(cleared.body.warnings).toEqual([]);
  });
});
