import { randomUUID } from 'node:crypto';
import { BedStateChanged } from '@hms/contracts-wards';
import { startServiceForTest, type ServiceHarness } from '@hms/platform-service-testing';
import { TestIdentity, expectProblem, type TestBranch } from '@hms/platform-testing';
import { wardsDefinition } from '../src/wards.definition';
import { PatientFeed, admitBody, outboxEvents, setUpWard } from './support';

// Bed states by hand: who may make which change, the history of every change, reservations.
// Above Jest's 5 s default, for a loaded 2-core CI machine; a real hang still fails.
jest.setTimeout(30_000);
let h: ServiceHarness;
let feed: PatientFeed;
let branch: TestBranch;
const ids = { manager: randomUUID(), housekeeper: randomUUID(), admissionDesk: randomUUID(), frontDesk: randomUUID(), nurse: randomUUID() };
const tokens = { manager: '', housekeeper: '', admissionDesk: '', frontDesk: '', nurse: '', admin: '' };

beforeAll(async () => {
  h = await startServiceForTest(wardsDefinition, __filename);
  feed = new PatientFeed(h);
  branch = TestIdentity.branch('BED');
  const as = (userId: string, role: string, name: string) => h.identity.token({ userId, name, branches: [{ branch, role }] });
  tokens.manager = await as(ids.manager, 'ward-manager', 'Ward Manager');
  tokens.housekeeper = await as(ids.housekeeper, 'housekeeping', 'Housekeeper');
  tokens.admissionDesk = await as(ids.admissionDesk, 'admission-desk', 'Admission Desk');
  tokens.frontDesk = await as(ids.frontDesk, 'front-desk', 'Front Desk');
  tokens.nurse = await as(ids.nurse, 'nurse', 'Nurse');
  tokens.admin = await h.identity.token({ branches: [{ branch, role: 'admin' }] });
});
afterAll(async () => {
  await feed?.close();
  await h?.stop();
});

interface HistoryEntry {
  from: string | null;
  to: string;
  at: string;
  actorId: string;
  reason: string | null;
  admissionId: string | null;
}

const setState = (bedId: string, token: string, body: Record<string, unknown>) => h.http.put(`/api/v1/wards/beds/${bedId}/state`, body, { token });
const clean = (bedId: string, token: string) => h.http.post(`/api/v1/wards/beds/${bedId}/clean`, undefined, { token });
const bedState = async (bedId: string): Promise<string> => (await h.http.get(`/api/v1/wards/beds/${bedId}`, { token: tokens.frontDesk })).body.state;
const history = async (bedId: string, query = ''): Promise<HistoryEntry[]> => {
  const r = await h.http.get(`/api/v1/wards/beds/${bedId}/history${query}`, { token: tokens.frontDesk });
  expect(r.status).toBe(200);
  return r.body.items;
};

describe('bed states and their history', () => {
  it('goes through maintenance, blocked and cleaning to available, recording who and when each time', async () => {
    const { bedIds } = await setUpWard(h.http, tokens.manager, 'W1', 1, { categoryCode: 'ICU' });
    const bed = bedIds[0];
    const started = Date.now();
    const steps: [string, string, Record<string, unknown>][] = [
      ['maintenance', tokens.manager, { state: 'maintenance', reason: 'oxygen port leaking' }],
      ['blocked', tokens.manager, { state: 'blocked', reason: 'isolation' }],
      ['cleaning', tokens.manager, { state: 'cleaning' }],
      ['available', tokens.housekeeper, { state: 'available' }],
    ];
    for (const [state, token, body] of steps) {
      const r = await setState(bed, token, body);
      expect(r.status).toBe(200);
      expect(r.body.state).toBe(state);
    }
    const entries = await history(bed);
    expect(entries.map((e) => [e.from, e.to, e.actorId, e.reason])).toEqual([
      ['cleaning', 'available', ids.housekeeper, null],
      ['blocked', 'cleaning', ids.manager, null],
      ['maintenance', 'blocked', ids.manager, 'isolation'],
      ['available', 'maintenance', ids.manager, 'oxygen port leaking'],
      [null, 'available', ids.manager, 'bed created'],
    ]);
    for (const e of entries) {
      expect(Date.parse(e.at)).toBeGreaterThanOrEqual(started - 60_000);
      expect(Date.parse(e.at)).toBeLessThanOrEqual(Date.now() + 1000);
    }
    expect((await history(bed, '?limit=2&offset=1')).map((e) => e.to)).toEqual(['cleaning', 'blocked']);
    expectProblem(await h.http.get(`/api/v1/wards/beds/${bed}/history?limit=1000`, { token: tokens.frontDesk }), 400);

    // Each change is an event with the category and tariff, so billing never calls back.
    const events = await outboxEvents(h, BedStateChanged, bed);
    expect(events.map((e) => `${e.data.from}>${e.data.to}`)).toEqual(['null>available', 'available>maintenance', 'maintenance>blocked', 'blocked>cleaning', 'cleaning>available']);
    for (const e of events) {
      expect(e.data).toMatchObject({ bedId: bed, bedCode: 'B1', wardCode: 'W1', categoryCode: 'ICU', isCriticalCare: true, dailyRatePaise: null, admissionId: null, patientId: null });
      expect(e.branchId).toBe(branch.id);
    }
    expect(events[1].actor).toMatchObject({ type: 'user', id: ids.manager, name: 'Ward Manager' });
    expect(events[4].actor.id).toBe(ids.housekeeper);
  });

  it('lets housekeeping mark a bed clean and nothing else', async () => {
    const { bedIds } = await setUpWard(h.http, tokens.manager, 'W2', 3);
    const [a, b, c] = bedIds;
    const [patient] = await feed.register(branch, 1);
    const admitted = await h.http.post('/api/v1/wards/admissions', admitBody(patient.id, a), { token: tokens.admissionDesk });
    await h.http.post(`/api/v1/wards/admissions/${admitted.body.id}/discharge`, { dischargeType: 'normal' }, { token: tokens.admissionDesk });
    expect(await bedState(a)).toBe('cleaning');

    for (const state of ['blocked', 'maintenance', 'reserved']) {
      const r = await setState(b, tokens.housekeeper, { state, patientId: patient.id });
      expectProblem(r, 403);
      expect(r.body.code).toBe('permission-missing');
    }
    expectProblem(await setState(a, tokens.housekeeper, { state: 'blocked' }), 403);
    await setState(c, tokens.manager, { state: 'maintenance' });
    const notCleaning = await clean(c, tokens.housekeeper);
    expectProblem(notCleaning, 403);
    expect(notCleaning.body.detail).toMatch(/wards:manage/);
    expect(await bedState(b)).toBe('available');
    expect(await bedState(c)).toBe('maintenance');

    const cleaned = await clean(a, tokens.housekeeper);
    expect(cleaned.status).toBe(200);
    expect(cleaned.body.state).toBe('available');
    expect((await history(a))[0]).toMatchObject({ from: 'cleaning', to: 'available', actorId: ids.housekeeper, reason: 'cleaned' });
    // Cleaning a clean bed changes nothing and records nothing.
    expect((await clean(a, tokens.housekeeper)).body.state).toBe('available');
    expect((await history(a)).filter((e) => e.reason === 'cleaned')).toHaveLength(1);
  });

  it('checks the permission each change needs: a front desk can only look, a ward manager cannot reserve, a nurse can clean', async () => {
    const { bedIds } = await setUpWard(h.http, tokens.manager, 'W3', 2);
    const [a, b] = bedIds;
    const [patient] = await feed.register(branch, 1);
    expectProblem(await setState(a, tokens.frontDesk, { state: 'blocked' }), 403);
    expectProblem(await setState(a, tokens.frontDesk, { state: 'reserved', patientId: patient.id }), 403);
    expectProblem(await clean(a, tokens.frontDesk), 403);
    expectProblem(await setState(a, tokens.manager, { state: 'reserved', patientId: patient.id }), 403);
    expectProblem(await setState(a, tokens.admissionDesk, { state: 'maintenance' }), 403);
    expect(await bedState(a)).toBe('available');
    expect(await history(a)).toHaveLength(1);

    expect((await setState(b, tokens.manager, { state: 'cleaning' })).status).toBe(409);
    await setState(b, tokens.manager, { state: 'blocked' });
    expect((await setState(b, tokens.manager, { state: 'cleaning' })).body.state).toBe('cleaning');
    expect((await clean(b, tokens.nurse)).body.state).toBe('available');
  });

  it('never changes an occupied bed by hand: only a transfer or a discharge empties it', async () => {
    const { bedIds } = await setUpWard(h.http, tokens.manager, 'W4', 1);
    const [patient] = await feed.register(branch, 1);
    const admitted = await h.http.post('/api/v1/wards/admissions', admitBody(patient.id, bedIds[0]), { token: tokens.admissionDesk });
    expect(admitted.status).toBe(201);
    for (const state of ['available', 'reserved', 'cleaning', 'maintenance', 'blocked']) {
      const r = await setState(bedIds[0], tokens.admin, { state, patientId: patient.id });
      expectProblem(r, 409);
      expect(r.body.code).toBe('bed-state-transition');
      expect(r.body.detail).toMatch(/occupied.*transfer or discharge/);
    }
    expectProblem(await clean(bedIds[0], tokens.admin), 409);
    expectProblem(await setState(bedIds[0], tokens.admin, { state: 'occupied' }), 400);
    const bed = await h.http.get(`/api/v1/wards/beds/${bedIds[0]}`, { token: tokens.frontDesk });
    expect(bed.body).toMatchObject({ state: 'occupied', admissionId: admitted.body.id });
    expect((await history(bedIds[0]))[0]).toMatchObject({ from: 'available', to: 'occupied', admissionId: admitted.body.id, actorId: ids.admissionDesk });
  });

  it('refuses changes the state machine does not allow with 409', async () => {
    const { bedIds } = await setUpWard(h.http, tokens.manager, 'W5', 1);
    const [patient] = await feed.register(branch, 1);
    await setState(bedIds[0], tokens.admissionDesk, { state: 'reserved', patientId: patient.id });
    const r = await setState(bedIds[0], tokens.admin, { state: 'cleaning' });
    expectProblem(r, 409);
    expect(r.body.detail).toMatch(/reserved to cleaning/);
    expect(await bedState(bedIds[0])).toBe('reserved');
  });
});

describe('reservations', () => {
  it('holds a bed for one patient: only that patient can be admitted to it', async () => {
    const { bedIds } = await setUpWard(h.http, tokens.manager, 'RSV', 1);
    const bed = bedIds[0];
    const [held, other] = await feed.register(branch, 2);

    const noPatient = await setState(bed, tokens.admissionDesk, { state: 'reserved' });
    expectProblem(noPatient, 400);
    expect(noPatient.body.errors ?? noPatient.body.detail).toBeTruthy();
    const unknown = await setState(bed, tokens.admissionDesk, { state: 'reserved', patientId: '01a20000-0000-7000-8000-0000000000dd' });
    expectProblem(unknown, 404);
    expect(unknown.body.code).toBe('patient-unknown');
    expect(await bedState(bed)).toBe('available');

    const reserved = await setState(bed, tokens.admissionDesk, { state: 'reserved', patientId: held.id, reason: 'elective surgery tomorrow' });
    expect(reserved.status).toBe(200);
    expect(reserved.body).toMatchObject({ state: 'reserved', reservedForPatientId: held.id });
    const board = await h.http.get('/api/v1/wards/bed-board', { token: tokens.frontDesk });
    const onBoard = board.body.wards.find((w: { code: string }) => w.code === 'RSV').beds[0];
    expect(onBoard).toMatchObject({ state: 'reserved', reservedForPatientId: held.id, admission: null });

    const taken = await h.http.post('/api/v1/wards/admissions', admitBody(other.id, bed), { token: tokens.admissionDesk });
    expectProblem(taken, 409);
    expect(taken.body.code).toBe('bed-reserved');
    expect(await bedState(bed)).toBe('reserved');

    const admitted = await h.http.post('/api/v1/wards/admissions', admitBody(held.id, bed), { token: tokens.admissionDesk });
    expect(admitted.status).toBe(201);
    const after = await h.http.get(`/api/v1/wards/beds/${bed}`, { token: tokens.frontDesk });
    expect(after.body).toMatchObject({ state: 'occupied', reservedForPatientId: null, admissionId: admitted.body.id });
    expect((await history(bed)).map((e) => `${e.from}>${e.to}`)).toEqual(['reserved>occupied', 'available>reserved', 'null>available']);
  });

  it('is released by the admission desk, and a merged-away patient cannot be held a bed', async () => {
    const { bedIds } = await setUpWard(h.http, tokens.manager, 'RSV2', 1);
    const [p, survivor, gone] = await feed.register(branch, 3);
    await setState(bedIds[0], tokens.admissionDesk, { state: 'reserved', patientId: p.id });
    const released = await setState(bedIds[0], tokens.admissionDesk, { state: 'available', reason: 'patient postponed' });
    expect(released.body).toMatchObject({ state: 'available', reservedForPatientId: null });

    await feed.merge(branch, gone, survivor);
    expectProblem(await setState(bedIds[0], tokens.admissionDesk, { state: 'reserved', patientId: gone.id }), 404);
    expect(await bedState(bedIds[0])).toBe('available');
  });

  it('does not quietly keep a bed held for someone else when it is reserved for another patient', async () => {
    const { bedIds } = await setUpWard(h.http, tokens.manager, 'RSV3', 1);
    const [first, second] = await feed.register(branch, 2);
    await setState(bedIds[0], tokens.admissionDesk, { state: 'reserved', patientId: first.id });
    const again = await setState(bedIds[0], tokens.admissionDesk, { state: 'reserved', patientId: second.id });
    expectProblem(again, 409);
    expect(again.body.code).toBe('bed-reserved');
    expect((await h.http.get(`/api/v1/wards/beds/${bedIds[0]}`, { token: tokens.frontDesk })).body.reservedForPatientId).toBe(first.id);
    // Reserving it again for the same patient is a harmless repeat.
    expect((await setState(bedIds[0], tokens.admissionDesk, { state: 'reserved', patientId: first.id })).status).toBe(200);
  });
});
