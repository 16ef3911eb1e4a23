import { startServiceForTest, type ServiceHarness } from '@hms/platform-service-testing';
import { TestIdentity, expectProblem, type TestBranch } from '@hms/platform-testing';
import { wardsDefinition } from '../src/wards.definition';
import { PatientFeed, admitBody, setUpWard } from './support';

// The bed board, the census and occupancy with average length of stay, on controlled scenarios.
// Above Jest's 5 s default, for a loaded 2-core CI machine; a real hang still fails.
jest.setTimeout(30_000);
let h: ServiceHarness;
let feed: PatientFeed;

beforeAll(async () => {
  h = await startServiceForTest(wardsDefinition, __filename);
  feed = new PatientFeed(h);
});
afterAll(async () => {
  await feed?.close();
  await h?.stop();
});

interface BoardBed {
  id: string;
  code: string;
  room: string | null;
  category: string;
  isCriticalCare: boolean;
  state: string;
  since: string;
  reservedForPatientId: string | null;
  admission: { id: string; ipNumber: string; patientId: string; uhid: string; name: string; expectedDischargeAt: string | null } | null;
}
interface BoardWard {
  id: string;
  code: string;
  name: string;
  floor: string | null;
  counts: Record<string, number>;
  beds: BoardBed[];
}
interface Group {
  code: string;
  beds: number;
  occupied: number;
  occupancy: number;
  byState: Record<string, number>;
}

/** A branch of its own per scenario, so counts are exact. */
async function branchWithAdmin(code: string): Promise<{ branch: TestBranch; token: string }> {
  const branch = TestIdentity.branch(code);
  return { branch, token: await h.identity.token({ branches: [{ branch, role: 'admin' }] }) };
}

describe('bed board and census', () => {
  it('shows each bed of the branch with its state, since when, and who is in it until when', async () => {
    const { branch, token } = await branchWithAdmin('BRD');
    const general = await setUpWard(h.http, token, 'GEN', 4);
    const room = await h.http.post(`/api/v1/wards/wards/${general.ward.id}/rooms`, { code: 'R1' }, { token });
    const roomBed = await h.http.post('/api/v1/wards/beds', { wardId: general.ward.id, roomId: room.body.id, code: 'R1B1', categoryId: general.category.id }, { token });
    const icu = await setUpWard(h.http, token, 'ICU1', 2, { categoryCode: 'ICU' });
    const [p, q, r] = await feed.register(branch, 3);
    const admitted = await h.http.post('/api/v1/wards/admissions', admitBody(p.id, general.bedIds[0], { expectedStayDays: 5 }), { token });
    const inRoom = await h.http.post('/api/v1/wards/admissions', admitBody(q.id, roomBed.body.id, { expectedStayDays: undefined }), { token });
    await h.http.put(`/api/v1/wards/beds/${general.bedIds[1]}/state`, { state: 'reserved', patientId: r.id }, { token });
    await h.http.put(`/api/v1/wards/beds/${general.bedIds[2]}/state`, { state: 'maintenance', reason: 'leaking tap' }, { token });
    await h.http.put(`/api/v1/wards/beds/${icu.bedIds[0]}/state`, { state: 'blocked' }, { token });
    const icuPatient = await h.http.post('/api/v1/wards/admissions', admitBody(r.id, icu.bedIds[1]), { token });
    const icuLeft = await h.http.post(`/api/v1/wards/admissions/${icuPatient.body.id}/discharge`, { dischargeType: 'referred' }, { token });

    // A bed in another branch never shows.
    const elsewhere = await branchWithAdmin('BRD2');
    await setUpWard(h.http, elsewhere.token, 'GEN', 1);

    const board = await h.http.get('/api/v1/wards/bed-board', { token });
    expect(board.status).toBe(200);
    const wards = board.body.wards as BoardWard[];
    expect(wards.map((w) => w.code)).toEqual(['GEN', 'ICU1']);
    const [gen, icuWard] = wards;
    expect(gen.counts).toEqual({ occupied: 2, reserved: 1, maintenance: 1, available: 1 });
    expect(icuWard.counts).toEqual({ blocked: 1, cleaning: 1 });
    // Beds without a room first, then by room and code.
    expect(gen.beds.map((b) => [b.code, b.room])).toEqual([
      ['B1', null],
      ['B2', null],
      ['B3', null],
      ['B4', null],
      ['R1B1', 'R1'],
    ]);
    const b1 = gen.beds[0];
    expect(b1).toMatchObject({ state: 'occupied', category: 'GENERAL', isCriticalCare: false, reservedForPatientId: null });
    expect(b1.admission).toEqual({
      id: admitted.body.id,
      ipNumber: admitted.body.ipNumber,
      patientId: p.id,
      uhid: p.uhid,
      name: p.name,
      expectedDischargeAt: admitted.body.expectedDischargeAt,
    });
    expect(b1.since).toBe(admitted.body.admittedAt);
    expect(gen.beds[4].admission).toMatchObject({ id: inRoom.body.id, patientId: q.id, expectedDischargeAt: null });
    expect(gen.beds[1]).toMatchObject({ state: 'reserved', reservedForPatientId: r.id, admission: null });
    expect(gen.beds[2]).toMatchObject({ state: 'maintenance', admission: null });
    expect(icuWard.beds.map((b) => [b.code, b.state, b.category, b.isCriticalCare])).toEqual([
      ['B1', 'blocked', 'ICU', true],
      ['B2', 'cleaning', 'ICU', true],
    ]);
    expect(icuWard.beds[1].since).toBe(icuLeft.body.dischargedAt);

    const one = await h.http.get(`/api/v1/wards/bed-board?wardId=${icu.ward.id}`, { token });
    expect((one.body.wards as BoardWard[]).map((w) => w.code)).toEqual(['ICU1']);
    expectProblem(await h.http.get('/api/v1/wards/bed-board?wardId=ICU1', { token }), 400);

    const census = await h.http.get('/api/v1/wards/census', { token });
    expect(census.body).toMatchObject({ beds: 7, occupied: 2, occupancy: 0.286 });
    expect(census.body.byWard as Group[]).toEqual([
      { code: 'GEN', beds: 5, occupied: 2, occupancy: 0.4, byState: { occupied: 2, reserved: 1, maintenance: 1, available: 1 } },
      { code: 'ICU1', beds: 2, occupied: 0, occupancy: 0, byState: { blocked: 1, cleaning: 1 } },
    ]);
    expect(census.body.byCategory as Group[]).toEqual([
      { code: 'GENERAL', beds: 5, occupied: 2, occupancy: 0.4, byState: { occupied: 2, reserved: 1, maintenance: 1, available: 1 } },
      { code: 'ICU', beds: 2, occupied: 0, occupancy: 0, byState: { blocked: 1, cleaning: 1 } },
    ]);
    const theirs = await h.http.get('/api/v1/wards/census', { token: elsewhere.token });
    expect(theirs.body).toMatchObject({ beds: 1, occupied: 0, occupancy: 0 });
  });
});

describe('occupancy and average length of stay', () => {
  // India is UTC+05:30; the range is Indian dates, both ends included.
  const ist = (local: string) => new Date(`${local}+05:30`).toISOString();

  it('counts occupied over available bed-days by ward and category, and the average stay of discharges in the range', async () => {
    const { branch, token } = await branchWithAdmin('OCC');
    const general = await setUpWard(h.http, token, 'GW', 2);
    const icu = await setUpWard(h.http, token, 'IW', 1, { categoryCode: 'ICU' });
    const [g1, g2] = general.bedIds;
    const [i1] = icu.bedIds;
    const [p1, p2, p3, p4] = await feed.register(branch, 4);
    const post = (path: string, body?: unknown) => h.http.post(`/api/v1/wards${path}`, body, { token });

    // In real time, the moves the scenario needs; then the times are set to a controlled calendar.
    const a1 = (await post('/admissions', admitBody(p1.id, g1))).body.id as string;
    await post(`/admissions/${a1}/discharge`, { dischargeType: 'normal' });
    await post(`/beds/${g1}/clean`);
    const a2 = (await post('/admissions', admitBody(p2.id, g2))).body.id as string;
    await post(`/admissions/${a2}/discharge`, { dischargeType: 'normal' });
    await post(`/beds/${g2}/clean`);
    const a3 = (await post('/admissions', admitBody(p3.id, i1))).body.id as string;
    expect((await post(`/admissions/${a3}/transfer`, { fromBedId: i1, toBedId: g1 })).status).toBe(200);
    const a4 = (await post('/admissions', admitBody(p4.id, g2))).body.id as string;
    expect((await post(`/admissions/${a3}/discharge`, { dischargeType: 'normal' })).status).toBe(200);

    const setAdmission = (id: string, admitted: string, discharged: string | null) =>
      h.db.admin('UPDATE wards.admissions SET admitted_at = $2, discharged_at = $3 WHERE id = $1', [id, ist(admitted), discharged && ist(discharged)]);
    const setStay = (id: string, bedId: string, started: string, ended: string | null) =>
      h.db.admin('UPDATE wards.bed_stays SET started_at = $3, ended_at = $4 WHERE admission_id = $1 AND bed_id = $2', [id, bedId, ist(started), ended && ist(ended)]);
    await h.db.admin(`UPDATE wards.beds SET created_at = $2 WHERE branch_id = $1`, [branch.id, ist('2025-01-01T00:00:00')]);
    // A1: G1 from 2 June to 5 June: 3 days, discharged in the range.
    await setAdmission(a1, '2025-06-02T00:00:00', '2025-06-05T00:00:00');
    await setStay(a1, g1, '2025-06-02T00:00:00', '2025-06-05T00:00:00');
    // A2: G2 from 30 May (before the range) to 3 June noon: 4.5 days, 2.5 of them in the range.
    await setAdmission(a2, '2025-05-30T00:00:00', '2025-06-03T12:00:00');
    await setStay(a2, g2, '2025-05-30T00:00:00', '2025-06-03T12:00:00');
    // A3: ICU 8 → 9 June, then G1 until 12 June (after the range): counts to the range's end, not in the average.
    await setAdmission(a3, '2025-06-08T00:00:00', '2025-06-12T00:00:00');
    await setStay(a3, i1, '2025-06-08T00:00:00', '2025-06-09T00:00:00');
    await setStay(a3, g1, '2025-06-09T00:00:00', '2025-06-12T00:00:00');
    // A4: G2 from 9 June noon, still admitted: 1.5 days to the range's end.
    await setAdmission(a4, '2025-06-09T12:00:00', null);
    await setStay(a4, g2, '2025-06-09T12:00:00', null);

    const r = await h.http.get('/api/v1/wards/occupancy?from=2025-06-01&to=2025-06-10', { token });
    expect(r.status).toBe(200);
    // Occupied: 3 + 2.5 + 1 + 2 + 1.5 = 10 of 3 beds × 10 days; average stay (3 + 4.5) / 2.
    expect(r.body).toEqual({
      from: '2025-06-01',
      to: '2025-06-10',
      occupiedBedDays: 10,
      availableBedDays: 30,
      occupancy: 0.333,
      byWard: [
        { code: 'GW', occupiedBedDays: 9, availableBedDays: 20, occupancy: 0.45 },
        { code: 'IW', occupiedBedDays: 1, availableBedDays: 10, occupancy: 0.1 },
      ],
      byCategory: [
        { code: 'GENERAL', occupiedBedDays: 9, availableBedDays: 20, occupancy: 0.45 },
        { code: 'ICU', occupiedBedDays: 1, availableBedDays: 10, occupancy: 0.1 },
      ],
      discharges: 2,
      averageLengthOfStayDays: 3.75,
    });

    // A single day: 2 June holds A1 (all day) and A2 (all day) on 2 of 3 beds.
    const day = await h.http.get('/api/v1/wards/occupancy?from=2025-06-02&to=2025-06-02', { token });
    expect(day.body).toMatchObject({ occupiedBedDays: 2, availableBedDays: 3, occupancy: 0.667, discharges: 0, averageLengthOfStayDays: null });
    // The range including 12 June takes in A3's discharge: (3 + 4.5 + 4) / 3.
    const june = await h.http.get('/api/v1/wards/occupancy?from=2025-06-01&to=2025-06-30', { token });
    expect(june.body).toMatchObject({ discharges: 3, averageLengthOfStayDays: 3.833 });
    // Another branch's stays are not counted.
    const elsewhere = await branchWithAdmin('OCC2');
    const theirs = await h.http.get('/api/v1/wards/occupancy?from=2025-06-01&to=2025-06-10', { token: elsewhere.token });
    expect(theirs.body).toMatchObject({ occupiedBedDays: 0, availableBedDays: 0, occupancy: 0, discharges: 0, byWard: [], byCategory: [] });
  });

  it.each([
    ['a missing end', 'from=2025-06-01'],
    ['a date that is not a date', 'from=2025-06-01&to=tomorrow'],
    ['a start after the end', 'from=2025-06-10&to=2025-06-01'],
    ['a range of more than a year', 'from=2024-01-01&to=2025-06-01'],
    ['a date with a time', 'from=2025-06-01T00:00&to=2025-06-02'],
    ['a day the calendar does not have', 'from=2025-02-30&to=2025-03-01'],
    ['a thirty-first of April', 'from=2025-04-01&to=2025-04-31'],
    ['the year 0', 'from=0000-01-01&to=0000-01-02'],
    ['the year 0 at the end', 'from=2025-06-01&to=0000-01-01'],
    ['a year before 1900', 'from=1899-12-31&to=1900-01-01'],
    ['a date given twice', 'from=2025-06-01&from=2025-06-02&to=2025-06-03'],
    ['an unknown parameter', 'from=2025-06-01&to=2025-06-02&ward=GW'],
  ])('refuses %s with 400', async (_label, query) => {
    const { token } = await branchWithAdmin('OCC3');
    expectProblem(await h.http.get(`/api/v1/wards/occupancy?${query}`, { token }), 400);
  });

  it.each([
    ['from=0000-01-01&to=2025-06-01', ['from']],
    ['from=2025-06-01&to=0000-12-31', ['to']],
    ['to=2025-06-01', ['from']],
    ['from=2025-06-10&to=2025-06-01', ['to']],
    ['from=2024-01-01&to=2025-06-01', ['to']],
  ])('names the refused field for %s', async (query, fields) => {
    const { token } = await branchWithAdmin('OCC4');
    const r = await h.http.get(`/api/v1/wards/occupancy?${query}`, { token });
    expectProblem(r, 400);
    expect(r.body.errors.map((e: { field: string }) => e.field)).toEqual(fields);
  });
});
