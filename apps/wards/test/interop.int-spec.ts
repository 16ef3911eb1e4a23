import { Message } from 'node-hl7-client';
import { BranchCreated } from '@hms/contracts-gateway';
import { createEnvelope, PostgresTransport } from '@hms/platform-messaging';
import { startServiceForTest, type ServiceHarness } from '@hms/platform-service-testing';
import { TestIdentity, eventually, expectProblem, type TestBranch } from '@hms/platform-testing';
import { Pool } from 'pg';
import { wardsDefinition } from '../src/wards.definition';
import { PatientFeed } from './support';

// Above Jest's 5 s default, for a loaded 2-core CI machine; a real hang still fails.
jest.setTimeout(30_000);

let h: ServiceHarness;
let feed: PatientFeed;
let pool: Pool;
let bus: PostgresTransport;
let branch: TestBranch;
let admin: string;
let nurse: string;
/** An interface engine (LIS, PACS) with the integration role: the feed's only reader besides administrators. */
let integration: string;

interface FeedItem {
  seq: number;
  controlId: string;
  triggerEvent: string;
  messageType: string;
  admissionId: string;
  patientId: string;
  message: string;
}

beforeAll(async () => {
  h = await startServiceForTest(wardsDefinition, __filename);
  feed = new PatientFeed(h);
  pool = new Pool({ connectionString: h.db.url, max: 2 });
  bus = new PostgresTransport({ pool, connectionString: h.db.url });
  branch = TestIdentity.branch('KOL');
  admin = await h.identity.token({ branches: [{ branch, role: 'admin' }] });
  nurse = await h.identity.token({ branches: [{ branch, role: 'nurse' }] });
  integration = await h.identity.token({ branches: [{ branch, role: 'integration' }] });
  // The gateway announces the branch; the wards service learns its code from that event.
  await bus.publish([
    {
      topic: BranchCreated.topic,
      envelope: createEnvelope(
        BranchCreated,
        { branchId: branch.id, code: branch.code, name: 'Kolkata General', active: true },
        { key: branch.id, branchId: branch.id, actor: { type: 'system', id: 'test' }, source: 'gateway' },
      ),
    },
  ]);
  await eventually(
    async () => {
      const rows = await h.db.admin('SELECT 1 FROM wards.branches WHERE branch_id = $1', [branch.id]);
      if (rows.length !== 1) throw new Error('branch not known yet');
    },
    { what: 'the wards service to learn the branch' },
  );
});
afterAll(async () => {
  await bus?.close();
  await pool?.end();
  await feed?.close();
  await h?.stop();
});

async function setUpWard(code: string) {
  const categories = (await h.http.post('/api/v1/wards/bed-categories/defaults', undefined, { token: admin })).body.items as { id: string; code: string }[];
  const general = categories.find((c) => c.code === 'GENERAL')!;
  const ward = (await h.http.post('/api/v1/wards/wards', { code, name: `Ward ${code}`, genderPolicy: 'mixed' }, { token: admin })).body;
  const room = (await h.http.post(`/api/v1/wards/wards/${ward.id}/rooms`, { code: 'R1' }, { token: admin })).body;
  const bed = async (bedCode: string, roomId?: string) => {
    const r = await h.http.post('/api/v1/wards/beds', { wardId: ward.id, code: bedCode, categoryId: general.id, ...(roomId ? { roomId } : {}) }, { token: admin });
    expect(r.status).toBe(201);
    return r.body.id as string;
  };
  return { ward, beds: [await bed('B1', room.id), await bed('B2'), await bed('B3')] };
}

const parse = (item: FeedItem) => new Message({ text: item.message });
const f = (m: Message, path: string) => m.get(path).toString();

async function pending(subscriptionId: string, limit?: number): Promise<{ items: FeedItem[]; hasMore: boolean; subscription: { acknowledgedSeq: number } }> {
  const r = await h.http.get(`/api/v1/wards/hl7/subscriptions/${subscriptionId}/messages${limit ? `?limit=${limit}` : ''}`, { token: integration });
  expect(r.status).toBe(200);
  return r.body;
}

describe('the HL7 v2 ADT feed and FHIR views of one stay', () => {
  let subscriptionId: string;
  let admissionId: string;
  let patient: { id: string; uhid: string; name: string };
  let beds: string[];
  let wardId: string;
  let items: FeedItem[];

  it('admits, transfers and discharges, and a subscription reads A01, A02, A03 in order', async () => {
    const created = await h.http.post('/api/v1/wards/hl7/subscriptions', { name: 'lis-adt' }, { token: admin });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'lis-adt', acknowledgedSeq: 0 });
    subscriptionId = created.body.id;

    const setUp = await setUpWard('MED1');
    beds = setUp.beds;
    wardId = setUp.ward.id;
    [patient] = await feed.register(branch, 1, 'M');
    const admitted = await h.http.post(
      '/api/v1/wards/admissions',
      {
        patientId: patient.id,
        bedId: beds[0],
        admittingDoctor: { id: 'D-7', name: 'Dr. S. Banerjee & Team' },
        department: 'General medicine',
        reason: 'Fever | chills ^ 5 days',
        admissionType: 'emergency',
        expectedStayDays: 3,
      },
      { token: admin },
    );
    expect(admitted.status).toBe(201);
    admissionId = admitted.body.id;

    const encounterNow = await h.http.get(`/api/v1/wards/admissions/${admissionId}/fhir`, { token: nurse });
    expect(encounterNow.status).toBe(200);
    expect(encounterNow.headers.get('content-type')).toMatch(/^application\/fhir\+json/);
    expect(encounterNow.body).toMatchObject({ resourceType: 'Encounter', status: 'in-progress', location: [{ status: 'active' }] });

    expect((await h.http.post(`/api/v1/wards/admissions/${admissionId}/transfer`, { fromBedId: beds[0], toBedId: beds[1] }, { token: admin })).status).toBe(200);
    const discharged = await h.http.post(`/api/v1/wards/admissions/${admissionId}/discharge`, { dischargeType: 'referred' }, { token: admin });
    expect(discharged.status).toBe(200);

    items = await eventually(
      async () => {
        const page = await pending(subscriptionId);
        if (page.items.length < 3) throw new Error(`${page.items.length} of 3 messages in the feed`);
        return page.items;
      },
      { what: 'the three ADT messages to reach the feed' },
    );
    expect(items.map((i) => i.triggerEvent)).toEqual(['A01', 'A02', 'A03']);
    expect(items.map((i) => i.messageType)).toEqual(['ADT^A01', 'ADT^A02', 'ADT^A03']);
    expect(items.every((i) => i.admissionId === admissionId && i.patientId === patient.id)).toBe(true);
    expect(items[0].seq < items[1].seq && items[1].seq < items[2].seq).toBe(true);
    expect(new Set(items.map((i) => i.controlId)).size).toBe(3);
  });

  it('writes messages a standard HL7 v2 parser reads back with the stay’s facts', async () => {
    const [a01, a02, a03] = items.map(parse);
    for (const [m, trigger, item] of [
      [a01, 'A01', items[0]],
      [a02, 'A02', items[1]],
      [a03, 'A03', items[2]],
    ] as const) {
      expect([f(m, 'MSH.3.1'), f(m, 'MSH.3.2')]).toEqual(['HMS', 'KOL']);
      expect([f(m, 'MSH.9.1'), f(m, 'MSH.9.2'), f(m, 'MSH.9.3')]).toEqual(['ADT', trigger, `ADT_${trigger}`]);
      expect(f(m, 'MSH.10')).toBe(item.controlId);
      expect(f(m, 'MSH.7')).toMatch(/^\d{14}\+0530$/);
      expect([f(m, 'MSH.11'), f(m, 'MSH.12'), f(m, 'MSH.18')]).toEqual(['P', '2.5', 'UNICODE UTF-8']);
      expect(f(m, 'EVN.1')).toBe(trigger);
      expect(f(m, 'PID.3.1')).toBe(patient.uhid);
      expect([f(m, 'PID.3.4.1'), f(m, 'PID.3.4.2'), f(m, 'PID.3.5')]).toEqual(['HMS', 'KOL', 'MR']);
      expect(f(m, 'PID.5.1')).toBe(patient.name);
      expect([f(m, 'PID.7'), f(m, 'PID.8')]).toEqual(['19800101', 'M']);
      expect([f(m, 'PV1.2'), f(m, 'PV1.4')]).toEqual(['I', 'E']);
      expect(f(m, 'PV1.19.1')).toMatch(/^IP\/\d{2}-\d{2}\/\d{6}$/);
      expect([f(m, 'PV1.7.1'), f(m, 'PV1.7.2')]).toEqual(['D-7', 'Dr. S. Banerjee & Team']);
      expect(f(m, 'PV2.3.2')).toBe('Fever | chills ^ 5 days');
      expect(f(m, 'PV1.44')).toBe(f(a01, 'EVN.6'));
    }
    expect(items[0].message).toContain('Dr. S. Banerjee \\T\\ Team');
    expect(f(a01, 'PV1.19.1')).toBe(f(a03, 'PV1.19.1'));

    expect([f(a01, 'PV1.3.1'), f(a01, 'PV1.3.2'), f(a01, 'PV1.3.3')]).toEqual(['MED1', 'R1', 'B1']);
    expect(f(a01, 'PV1.6')).toBe('');
    expect(f(a01, 'PV1.45')).toBe('');

    expect([f(a02, 'PV1.3.1'), f(a02, 'PV1.3.2'), f(a02, 'PV1.3.3')]).toEqual(['MED1', '', 'B2']);
    expect([f(a02, 'PV1.6.1'), f(a02, 'PV1.6.2'), f(a02, 'PV1.6.3')]).toEqual(['MED1', 'R1', 'B1']);

    expect(f(a03, 'PV1.3.3')).toBe('B2');
    expect(f(a03, 'PV1.36')).toBe('02');
    expect(f(a03, 'PV1.45')).toMatch(/^\d{14}\+0530$/);
    expect(f(a03, 'PV1.45')).toBe(f(a03, 'EVN.6'));
    expect(a03.get('PV1.45').toDate().getTime()).toBeGreaterThanOrEqual(a01.get('PV1.44').toDate().getTime());
  });

  it('moves the cursor on acknowledgement: forward only, never past the feed’s end', async () => {
    const ack = (upToSeq: unknown, token = integration) => h.http.post(`/api/v1/wards/hl7/subscriptions/${subscriptionId}/ack`, { upToSeq }, { token });
    const firstPage = await pending(subscriptionId, 1);
    expect(firstPage.items.map((i) => i.triggerEvent)).toEqual(['A01']);
    expect(firstPage.hasMore).toBe(true);

    const moved = await ack(items[0].seq);
    expect(moved.status).toBe(200);
    expect(moved.body.acknowledgedSeq).toBe(items[0].seq);
    expect((await pending(subscriptionId)).items.map((i) => i.triggerEvent)).toEqual(['A02', 'A03']);

    expect((await ack(items[0].seq)).status).toBe(200); // a retried acknowledgement is harmless
    const back = await ack(items[0].seq - 1);
    expectProblem(back, 409);
    expect(back.body.code).toBe('ack-behind-cursor');
    const beyond = await ack(items[2].seq + 1);
    expectProblem(beyond, 422);
    expect(beyond.body.code).toBe('ack-beyond-feed');
    expectProblem(await ack(-1), 400);
    expectProblem(await ack('5'), 400);
    expectProblem(await h.http.post(`/api/v1/wards/hl7/subscriptions/${subscriptionId}/ack`, {}, { token: integration }), 400);

    expect((await ack(items[2].seq)).body.acknowledgedSeq).toBe(items[2].seq);
    const drained = await pending(subscriptionId);
    expect(drained.items).toEqual([]);
    expect(drained.hasMore).toBe(false);
    expect((await h.http.get(`/api/v1/wards/hl7/subscriptions/${subscriptionId}`, { token: integration })).body.acknowledgedSeq).toBe(items[2].seq);
  });

  it('starts a new subscription at the beginning of the branch’s feed', async () => {
    const late = await h.http.post('/api/v1/wards/hl7/subscriptions', { name: 'pacs adt' }, { token: admin });
    expect(late.status).toBe(201);
    expect((await pending(late.body.id)).items.map((i) => i.seq)).toEqual(items.map((i) => i.seq));
    const listed = await h.http.get('/api/v1/wards/hl7/subscriptions', { token: integration });
    expect(listed.body.items.map((s: { name: string }) => s.name)).toEqual(['lis-adt', 'pacs adt']);
  });

  it('adds no second message when an event is delivered again', async () => {
    const [row] = await h.db.admin<{ event_id: string }>('SELECT event_id FROM wards.hl7_messages WHERE seq = $1', [items[0].seq]);
    const [published] = await h.db.admin<{ topic: string; envelope: Parameters<PostgresTransport['publish']>[0][number]['envelope'] }>(
      'SELECT topic, envelope FROM hms_bus.messages WHERE event_id = $1',
      [row.event_id],
    );
    // Forget the inbox entry too, so that the handler itself meets the event a second time.
    await h.db.admin(`DELETE FROM wards.inbox WHERE consumer_group = 'wards' AND event_id = $1`, [row.event_id]);
    await bus.publish([{ topic: published.topic, envelope: published.envelope }]);
    await bus.publish([{ topic: published.topic, envelope: published.envelope }]);
    await eventually(
      async () => {
        const seen = await h.db.admin(`SELECT 1 FROM wards.inbox WHERE consumer_group = 'wards' AND event_id = $1`, [row.event_id]);
        if (!seen.length) throw new Error('the replayed event was not handled yet');
      },
      { what: 'the replayed event to be handled' },
    );
    const counts = await h.db.admin<{ n: string }>('SELECT count(*) AS n FROM wards.hl7_messages WHERE admission_id = $1', [admissionId]);
    expect(counts[0].n).toBe('3');
    const byAdmission = await h.http.get(`/api/v1/wards/hl7/messages?admissionId=${admissionId}`, { token: integration });
    expect(byAdmission.status).toBe(200);
    expect(byAdmission.body.items.map((i: FeedItem) => [i.seq, i.triggerEvent])).toEqual(items.map((i) => [i.seq, i.triggerEvent]));
    const parked = await h.db.admin('SELECT 1 FROM wards.dead_letters');
    expect(parked).toEqual([]);
  });

  it('describes the admission as a finished FHIR Encounter with its bed history', async () => {
    const r = await h.http.get(`/api/v1/wards/admissions/${admissionId}/fhir`, { token: nurse });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/^application\/fhir\+json/);
    const e = r.body;
    expect(e).toMatchObject({
      resourceType: 'Encounter',
      id: admissionId,
      status: 'finished',
      class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'IMP' },
      subject: { reference: `Patient/${patient.id}`, identifier: { system: `urn:hms:branch:${branch.id}:uhid`, value: patient.uhid } },
      serviceProvider: { reference: `Organization/${branch.id}`, display: 'Kolkata General' },
      hospitalization: { dischargeDisposition: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/discharge-disposition', code: 'other-hcf' }, { code: 'referred' }] } },
    });
    expect(e.identifier[0]).toMatchObject({ system: `urn:hms:branch:${branch.id}:ip-number`, value: f(parse(items[0]), 'PV1.19.1') });
    expect(e.period.start).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+05:30$/);
    expect(Date.parse(e.period.end)).toBeGreaterThanOrEqual(Date.parse(e.period.start));
    expect(e.location.map((l: { location: { reference: string }; status: string }) => [l.location.reference, l.status])).toEqual([
      [`Location/${beds[0]}`, 'completed'],
      [`Location/${beds[1]}`, 'completed'],
    ]);
    expect(e.location[0].period.end).toBe(e.location[1].period.start);
    expect(e.location[1].period.end).toBe(e.period.end);
    expect(JSON.stringify(e)).not.toMatch(/null|""|\[\]|\{\}/);
  });

  it('describes beds and their ward as FHIR Locations with the bed board’s status', async () => {
    const location = async (bedId: string) => {
      const r = await h.http.get(`/api/v1/wards/beds/${bedId}/fhir`, { token: nurse });
      expect(r.status).toBe(200);
      expect(r.headers.get('content-type')).toMatch(/^application\/fhir\+json/);
      return r.body;
    };
    const b1 = await location(beds[0]);
    expect(b1).toMatchObject({
      resourceType: 'Location',
      id: beds[0],
      identifier: [{ system: `urn:hms:branch:${branch.id}:bed`, value: 'MED1/B1' }],
      status: 'active',
      operationalStatus: { system: 'http://terminology.hl7.org/CodeSystem/v2-0116', code: 'H' },
      mode: 'instance',
      physicalType: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/location-physical-type', code: 'bd' }] },
      partOf: { reference: `Location/${wardId}` },
    });
    expect((await location(beds[2])).operationalStatus.code).toBe('U');

    // A bed with a patient in it is occupied; one under maintenance is closed; a retired one is inactive.
    const [next] = await feed.register(branch, 1);
    const admitted = await h.http.post(
      '/api/v1/wards/admissions',
      { patientId: next.id, bedId: beds[2], admittingDoctor: { name: 'Dr. Roy' }, department: 'Surgery', reason: 'Appendicitis', admissionType: 'elective' },
      { token: admin },
    );
    expect(admitted.status).toBe(201);
    expect((await location(beds[2])).operationalStatus.code).toBe('O');
    expect((await h.http.put(`/api/v1/wards/beds/${beds[0]}/state`, { state: 'maintenance', reason: 'Broken rail' }, { token: admin })).status).toBe(200);
    expect((await location(beds[0])).operationalStatus.code).toBe('C');
    expect((await h.http.post(`/api/v1/wards/beds/${beds[1]}/clean`, undefined, { token: admin })).status).toBe(200);
    expect((await h.http.post(`/api/v1/wards/beds/${beds[1]}/retire`, undefined, { token: admin })).status).toBe(200);
    expect(await location(beds[1])).toMatchObject({ status: 'inactive', operationalStatus: { code: 'C' } });

    const encounter = (await h.http.get(`/api/v1/wards/admissions/${admitted.body.id}/fhir`, { token: nurse })).body;
    expect(encounter).toMatchObject({ status: 'in-progress', location: [{ location: { reference: `Location/${beds[2]}` }, status: 'active' }] });
    expect(encounter.period.end).toBeUndefined();
    expect(encounter.hospitalization).toBeUndefined();

    const ward = await h.http.get(`/api/v1/wards/wards/${wardId}/fhir`, { token: nurse });
    expect(ward.status).toBe(200);
    expect(ward.body).toMatchObject({ resourceType: 'Location', id: wardId, status: 'active', physicalType: { coding: [{ code: 'wa' }] } });
  });
});

describe('rules at the edges', () => {
  it('needs wards:integration to subscribe, and refuses bad input with problem documents', async () => {
    expectProblem(await h.http.post('/api/v1/wards/hl7/subscriptions', { name: 'by-nurse' }, { token: nurse }), 403);
    expectProblem(await h.http.post('/api/v1/wards/hl7/subscriptions', { name: '' }, { token: admin }), 400);
    expectProblem(await h.http.post('/api/v1/wards/hl7/subscriptions', { name: 'x', extra: 1 }, { token: admin }), 400);
    expect((await h.http.post('/api/v1/wards/hl7/subscriptions', { name: 'twice' }, { token: admin })).status).toBe(201);
    const again = await h.http.post('/api/v1/wards/hl7/subscriptions', { name: 'twice' }, { token: admin });
    expectProblem(again, 409);
    expect(again.body.code).toBe('subscription-name-taken');

    const unknown = '01a20000-0000-7000-8000-0000000000ff';
    expectProblem(await h.http.get(`/api/v1/wards/hl7/subscriptions/${unknown}/messages`, { token: integration }), 404);
    expectProblem(await h.http.post(`/api/v1/wards/hl7/subscriptions/${unknown}/ack`, { upToSeq: 0 }, { token: integration }), 404);
    expectProblem(await h.http.get('/api/v1/wards/hl7/subscriptions/not-an-id/messages', { token: integration }), 400);
    const sub = (await h.http.get('/api/v1/wards/hl7/subscriptions', { token: integration })).body.items[0].id as string;
    for (const limit of ['0', '501', 'ten', '-1']) expectProblem(await h.http.get(`/api/v1/wards/hl7/subscriptions/${sub}/messages?limit=${limit}`, { token: integration }), 400);
    expectProblem(await h.http.get('/api/v1/wards/hl7/messages', { token: integration }), 400);
    expectProblem(await h.http.get('/api/v1/wards/hl7/messages?admissionId=nope', { token: integration }), 400);
    expectProblem(await h.http.get(`/api/v1/wards/hl7/messages?admissionId=${unknown}`, { token: integration }), 404);
    expectProblem(await h.http.get(`/api/v1/wards/admissions/${unknown}/fhir`, { token: nurse }), 404);
    expectProblem(await h.http.get(`/api/v1/wards/beds/${unknown}/fhir`, { token: nurse }), 404);
    expectProblem(await h.http.get(`/api/v1/wards/wards/${unknown}/fhir`, { token: nurse }), 404);
    expectProblem(await h.http.get(`/api/v1/wards/beds/${unknown}/fhir`), 401);
  });

  it('keeps each branch to its own feed, subscriptions and resources', async () => {
    const other = TestIdentity.branch('PAT');
    const outsider = await h.identity.token({ branches: [{ branch: other, role: 'admin' }] });
    const mine = (await h.http.get('/api/v1/wards/hl7/subscriptions', { token: integration })).body.items[0].id as string;
    expectProblem(await h.http.get(`/api/v1/wards/hl7/subscriptions/${mine}/messages`, { token: outsider }), 404);
    expectProblem(await h.http.post(`/api/v1/wards/hl7/subscriptions/${mine}/ack`, { upToSeq: 0 }, { token: outsider }), 404);
    expect((await h.http.get('/api/v1/wards/hl7/subscriptions', { token: outsider })).body.items).toEqual([]);

    const theirs = await h.http.post('/api/v1/wards/hl7/subscriptions', { name: 'lis-adt' }, { token: outsider });
    expect(theirs.status).toBe(201);
    expect((await h.http.get(`/api/v1/wards/hl7/subscriptions/${theirs.body.id}/messages`, { token: outsider })).body.items).toEqual([]);
    // Nothing in that branch's feed yet, so nothing there can be acknowledged.
    expectProblem(await h.http.post(`/api/v1/wards/hl7/subscriptions/${theirs.body.id}/ack`, { upToSeq: 1 }, { token: outsider }), 422);

    const admission = (await h.db.admin<{ id: string; bed_id: string }>(`SELECT id, bed_id FROM wards.admissions WHERE status = 'admitted' LIMIT 1`))[0];
    expectProblem(await h.http.get(`/api/v1/wards/hl7/messages?admissionId=${admission.id}`, { token: outsider }), 404);
    expectProblem(await h.http.get(`/api/v1/wards/admissions/${admission.id}/fhir`, { token: outsider }), 404);
    expectProblem(await h.http.get(`/api/v1/wards/beds/${admission.bed_id}/fhir`, { token: outsider }), 404);
  });
});

describe('who may use the HL7 feed', () => {
  // The feed carries names, birth dates, UHIDs and admission reasons, and its cursor decides what
  // an interface engine sees next: wards:read (housekeeping, nurses, desks) is not enough.
  const feedFacts = async () => {
    const [row] = await h.db.admin<{ admission_id: string; seq: string }>('SELECT admission_id, seq::text FROM wards.hl7_messages WHERE branch_id = $1 ORDER BY seq DESC LIMIT 1', [branch.id]);
    const [sub] = await h.db.admin<{ id: string }>(`SELECT id FROM wards.hl7_subscriptions WHERE branch_id = $1 AND name = 'lis-adt'`, [branch.id]);
    return { admissionId: row.admission_id, lastSeq: Number(row.seq), subscriptionId: sub.id };
  };
  const routes = (f: { admissionId: string; lastSeq: number; subscriptionId: string }, name: string): [string, string, unknown][] => [
    ['POST', '/api/v1/wards/hl7/subscriptions', { name }],
    ['GET', '/api/v1/wards/hl7/subscriptions', undefined],
    ['GET', `/api/v1/wards/hl7/subscriptions/${f.subscriptionId}`, undefined],
    ['GET', `/api/v1/wards/hl7/subscriptions/${f.subscriptionId}/messages`, undefined],
    ['POST', `/api/v1/wards/hl7/subscriptions/${f.subscriptionId}/ack`, { upToSeq: f.lastSeq }],
    ['GET', `/api/v1/wards/hl7/messages?admissionId=${f.admissionId}`, undefined],
  ];
  const subscriptions = () => h.db.admin('SELECT id, name, acknowledged_seq FROM wards.hl7_subscriptions ORDER BY id');

  it.each(['housekeeping', 'nurse', 'ward-manager', 'front-desk', 'doctor'])('refuses %s (wards:read without wards:integration) with 403 on every HL7 route, and no cursor moves', async (role) => {
    const token = await h.identity.token({ branches: [{ branch, role }] });
    const f = await feedFacts();
    // The cursor stands behind the feed's end, so an acknowledgement that got through would move it.
    await h.db.admin('UPDATE wards.hl7_subscriptions SET acknowledged_seq = 0 WHERE id = $1', [f.subscriptionId]);
    const before = await subscriptions();
    for (const [method, path, body] of routes(f, `by-${role}`)) {
      const r = await h.http.send(method, path, body, { token });
      expectProblem(r, 403);
      expect(r.body.code).toBe('permission-missing');
      expect(r.body.missingPermissions).toEqual(['wards:integration']);
    }
    expect(await subscriptions()).toEqual(before);
  });

  it('lets the integration role subscribe, read the feed and the messages of an admission, and acknowledge', async () => {
    const f = await feedFacts();
    await h.db.admin('UPDATE wards.hl7_subscriptions SET acknowledged_seq = 0 WHERE id = $1', [f.subscriptionId]);
    const statuses = [];
    for (const [method, path, body] of routes(f, 'engine-check')) statuses.push((await h.http.send(method, path, body, { token: integration })).status);
    expect(statuses).toEqual([201, 200, 200, 200, 200, 200]);
    const moved = await h.http.get(`/api/v1/wards/hl7/subscriptions/${f.subscriptionId}`, { token: integration });
    expect(moved.body.acknowledgedSeq).toBe(f.lastSeq);
    // An administrator holds every permission, wards:integration included.
    expect((await h.http.get('/api/v1/wards/hl7/subscriptions', { token: admin })).status).toBe(200);
  });
});
