import { PatientAdmitted } from '@hms/contracts-wards';
import type { ServiceHarness } from '@hms/platform-service-testing';
import { TestIdentity, expectProblem, type TestBranch, type TestResponse } from '@hms/platform-testing';
import { pharmacyDefinition } from '../src/pharmacy.definition';
import { CareFeed, serviceClock, startPharmacy, type FedPatient } from './support';

// Issue 7, item 12: a supply is charged only to a patient and an admission the pharmacy knows
// from the patients and wards services' events, the admission open and the patient's own; the
// H1 register takes the patient's name from the patient record. The read models keep the
// version (or time) of the last event applied, so late or repeated events change nothing.
jest.setTimeout(60_000);

const P = '/api/v1/pharmacy';
const RX = { prescriberName: 'Dr. Meera Rao', prescriberRegistrationNumber: 'MMC-2011-12345', prescriberAddress: '12 MG Road, Pune' };
const NOBODY = '01930000-0000-7000-8000-0000000000a1';
const NOWHERE = '01930000-0000-7000-8000-0000000000b2';

let h: ServiceHarness;
let feed: CareFeed;
let clock: ReturnType<typeof serviceClock>;
let branch: TestBranch;
let otherBranch: TestBranch;
let admin: string;
let supplierId: string;
let n = 0;

beforeAll(async () => {
  h = await startPharmacy(__filename);
  feed = new CareFeed(h);
  clock = serviceClock(h);
  branch = TestIdentity.branch('IPD');
  otherBranch = TestIdentity.branch('IPE');
  admin = await h.identity.token({ branches: [{ branch, role: 'admin' }] });
  supplierId = ok(await h.http.post(`${P}/suppliers`, { name: 'Pune Pharma Distributors', gstin: '27AAPFU0939F1ZV' }, { token: admin }), 201).body.id;
});
afterAll(async () => {
  await feed?.close();
  await h?.stop();
});
afterEach(() => clock.reset());

function ok(r: TestResponse, status: number): TestResponse {
  if (r.status !== status) throw new Error(`expected ${status}, got ${r.status}: ${r.text.slice(0, 400)}`);
  return r;
}

/** A store with `quantity` units of an item of `schedule`, received today with a year to run. */
async function stocked(quantity: number, schedule = 'NONE'): Promise<{ storeId: string; itemId: string }> {
  n++;
  const storeId = ok(await h.http.post(`${P}/stores`, { code: `IP${n}`, name: `Ward store ${n}`, kind: 'pharmacy' }, { token: admin }), 201).body.id as string;
  const itemId = ok(
    await h.http.post(
      `${P}/items`,
      { code: `IPD${n}`, kind: 'drug', genericName: `Drug ${n}`, form: 'tablet', unit: 'tablet', packSize: 10, hsn: '3004', schedule, gstRateBp: 500, gstEffectiveFrom: '2025-09-22' },
      { token: admin },
    ),
    201,
  ).body.id as string;
  const lines = [{ itemId, batchNo: `B${n}`, expiry: clock.inDays(365), quantity, purchaseRatePaise: 100, mrpPaise: 150 }];
  ok(await h.http.post(`${P}/goods-receipts`, { storeId, supplierId, invoiceNumber: `INV-${n}`, invoiceDate: clock.today(), lines }, { token: admin }), 201);
  return { storeId, itemId };
}

const dispense = (body: Record<string, unknown>, token = admin) => h.http.post(`${P}/dispenses`, body, { token });

/** Row counts that a refused supply must leave as they were. */
async function written(): Promise<Record<string, number>> {
  const rows = await h.db.admin<{ t: string; n: string }>(
    ['dispenses', 'dispense_lines', 'stock_ledger', 'h1_register', 'outbox'].map((t) => `SELECT '${t}' AS t, count(*) AS n FROM pharmacy.${t}`).join(' UNION ALL '),
  );
  return Object.fromEntries(rows.map((r) => [r.t, Number(r.n)]));
}

describe('in-patient dispensing checks the patient and the admission (issue 7, item 12)', () => {
  it('refuses an invented patient, an invented admission, a discharged admission and another patient’s admission with a 422 and a code, writing nothing', async () => {
    const { storeId, itemId } = await stocked(20);
    const anita = await feed.registerPatient(branch, 'Anita Devi');
    const ravi = await feed.registerPatient(branch, 'Ravi Kumar');
    const anitasStay = await feed.admit(branch, anita);
    const ravisStay = await feed.admit(branch, ravi);
    const closedStay = await feed.admit(branch, anita);
    await feed.discharge(branch, closedStay);
    const lines = [{ itemId, quantity: 1 }];
    const before = await written();

    const cases: [string, Record<string, unknown>, string, string][] = [
      ['an invented patient and admission', { patientId: NOBODY, admissionId: NOWHERE }, 'patient-unknown', 'patientId'],
      ['a known patient, an invented admission', { patientId: anita.id, admissionId: NOWHERE }, 'admission-unknown', 'admissionId'],
      ['a discharged admission', { patientId: anita.id, admissionId: closedStay.id }, 'admission-discharged', 'admissionId'],
      ['patient X charged on patient Y’s admission', { patientId: anita.id, admissionId: ravisStay.id }, 'admission-of-another-patient', 'admissionId'],
    ];
    for (const [label, parties, code, field] of cases) {
      const r = await dispense({ storeId, supplyKind: 'inpatient', ...parties, lines });
      if (r.status !== 422) throw new Error(`${label}: expected 422, got ${r.status}: ${r.text}`);
      expectProblem(r, 422);
      expect([label, r.body.code, r.body.errors]).toEqual([label, code, [expect.objectContaining({ field })]]);
    }
    // An invented patient at the counter or as an out-patient is refused too.
    for (const supplyKind of ['otc', 'outpatient']) {
      const r = await dispense({ storeId, supplyKind, patientId: NOBODY, lines });
      expectProblem(r, 422);
      expect(r.body.code).toBe('patient-unknown');
    }
    expect(await written()).toEqual(before);

    // The patient's own open admission is charged.
    const d = ok(await dispense({ storeId, supplyKind: 'inpatient', patientId: anita.id, admissionId: anitasStay.id, lines }), 201).body;
    expect(d).toMatchObject({ supplyKind: 'inpatient', patientId: anita.id, admissionId: anitasStay.id, patientName: 'Anita Devi' });
  });

  it('refuses a merged-away record, naming the surviving record, and takes the survivor with the stays of the record merged into it', async () => {
    const { storeId, itemId } = await stocked(10);
    const survivor = await feed.registerPatient(branch, 'Heena Patel');
    const duplicate = await feed.registerPatient(branch, 'Hina Patel');
    const stay = await feed.admit(branch, duplicate);
    await feed.merge(branch, duplicate, survivor);
    const before = await written();
    const r = await dispense({ storeId, supplyKind: 'inpatient', patientId: duplicate.id, admissionId: stay.id, lines: [{ itemId, quantity: 1 }] });
    expectProblem(r, 422);
    expect(r.body).toMatchObject({ code: 'patient-merged', survivorId: survivor.id, survivorUhid: survivor.uhid, errors: [expect.objectContaining({ field: 'patientId' })] });
    expect(r.body.detail).toContain(survivor.uhid);
    expect(await written()).toEqual(before);
    // The stay recorded under the duplicate is the survivor's now (the wards service moves it too).
    ok(await dispense({ storeId, supplyKind: 'inpatient', patientId: survivor.id, admissionId: stay.id, lines: [{ itemId, quantity: 1 }] }), 201);
  });

  it('keeps dispensing to a patient moved to another bed', async () => {
    const { storeId, itemId } = await stocked(10);
    const patient = await feed.registerPatient(branch);
    const stay = await feed.admit(branch, patient, new Date(Date.now() - 3_600_000));
    await feed.transfer(branch, stay, new Date());
    ok(await dispense({ storeId, supplyKind: 'inpatient', patientId: patient.id, admissionId: stay.id, lines: [{ itemId, quantity: 2 }] }), 201);
  });

  it('knows patients and admissions per branch: another branch’s are unknown', async () => {
    const { storeId, itemId } = await stocked(10);
    const elsewhere = await feed.registerPatient(otherBranch, 'Other Branch Patient');
    const theirStay = await feed.admit(otherBranch, elsewhere);
    const local = await feed.registerPatient(branch);
    const r = await dispense({ storeId, supplyKind: 'inpatient', patientId: elsewhere.id, admissionId: theirStay.id, lines: [{ itemId, quantity: 1 }] });
    expectProblem(r, 422);
    expect(r.body.code).toBe('patient-unknown');
    const stay = await dispense({ storeId, supplyKind: 'inpatient', patientId: local.id, admissionId: theirStay.id, lines: [{ itemId, quantity: 1 }] });
    expectProblem(stay, 422);
    expect(stay.body.code).toBe('admission-unknown');
    // The read model holds them, under their own branch.
    expect(await h.db.admin('SELECT 1 FROM pharmacy.patients WHERE patient_id = $1 AND branch_id = $2', [elsewhere.id, otherBranch.id])).toHaveLength(1);
  });
});

describe('the H1 register’s patient name (issue 7, item 12)', () => {
  it('comes from the patient record whenever a patient is named, whatever name was typed', async () => {
    const { storeId, itemId } = await stocked(10, 'H1');
    const anita = await feed.registerPatient(branch, 'Anita Devi');
    const d = ok(await dispense({ storeId, supplyKind: 'outpatient', patientId: anita.id, patientName: 'Somebody Else', prescription: RX, lines: [{ itemId, quantity: 1 }] }), 201).body;
    const rows = await h.db.admin<{ patient_name: string }>('SELECT patient_name FROM pharmacy.h1_register WHERE dispense_id = $1', [d.id]);
    expect(rows).toEqual([{ patient_name: 'Anita Devi' }]);
    expect((await h.db.admin<{ patient_name: string }>('SELECT patient_name FROM pharmacy.dispenses WHERE id = $1', [d.id]))[0].patient_name).toBe('Anita Devi');
    // Without a typed name too: the record has it.
    const plain = ok(await dispense({ storeId, supplyKind: 'outpatient', patientId: anita.id, prescription: RX, lines: [{ itemId, quantity: 1 }] }), 201).body;
    expect(await h.db.admin('SELECT patient_name FROM pharmacy.h1_register WHERE dispense_id = $1', [plain.id])).toEqual([{ patient_name: 'Anita Devi' }]);
    // A renamed record gives the new name to later supplies.
    await feed.updatePatient(branch, anita, { name: 'Anita Sharma', version: 2 });
    const later = ok(await dispense({ storeId, supplyKind: 'outpatient', patientId: anita.id, prescription: RX, lines: [{ itemId, quantity: 1 }] }), 201).body;
    expect(await h.db.admin('SELECT patient_name FROM pharmacy.h1_register WHERE dispense_id = $1', [later.id])).toEqual([{ patient_name: 'Anita Sharma' }]);
  });

  it('is the typed name for a walk-in without a patient id, which must not be empty or blank (422 naming patientName)', async () => {
    const { storeId, itemId } = await stocked(10, 'H1');
    const walkIn = ok(await dispense({ storeId, supplyKind: 'otc', patientName: 'Ramesh Kumar', prescription: RX, lines: [{ itemId, quantity: 1 }] }), 201).body;
    expect(await h.db.admin('SELECT patient_name FROM pharmacy.h1_register WHERE dispense_id = $1', [walkIn.id])).toEqual([{ patient_name: 'Ramesh Kumar' }]);
    const before = await written();
    for (const patientName of ['', '   ', '\t', '\u00a0']) {
      for (const schedule of ['H1', 'NONE']) {
        const target = schedule === 'H1' ? { storeId, itemId } : await stocked(1);
        const r = await dispense({ storeId: target.storeId, supplyKind: 'otc', patientName, prescription: RX, lines: [{ itemId: target.itemId, quantity: 1 }] });
        expectProblem(r, 422);
        expect(r.body).toMatchObject({ code: 'patient-name-blank', errors: [{ field: 'patientName', message: expect.any(String) }] });
      }
    }
    expect((await written()).h1_register).toBe(before.h1_register);
    expect((await written()).dispenses).toBe(before.dispenses);
  });
});

describe('the read models take late and repeated events in without harm (issue 7, item 12)', () => {
  const name = async (p: FedPatient) => (await h.db.admin<{ name: string; version: number; status: string }>('SELECT name, version, status FROM pharmacy.patients WHERE patient_id = $1', [p.id]))[0];
  const admission = async (id: string) => (await h.db.admin<{ status: string; bed_code: string }>('SELECT status, bed_code FROM pharmacy.admissions WHERE admission_id = $1', [id]))[0];

  it('a patient event of an older or the same version changes nothing', async () => {
    const patient = await feed.registerPatient(branch, 'First Name');
    const renamed = await feed.updatePatient(branch, patient, { name: 'Second Name', version: 3 });
    expect(await name(patient)).toEqual({ name: 'Second Name', version: 3, status: 'active' });
    await feed.registerAgain(branch, patient); // version 1, delivered late
    await feed.updatePatient(branch, patient, { name: 'Stale Name', version: 2 });
    await feed.updatePatient(branch, renamed, { name: 'Same Version Again', version: 3 });
    expect(await name(patient)).toEqual({ name: 'Second Name', version: 3, status: 'active' });
  });

  it('a merge is final: a later update of the merged record does not revive it, and a merge seen before the registration stays', async () => {
    const survivor = await feed.registerPatient(branch, 'Survivor');
    const merged = await feed.registerPatient(branch, 'Merged Away');
    await feed.merge(branch, merged, survivor);
    await feed.updatePatient(branch, merged, { name: 'Merged Away', version: 5 });
    expect((await name(merged)).status).toBe('merged');
    // The merge arrives first, the registration after it.
    const early = { id: '01930000-0000-7000-8000-0000000000c3', uhid: `${branch.code}99999999`, name: 'Early Merge', version: 1 };
    await feed.merge(branch, early, survivor);
    await feed.registerAgain(branch, early);
    expect(await name(early)).toEqual({ name: 'Early Merge', version: 1, status: 'merged' });
    const { storeId, itemId } = await stocked(2);
    const r = await dispense({ storeId, supplyKind: 'otc', patientId: early.id, lines: [{ itemId, quantity: 1 }] });
    expectProblem(r, 422);
    expect(r.body).toMatchObject({ code: 'patient-merged', survivorId: survivor.id });
  });

  it('an admission event older than the last one applied changes nothing, and a discharge is final', async () => {
    const patient = await feed.registerPatient(branch);
    const stay = await feed.admit(branch, patient, new Date(Date.now() - 7_200_000));
    await feed.transfer(branch, stay, new Date(Date.now() - 3_600_000)); // to B7
    await feed.transfer(branch, stay, new Date(Date.now() - 5_400_000)); // an older move, delivered late
    expect(await admission(stay.id)).toEqual({ status: 'admitted', bed_code: 'B7' });
    await feed.discharge(branch, stay);
    await feed.transfer(branch, stay, new Date(Date.now() + 60_000)); // after the discharge: ignored
    await feed.publishAndWait(
      branch,
      PatientAdmitted,
      {
        admissionId: stay.id,
        ipNumber: stay.ipNumber,
        patientId: patient.id,
        uhid: patient.uhid,
        admittedAt: stay.admittedAt,
        admissionType: 'emergency',
        department: 'General medicine',
        admittingDoctor: { id: null, name: 'Dr. Rao' },
        expectedDischargeAt: null,
        depositReference: null,
        bed: { bedId: NOWHERE, bedCode: 'B1', roomCode: null, wardId: NOWHERE, wardCode: 'GEN-1', categoryCode: 'GENERAL', isCriticalCare: false, dailyRatePaise: null },
      },
      stay.id,
    ); // the admission again: it does not reopen the stay
    expect((await admission(stay.id)).status).toBe('discharged');
    const { storeId, itemId } = await stocked(2);
    const r = await dispense({ storeId, supplyKind: 'inpatient', patientId: patient.id, admissionId: stay.id, lines: [{ itemId, quantity: 1 }] });
    expectProblem(r, 422);
    expect(r.body.code).toBe('admission-discharged');
  });

  it('consumes the patients and wards services’ admission topics', () => {
    expect(pharmacyDefinition.consumes).toEqual(expect.arrayContaining(['hms.patients.patient.v1', 'hms.wards.admission.v1']));
  });
});
