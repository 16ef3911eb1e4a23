import { BedStateChanged, PatientAdmitted } from '@hms/contracts-wards';
import { startServiceForTest, type ServiceHarness } from '@hms/platform-service-testing';
import { TestIdentity, expectProblem, type TestBranch } from '@hms/platform-testing';
import { wardsDefinition } from '../src/wards.definition';
import { PatientFeed, admitBody, indianToday, outboxEvents, setUpWard } from './support';

// Masters: bed categories with dated tariffs, wards, rooms and beds, and their retirement (WF-03).
// Above Jest's 5 s default, for a loaded 2-core CI machine; a real hang still fails.
jest.setTimeout(30_000);
let h: ServiceHarness;
let feed: PatientFeed;
let branch: TestBranch;
let admin: string;
let manager: string;
let desk: string;

interface Category {
  id: string;
  code: string;
  name: string;
  isCriticalCare: boolean;
  retired: boolean;
  currentDailyRatePaise: number | null;
  tariffs: { effectiveFrom: string; dailyRatePaise: number }[];
}

beforeAll(async () => {
  h = await startServiceForTest(wardsDefinition, __filename);
  feed = new PatientFeed(h);
  branch = TestIdentity.branch('MST');
  admin = await h.identity.token({ branches: [{ branch, role: 'admin' }] });
  manager = await h.identity.token({ branches: [{ branch, role: 'ward-manager' }] });
  desk = await h.identity.token({ branches: [{ branch, role: 'front-desk' }] });
});
afterAll(async () => {
  await feed?.close();
  await h?.stop();
});

const categories = async (): Promise<Category[]> => (await h.http.get('/api/v1/wards/bed-categories', { token: manager })).body.items;
const categoryByCode = async (code: string): Promise<Category> => {
  const found = (await categories()).find((c) => c.code === code);
  if (!found) throw new Error(`no category ${code}`);
  return found;
};
const count = async (table: string) => Number((await h.db.admin<{ n: string }>(`SELECT count(*) AS n FROM wards.${table}`))[0].n);

describe('bed categories', () => {
  it('creates the ten usual categories once, with isCriticalCare only on ICU, CCU, ICCU and NICU', async () => {
    expectProblem(await h.http.post('/api/v1/wards/bed-categories/defaults', undefined, { token: desk }), 403);
    const first = await h.http.post('/api/v1/wards/bed-categories/defaults', undefined, { token: manager });
    expect(first.status).toBe(200);
    const items = first.body.items as Category[];
    expect(items.map((c) => c.code).sort()).toEqual(['CCU', 'DAY_CARE', 'DELUXE', 'GENERAL', 'HDU', 'ICCU', 'ICU', 'NICU', 'PRIVATE', 'SEMI_PRIVATE']);
    expect(items.filter((c) => c.isCriticalCare).map((c) => c.code).sort()).toEqual(['CCU', 'ICCU', 'ICU', 'NICU']);
    expect(items.find((c) => c.code === 'GENERAL')).toMatchObject({ name: 'General ward', retired: false, currentDailyRatePaise: null, tariffs: [] });

    const again = await h.http.post('/api/v1/wards/bed-categories/defaults', undefined, { token: manager });
    expect(again.body.items).toHaveLength(10);
    expect((again.body.items as Category[]).map((c) => c.id).sort()).toEqual(items.map((c) => c.id).sort());
    expect(await categories()).toHaveLength(10);
  });

  it('adds a category of the branch’s own and refuses a duplicate code with 409', async () => {
    const suite = await h.http.post('/api/v1/wards/bed-categories', { code: 'SUITE', name: 'Suite', isCriticalCare: false }, { token: manager });
    expect(suite.status).toBe(201);
    expect(suite.body).toMatchObject({ code: 'SUITE', isCriticalCare: false, retired: false, tariffs: [] });
    const dup = await h.http.post('/api/v1/wards/bed-categories', { code: 'SUITE', name: 'Another suite', isCriticalCare: true }, { token: manager });
    expectProblem(dup, 409);
    expect(dup.body.code).toBe('already-exists');
    expectProblem(await h.http.post('/api/v1/wards/bed-categories', { code: 'ICU', name: 'ICU again', isCriticalCare: true }, { token: manager }), 409);
    expectProblem(await h.http.post('/api/v1/wards/bed-categories', { code: 'icu2', name: 'lower case', isCriticalCare: true }, { token: manager }), 400);
    expectProblem(await h.http.post('/api/v1/wards/bed-categories', { code: 'PICU', name: 'Paediatric ICU' }, { token: manager }), 400);
  });

  it('versions the per-day tariff by effective date: a future tariff leaves today’s alone, older versions stay', async () => {
    await h.http.post('/api/v1/wards/bed-categories/defaults', undefined, { token: manager });
    const deluxe = await categoryByCode('DELUXE');
    const add = (effectiveFrom: string, dailyRatePaise: number, token = manager) =>
      h.http.post(`/api/v1/wards/bed-categories/${deluxe.id}/tariffs`, { effectiveFrom, dailyRatePaise }, { token });

    const past = await add('2024-04-01', 450_000);
    expect(past.status).toBe(201);
    expect(past.body.currentDailyRatePaise).toBe(450_000);

    const future = await add('2099-04-01', 900_000);
    expect(future.status).toBe(201);
    expect(future.body.currentDailyRatePaise).toBe(450_000);
    expect(future.body.tariffs).toEqual([
      { effectiveFrom: '2024-04-01', dailyRatePaise: 450_000 },
      { effectiveFrom: '2099-04-01', dailyRatePaise: 900_000 },
    ]);

    const today = await add(indianToday(), 600_000);
    expect(today.body.currentDailyRatePaise).toBe(600_000);
    expect(today.body.tariffs).toHaveLength(3);
    expect((await categoryByCode('DELUXE')).currentDailyRatePaise).toBe(600_000);

    const dup = await add('2024-04-01', 1);
    expectProblem(dup, 409);
    expect(dup.body.detail).toMatch(/2024-04-01/);
    expectProblem(await add('2026-02-30', 1000), 400);
    expectProblem(await add('01-04-2026', 1000), 400);
    expectProblem(await add('2026-05-01', -1), 400);
    expectProblem(await add('2026-05-01', 10.5), 400);
    expectProblem(await add('2026-05-01', 1000, desk), 403);
    expectProblem(await h.http.post('/api/v1/wards/bed-categories/01a20000-0000-7000-8000-0000000000aa/tariffs', { effectiveFrom: '2026-05-01', dailyRatePaise: 1 }, { token: manager }), 404);
    expect((await categoryByCode('DELUXE')).tariffs).toHaveLength(3);
  });

  it('puts the tariff in force (not a future one) on the admission’s bed stay and in the events', async () => {
    const { bedIds, category } = await setUpWard(h.http, manager, 'TAR', 1, { categoryCode: 'PRIVATE' });
    await h.http.post(`/api/v1/wards/bed-categories/${category.id}/tariffs`, { effectiveFrom: '2025-04-01', dailyRatePaise: 550_000 }, { token: manager });
    await h.http.post(`/api/v1/wards/bed-categories/${category.id}/tariffs`, { effectiveFrom: '2099-01-01', dailyRatePaise: 990_000 }, { token: manager });
    const [patient] = await feed.register(branch, 1);
    const admitted = await h.http.post('/api/v1/wards/admissions', admitBody(patient.id, bedIds[0]), { token: admin });
    expect(admitted.status).toBe(201);
    expect(admitted.body.stays).toEqual([
      expect.objectContaining({ bedId: bedIds[0], categoryCode: 'PRIVATE', isCriticalCare: false, dailyRatePaise: 550_000, to: null }),
    ]);
    const [event] = await outboxEvents(h, PatientAdmitted, admitted.body.id);
    expect(event.data.bed).toMatchObject({ bedId: bedIds[0], categoryCode: 'PRIVATE', isCriticalCare: false, dailyRatePaise: 550_000, wardCode: 'TAR' });
    const occupied = (await outboxEvents(h, BedStateChanged, bedIds[0])).find((e) => e.data.to === 'occupied');
    expect(occupied?.data).toMatchObject({ categoryCode: 'PRIVATE', isCriticalCare: false, dailyRatePaise: 550_000, patientId: patient.id, admissionId: admitted.body.id });
  });

  it('retires an unused category but not one with beds in service', async () => {
    const suite = await categoryByCode('SUITE');
    const ward = await h.http.post('/api/v1/wards/wards', { code: 'CATW', name: 'Category ward', genderPolicy: 'mixed' }, { token: manager });
    const bed = await h.http.post('/api/v1/wards/beds', { wardId: ward.body.id, code: 'S1', categoryId: suite.id }, { token: manager });
    expect(bed.status).toBe(201);
    const inUse = await h.http.post(`/api/v1/wards/bed-categories/${suite.id}/retire`, undefined, { token: manager });
    expectProblem(inUse, 409);
    expect(inUse.body.code).toBe('category-in-use');
    expect((await h.http.post(`/api/v1/wards/beds/${bed.body.id}/retire`, undefined, { token: manager })).status).toBe(200);
    const retired = await h.http.post(`/api/v1/wards/bed-categories/${suite.id}/retire`, undefined, { token: manager });
    expect(retired.status).toBe(200);
    expect(retired.body.retired).toBe(true);
    // A retired category takes no new beds and no new tariffs.
    expectProblem(await h.http.post('/api/v1/wards/beds', { wardId: ward.body.id, code: 'S2', categoryId: suite.id }, { token: manager }), 404);
    expectProblem(await h.http.post(`/api/v1/wards/bed-categories/${suite.id}/tariffs`, { effectiveFrom: '2026-01-01', dailyRatePaise: 1 }, { token: manager }), 404);
  });
});

describe('wards, rooms and beds', () => {
  it('creates them, refuses duplicate codes with 409 and a room of another ward with 404', async () => {
    await h.http.post('/api/v1/wards/bed-categories/defaults', undefined, { token: manager });
    const general = await categoryByCode('GENERAL');
    const w1 = await h.http.post('/api/v1/wards/wards', { code: 'M1', name: 'Medical 1', floor: '3', genderPolicy: 'female', speciality: 'General medicine' }, { token: manager });
    expect(w1.status).toBe(201);
    expect(w1.body).toMatchObject({ code: 'M1', name: 'Medical 1', floor: '3', genderPolicy: 'female', speciality: 'General medicine', retired: false });
    const w2 = await h.http.post('/api/v1/wards/wards', { code: 'M2', name: 'Medical 2', genderPolicy: 'male' }, { token: manager });
    const dupWard = await h.http.post('/api/v1/wards/wards', { code: 'M1', name: 'Other', genderPolicy: 'mixed' }, { token: manager });
    expectProblem(dupWard, 409);
    expect(dupWard.body.code).toBe('already-exists');
    expectProblem(await h.http.post('/api/v1/wards/wards', { code: 'M3', name: 'No policy' }, { token: manager }), 400);
    expectProblem(await h.http.post('/api/v1/wards/wards', { code: 'M3', name: 'Desk', genderPolicy: 'mixed' }, { token: desk }), 403);

    const patched = await h.http.patch(`/api/v1/wards/wards/${w1.body.id}`, { name: 'Medical One', genderPolicy: 'mixed' }, { token: manager });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ code: 'M1', name: 'Medical One', floor: '3', genderPolicy: 'mixed' });

    const r1 = await h.http.post(`/api/v1/wards/wards/${w1.body.id}/rooms`, { code: 'R301' }, { token: manager });
    expect(r1.status).toBe(201);
    expectProblem(await h.http.post(`/api/v1/wards/wards/${w1.body.id}/rooms`, { code: 'R301' }, { token: manager }), 409);
    const r2 = await h.http.post(`/api/v1/wards/wards/${w2.body.id}/rooms`, { code: 'R301' }, { token: manager });
    expect(r2.status).toBe(201);

    const b1 = await h.http.post('/api/v1/wards/beds', { wardId: w1.body.id, roomId: r1.body.id, code: 'B1', categoryId: general.id }, { token: manager });
    expect(b1.status).toBe(201);
    expect(b1.body).toMatchObject({ wardId: w1.body.id, roomId: r1.body.id, code: 'B1', state: 'available' });
    const dupBed = await h.http.post('/api/v1/wards/beds', { wardId: w1.body.id, code: 'B1', categoryId: general.id }, { token: manager });
    expectProblem(dupBed, 409);
    expect(dupBed.body.code).toBe('already-exists');
    // The same bed code in another ward is a different bed.
    expect((await h.http.post('/api/v1/wards/beds', { wardId: w2.body.id, code: 'B1', categoryId: general.id }, { token: manager })).status).toBe(201);
    const wrongRoom = await h.http.post('/api/v1/wards/beds', { wardId: w1.body.id, roomId: r2.body.id, code: 'B9', categoryId: general.id }, { token: manager });
    expectProblem(wrongRoom, 404);
    expect(wrongRoom.body.code).toBe('room-not-found');
    expectProblem(await h.http.post('/api/v1/wards/beds', { wardId: w1.body.id, code: 'B9', categoryId: '01a20000-0000-7000-8000-0000000000bb' }, { token: manager }), 404);
    expectProblem(await h.http.post('/api/v1/wards/beds', { wardId: '01a20000-0000-7000-8000-0000000000bb', code: 'B9', categoryId: general.id }, { token: manager }), 404);

    const bed = await h.http.get(`/api/v1/wards/beds/${b1.body.id}`, { token: desk });
    expect(bed.body).toMatchObject({ code: 'B1', wardCode: 'M1', roomCode: 'R301', categoryCode: 'GENERAL', isCriticalCare: false, state: 'available', retired: false });
    const list = await h.http.get('/api/v1/wards/wards', { token: desk });
    expect(list.body.items.find((w: { code: string }) => w.code === 'M1')).toMatchObject({ name: 'Medical One', beds: 1 });
    const created = await outboxEvents(h, BedStateChanged, b1.body.id);
    expect(created.map((e) => [e.data.from, e.data.to, e.data.reason])).toEqual([[null, 'available', 'bed created']]);
  });

  it('refuses to retire an occupied or reserved bed, or the room or ward holding it, with 409', async () => {
    const { ward, bedIds } = await setUpWard(h.http, admin, 'RET', 3);
    const room = await h.http.post(`/api/v1/wards/wards/${ward.id}/rooms`, { code: 'R1' }, { token: admin });
    const general = await categoryByCode('GENERAL');
    const roomBed = await h.http.post('/api/v1/wards/beds', { wardId: ward.id, roomId: room.body.id, code: 'RB1', categoryId: general.id }, { token: admin });
    const [patient, waiting] = await feed.register(branch, 2);
    const admitted = await h.http.post('/api/v1/wards/admissions', admitBody(patient.id, roomBed.body.id), { token: admin });
    expect(admitted.status).toBe(201);
    const reserved = await h.http.put(`/api/v1/wards/beds/${bedIds[0]}/state`, { state: 'reserved', patientId: waiting.id }, { token: admin });
    expect(reserved.body.state).toBe('reserved');
    const before = await count('bed_state_history');

    const occupiedBed = await h.http.post(`/api/v1/wards/beds/${roomBed.body.id}/retire`, undefined, { token: admin });
    expectProblem(occupiedBed, 409);
    expect(occupiedBed.body.code).toBe('bed-in-use');
    const reservedBed = await h.http.post(`/api/v1/wards/beds/${bedIds[0]}/retire`, undefined, { token: admin });
    expectProblem(reservedBed, 409);
    expect(reservedBed.body.detail).toMatch(/reserved/);
    const busyRoom = await h.http.post(`/api/v1/wards/rooms/${room.body.id}/retire`, undefined, { token: admin });
    expectProblem(busyRoom, 409);
    expect(busyRoom.body.code).toBe('room-in-use');
    const busyWard = await h.http.post(`/api/v1/wards/wards/${ward.id}/retire`, undefined, { token: admin });
    expectProblem(busyWard, 409);
    expect(busyWard.body.code).toBe('ward-in-use');
    expect(busyWard.body.detail).toMatch(/B1 \(reserved\).*RB1 \(occupied\)/);
    expect(await count('bed_state_history')).toBe(before);
    const stillThere = await h.db.admin<{ n: string }>('SELECT count(*) AS n FROM wards.beds WHERE ward_id = $1 AND retired_at IS NULL', [ward.id]);
    expect(stillThere[0].n).toBe('4');

    // Once the patient leaves and the reservation is released, everything can go.
    await h.http.post(`/api/v1/wards/admissions/${admitted.body.id}/discharge`, { dischargeType: 'normal' }, { token: admin });
    expect((await h.http.post(`/api/v1/wards/rooms/${room.body.id}/retire`, undefined, { token: admin })).body).toMatchObject({ retired: true });
    expect((await h.http.get(`/api/v1/wards/beds/${roomBed.body.id}`, { token: admin })).body.retired).toBe(true);
    await h.http.put(`/api/v1/wards/beds/${bedIds[0]}/state`, { state: 'available' }, { token: admin });
    await h.http.put(`/api/v1/wards/beds/${bedIds[1]}/state`, { state: 'maintenance', reason: 'broken rail' }, { token: admin });
    const retiredWard = await h.http.post(`/api/v1/wards/wards/${ward.id}/retire`, undefined, { token: admin });
    expect(retiredWard.status).toBe(200);
    expect(retiredWard.body.retired).toBe(true);
    const left = await h.db.admin<{ n: string }>('SELECT count(*) AS n FROM wards.beds WHERE ward_id = $1 AND retired_at IS NULL', [ward.id]);
    expect(left[0].n).toBe('0');
    const history = await h.http.get(`/api/v1/wards/beds/${bedIds[1]}/history`, { token: admin });
    expect(history.body.items[0]).toMatchObject({ from: 'maintenance', to: 'maintenance', reason: 'bed retired' });

    // A retired ward is hidden from the list unless asked for, takes no beds, and its beds take no patients.
    expect((await h.http.get('/api/v1/wards/wards', { token: admin })).body.items.map((w: { code: string }) => w.code)).not.toContain('RET');
    expect((await h.http.get('/api/v1/wards/wards?includeRetired=true', { token: admin })).body.items.map((w: { code: string }) => w.code)).toContain('RET');
    expectProblem(await h.http.post('/api/v1/wards/beds', { wardId: ward.id, code: 'B9', categoryId: general.id }, { token: admin }), 404);
    expectProblem(await h.http.post(`/api/v1/wards/wards/${ward.id}/rooms`, { code: 'R9' }, { token: admin }), 404);
    const [late] = await feed.register(branch, 1);
    const refused = await h.http.post('/api/v1/wards/admissions', admitBody(late.id, bedIds[2]), { token: admin });
    // Was 404 bed-not-found: a retired bed exists, so issue 7 item 14 makes it 409 bed-retired.
    expectProblem(refused, 409);
    expect(refused.body.code).toBe('bed-retired');
    const board = await h.http.get('/api/v1/wards/bed-board', { token: admin });
    expect(board.body.wards.map((w: { code: string }) => w.code)).not.toContain('RET');
  });

  it('retires a free bed once (again is harmless) and refuses unknown ids with 404', async () => {
    const { bedIds } = await setUpWard(h.http, manager, 'ONE', 1);
    const first = await h.http.post(`/api/v1/wards/beds/${bedIds[0]}/retire`, undefined, { token: manager });
    expect(first.body).toMatchObject({ code: 'B1', retired: true });
    expect((await h.http.post(`/api/v1/wards/beds/${bedIds[0]}/retire`, undefined, { token: manager })).status).toBe(200);
    const history = await h.http.get(`/api/v1/wards/beds/${bedIds[0]}/history`, { token: manager });
    expect(history.body.items.filter((e: { reason: string }) => e.reason === 'bed retired')).toHaveLength(1);
    expectProblem(await h.http.put(`/api/v1/wards/beds/${bedIds[0]}/state`, { state: 'blocked' }, { token: manager }), 404);
    const unknown = '01a20000-0000-7000-8000-0000000000cc';
    expectProblem(await h.http.post(`/api/v1/wards/beds/${unknown}/retire`, undefined, { token: manager }), 404);
    expectProblem(await h.http.post(`/api/v1/wards/rooms/${unknown}/retire`, undefined, { token: manager }), 404);
    expectProblem(await h.http.post(`/api/v1/wards/wards/${unknown}/retire`, undefined, { token: manager }), 404);
    expectProblem(await h.http.patch(`/api/v1/wards/wards/${unknown}`, { name: 'X' }, { token: manager }), 404);
  });
});

describe('rooms and wards, read one at a time and by page', () => {
  it('gets one ward (retired ones too) and 404 for an unknown one or another branch’s', async () => {
    const { ward } = await setUpWard(h.http, manager, 'GW1', 2);
    const got = await h.http.get(`/api/v1/wards/wards/${ward.id}`, { token: desk });
    expect(got.status).toBe(200);
    expect(got.body).toEqual({ id: ward.id, code: 'GW1', name: 'Ward GW1', floor: null, genderPolicy: 'mixed', speciality: null, retired: false, beds: 2 });
    expect((await h.http.post(`/api/v1/wards/wards/${ward.id}/retire`, undefined, { token: manager })).status).toBe(200);
    expect((await h.http.get(`/api/v1/wards/wards/${ward.id}`, { token: desk })).body).toMatchObject({ retired: true, beds: 0 });
    const unknown = await h.http.get('/api/v1/wards/wards/01a20000-0000-7000-8000-0000000000d1', { token: desk });
    expectProblem(unknown, 404);
    expect(unknown.body.code).toBe('ward-not-found');
    expectProblem(await h.http.get('/api/v1/wards/wards/not-a-ward', { token: desk }), 400);
    const elsewhere = await h.identity.token({ branches: [{ branch: TestIdentity.branch('MST2'), role: 'admin' }] });
    expectProblem(await h.http.get(`/api/v1/wards/wards/${ward.id}`, { token: elsewhere }), 404);
    const noRole = await h.identity.token({ branches: [{ branch, role: 'auditor' }] });
    expectProblem(await h.http.get(`/api/v1/wards/wards/${ward.id}`, { token: noRole }), 403);
  });

  it('lists a ward’s rooms by code in pages of the platform’s shape, retired ones only when asked for, and gets one room', async () => {
    const { ward, category } = await setUpWard(h.http, manager, 'RW1', 0);
    const rooms: Record<string, string> = {};
    for (const code of ['R3', 'R1', 'R2', 'R4']) rooms[code] = (await h.http.post(`/api/v1/wards/wards/${ward.id}/rooms`, { code }, { token: manager })).body.id;
    await h.http.post('/api/v1/wards/beds', { wardId: ward.id, roomId: rooms.R1, code: 'B1', categoryId: category.id }, { token: manager });
    await h.http.post('/api/v1/wards/beds', { wardId: ward.id, roomId: rooms.R1, code: 'B2', categoryId: category.id }, { token: manager });
    expect((await h.http.post(`/api/v1/wards/rooms/${rooms.R4}/retire`, undefined, { token: manager })).status).toBe(200);
    const list = (query = '') => h.http.get(`/api/v1/wards/wards/${ward.id}/rooms${query}`, { token: desk });

    const first = await list('?limit=2');
    expect(first.status).toBe(200);
    expect(first.body).toEqual({
      items: [
        { id: rooms.R1, wardId: ward.id, code: 'R1', retired: false, beds: 2 },
        { id: rooms.R2, wardId: ward.id, code: 'R2', retired: false, beds: 0 },
      ],
      limit: 2,
      offset: 0,
      nextOffset: 2,
    });
    const second = await list('?limit=2&offset=2');
    expect(second.body).toMatchObject({ items: [{ code: 'R3' }], limit: 2, offset: 2, nextOffset: null });
    expect((await list()).body).toMatchObject({ limit: 20, offset: 0, nextOffset: null });
    expect((await list()).body.items.map((r: { code: string }) => r.code)).toEqual(['R1', 'R2', 'R3']);
    expect((await list('?includeRetired=true')).body.items.map((r: { code: string; retired: boolean }) => [r.code, r.retired])).toEqual([
      ['R1', false],
      ['R2', false],
      ['R3', false],
      ['R4', true],
    ]);
    for (const bad of ['?limit=0', '?limit=101', '?offset=-1', '?limit=ten', '?includeRetired=yes', '?sort=code']) expectProblem(await list(bad), 400);
    const notFound = await h.http.get('/api/v1/wards/wards/01a20000-0000-7000-8000-0000000000d2/rooms', { token: desk });
    expectProblem(notFound, 404);
    expect(notFound.body.code).toBe('ward-not-found');

    const room = await h.http.get(`/api/v1/wards/rooms/${rooms.R1}`, { token: desk });
    expect(room.body).toEqual({ id: rooms.R1, wardId: ward.id, code: 'R1', retired: false, beds: 2 });
    expect((await h.http.get(`/api/v1/wards/rooms/${rooms.R4}`, { token: desk })).body).toMatchObject({ code: 'R4', retired: true });
    const missing = await h.http.get('/api/v1/wards/rooms/01a20000-0000-7000-8000-0000000000d3', { token: desk });
    expectProblem(missing, 404);
    expect(missing.body.code).toBe('room-not-found');
    const elsewhere = await h.identity.token({ branches: [{ branch: TestIdentity.branch('MST3'), role: 'admin' }] });
    expectProblem(await h.http.get(`/api/v1/wards/rooms/${rooms.R1}`, { token: elsewhere }), 404);
    expectProblem(await h.http.get(`/api/v1/wards/wards/${ward.id}/rooms`, { token: elsewhere }), 404);
  });

  it('says which beds retiring a room retired, and each bed’s history records it', async () => {
    const { ward, category } = await setUpWard(h.http, manager, 'RRET', 1);
    const room = (await h.http.post(`/api/v1/wards/wards/${ward.id}/rooms`, { code: 'R1' }, { token: manager })).body.id as string;
    const bed = async (code: string) => (await h.http.post('/api/v1/wards/beds', { wardId: ward.id, roomId: room, code, categoryId: category.id }, { token: manager })).body.id as string;
    const [b1, b2, b3] = [await bed('RB1'), await bed('RB2'), await bed('RB3')];
    await h.http.put(`/api/v1/wards/beds/${b2}/state`, { state: 'maintenance', reason: 'broken rail' }, { token: manager });
    expect((await h.http.post(`/api/v1/wards/beds/${b3}/retire`, undefined, { token: manager })).status).toBe(200);

    const retired = await h.http.post(`/api/v1/wards/rooms/${room}/retire`, undefined, { token: manager });
    expect(retired.status).toBe(200);
    expect(retired.body).toEqual({
      id: room,
      wardId: ward.id,
      code: 'R1',
      retired: true,
      beds: 0,
      // RB3 was retired before, on its own: this retirement did not retire it.
      retiredBeds: [
        { id: b1, code: 'RB1', state: 'available' },
        { id: b2, code: 'RB2', state: 'maintenance' },
      ],
    });
    for (const [id, state] of [
      [b1, 'available'],
      [b2, 'maintenance'],
    ]) {
      const history = await h.http.get(`/api/v1/wards/beds/${id}/history`, { token: manager });
      expect(history.body.items[0]).toMatchObject({ from: state, to: state, reason: 'bed retired' });
    }
    // Again is harmless and retires nothing more; the ward's bed outside the room stays in service.
    expect((await h.http.post(`/api/v1/wards/rooms/${room}/retire`, undefined, { token: manager })).body.retiredBeds).toEqual([]);
    expect((await h.http.get(`/api/v1/wards/wards/${ward.id}`, { token: manager })).body.beds).toBe(1);
    // Retiring the ward lists the bed it retired too.
    expect((await h.http.post(`/api/v1/wards/wards/${ward.id}/retire`, undefined, { token: manager })).body.retiredBeds.map((b: { code: string }) => b.code)).toEqual(['B1']);
  });
});

describe('the OpenAPI document', () => {
  it('documents getting a ward, listing and getting rooms and retiring a room: parameters, response and problem responses', async () => {
    const doc = (await h.http.get('/openapi.json')).body;
    const op = (path: string, method: string) => doc.paths[path]?.[method];
    const schema = (name: string) => doc.components.schemas[name];
    const problems = (o: { responses: Record<string, { content?: Record<string, { schema: { $ref: string } }> }> }) =>
      Object.entries(o.responses)
        .filter(([, r]) => r.content?.['application/problem+json']?.schema.$ref === '#/components/schemas/Problem')
        .map(([status]) => status);

    const ward = op('/api/v1/wards/wards/{id}', 'get');
    expect(ward.responses['200'].content['application/json'].schema.$ref).toBe('#/components/schemas/WardResponse');
    expect(problems(ward)).toEqual(['400', '401', '403', '404', '503']);
    expect(Object.keys(schema('WardResponse').properties).sort()).toEqual(['beds', 'code', 'floor', 'genderPolicy', 'id', 'name', 'retired', 'speciality']);

    const rooms = op('/api/v1/wards/wards/{id}/rooms', 'get');
    expect(rooms.responses['200'].content['application/json'].schema.$ref).toBe('#/components/schemas/WardRoomResponsePage');
    expect(Object.keys(schema('WardRoomResponsePage').properties).sort()).toEqual(['items', 'limit', 'nextOffset', 'offset']);
    const params = Object.fromEntries(rooms.parameters.map((p: { name: string; in: string; required: boolean; schema: { type: string } }) => [p.name, p]));
    expect(params.limit).toMatchObject({ in: 'query', required: false, schema: { type: 'integer' } });
    expect(params.offset).toMatchObject({ in: 'query', required: false, schema: { type: 'integer' } });
    expect(params.includeRetired).toMatchObject({ in: 'query', required: false });
    expect(problems(rooms)).toEqual(['400', '401', '403', '404', '503']);

    const room = op('/api/v1/wards/rooms/{id}', 'get');
    expect(room.responses['200'].content['application/json'].schema.$ref).toBe('#/components/schemas/WardRoomResponse');
    expect(problems(room)).toEqual(['400', '401', '403', '404', '503']);

    const retire = op('/api/v1/wards/rooms/{id}/retire', 'post');
    expect(retire.responses['200'].content['application/json'].schema.$ref).toBe('#/components/schemas/WardRoomRetiredResponse');
    expect(problems(retire)).toContain('409');
    expect(Object.keys(schema('Problem').properties)).toEqual(expect.arrayContaining(['type', 'title', 'status', 'detail', 'code', 'errors']));
    expect(schema('AdmitDto').properties.genderPolicyOverride).toBeDefined();
  });
});

describe('names and dates the wards refuse', () => {
  it.each([
    ['a ward name of only spaces', 'POST', '/api/v1/wards/wards', { code: 'BLANK1', name: '   ', genderPolicy: 'mixed' }, 'name'],
    ['a ward name of tabs and a no-break space', 'POST', '/api/v1/wards/wards', { code: 'BLANK2', name: '\t\u00a0\t', genderPolicy: 'mixed' }, 'name'],
    ['a blank speciality', 'POST', '/api/v1/wards/wards', { code: 'BLANK3', name: 'Ward', genderPolicy: 'mixed', speciality: ' ' }, 'speciality'],
    ['a blank floor', 'POST', '/api/v1/wards/wards', { code: 'BLANK4', name: 'Ward', genderPolicy: 'mixed', floor: '  ' }, 'floor'],
    ['a category name of only spaces', 'POST', '/api/v1/wards/bed-categories', { code: 'BLANKCAT', name: '    ', isCriticalCare: false }, 'name'],
  ])('refuses %s with 400 naming the field, writing nothing', async (_label, method, path, body, field) => {
    const before = { wards: await count('wards'), categories: await count('bed_categories') };
    const r = await h.http.send(method, path, body, { token: manager });
    expectProblem(r, 400);
    expect(r.body.errors).toEqual([expect.objectContaining({ field, message: expect.stringMatching(/empty or only spaces/) })]);
    expect({ wards: await count('wards'), categories: await count('bed_categories') }).toEqual(before);
  });

  it('refuses renaming a ward to only spaces, naming the field, and keeps its name', async () => {
    const { ward } = await setUpWard(h.http, manager, 'REN', 0);
    const r = await h.http.patch(`/api/v1/wards/wards/${ward.id}`, { name: ' \n ' }, { token: manager });
    expectProblem(r, 400);
    expect(r.body.errors.map((e: { field: string }) => e.field)).toEqual(['name']);
    expect((await h.http.get(`/api/v1/wards/wards/${ward.id}`, { token: manager })).body.name).toBe('Ward REN');
  });

  it.each([
    ['the year 0', '0000-01-01'],
    ['a year before 1900', '1899-12-31'],
    ['a year after 2199', '2200-01-01'],
    ['30 February', '2026-02-30'],
    ['a five-digit year', '10000-01-01'],
  ])('refuses a tariff from %s with 400 naming effectiveFrom, writing nothing', async (_label, effectiveFrom) => {
    await h.http.post('/api/v1/wards/bed-categories/defaults', undefined, { token: manager });
    const hdu = await categoryByCode('HDU');
    const before = await count('category_tariffs');
    const r = await h.http.post(`/api/v1/wards/bed-categories/${hdu.id}/tariffs`, { effectiveFrom, dailyRatePaise: 100_000 }, { token: manager });
    expectProblem(r, 400);
    expect(r.body.errors).toEqual([expect.objectContaining({ field: 'effectiveFrom' })]);
    expect(await count('category_tariffs')).toBe(before);
  });
});
