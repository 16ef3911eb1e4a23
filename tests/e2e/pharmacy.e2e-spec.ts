import { aPatient, eventually, expectStatus } from '@hms/platform-testing';
import { expectData, hmsApi, type HmsApi } from './api';
import { startE2ePlatform, type E2ePlatform } from './support';

// The pharmacy through the gateway, with the gateway, patients, audit, wards and pharmacy services
// as real processes on the postgres transport and a database of this file's own: an administrator
// sets up the item master, a store and a supplier and receives goods; a pharmacist sells over the
// counter and against a prescription to a registered patient; the audit trail follows. Every call
// goes through the typed client generated from the committed OpenAPI document (./api.ts).
jest.setTimeout(120_000);

const ADMIN = { email: 'e2e-pharmacy@hms.test', password: 'E2e-Pharmacy-Pass-2026!' };
const PHARMACIST = { email: 'pharmacist.e2e@hms.test', password: 'Dispense-Safely-2026!' };
const P = '/api/v1/pharmacy';
let e2e: E2ePlatform;
let api: HmsApi;

/** What a dispensed event's audit entry carries in `data`. */
interface DispensedData {
  dispenseId?: string;
  supplyKind?: string;
  lines?: { batchNo: string; quantity: number; gstRateBp: number }[];
}

async function signIn(email: string, password: string): Promise<HmsApi> {
  return hmsApi(e2e.platform.gatewayUrl, { token: (await e2e.login(email, password)).accessToken });
}

/** The status of an answer, which must be a problem+json. */
function problemStatus(result: { response: Response }): number {
  expect(result.response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  return result.response.status;
}

/** Today in India (the day invoice dates and expiry are judged by). */
const indianToday = () => new Date(Date.now() + 5.5 * 3600_000).toISOString().slice(0, 10);
/** The last day of the month `months` from now: expiries relative to today, never dates that will pass. */
const endOfMonthAhead = (months: number) => {
  const d = new Date(`${indianToday().slice(0, 7)}-01T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + months + 1, 0);
  return d.toISOString().slice(0, 10);
};

beforeAll(async () => {
  e2e = await startE2ePlatform(__filename, ADMIN);
  api = await signIn(ADMIN.email, ADMIN.password);
});

afterAll(() => e2e?.stop());

describe('the pharmacy through the gateway', () => {
  it('sets up, receives, sells over the counter and against a prescription; stock, the H1 register and the audit trail follow', async () => {
    const me = expectData(await api.GET('/api/v1/auth/me'), 200);
    const branchId = me.branches[0].id;

    // Masters: a counter drug whose GST moved from 12% to 5% on 22 Sep 2025 (GST-05), a Schedule
    // H1 antibiotic, a store and a supplier with a valid GSTIN (GST-12).
    const paracetamol = expectData(
      await api.POST('/api/v1/pharmacy/items', {
        body: { code: 'PCM500', kind: 'drug', genericName: 'Paracetamol', brandName: 'Calpol', form: 'tablet', strength: '500 mg', unit: 'tablet', packSize: 10, hsn: '30049099', schedule: 'NONE', gstRateBp: 1200, gstEffectiveFrom: '2017-07-01' },
      }),
      201,
    );
    const rated = expectData(await api.POST('/api/v1/pharmacy/items/{id}/gst-rates', { params: { path: { id: paracetamol.id } }, body: { effectiveFrom: '2025-09-22', rateBp: 500 } }), 201);
    expect(rated).toMatchObject({ gstRateBp: 500, gstRates: [{ effectiveFrom: '2017-07-01', rateBp: 1200 }, { effectiveFrom: '2025-09-22', rateBp: 500 }] });
    const cefixime = expectData(
      await api.POST('/api/v1/pharmacy/items', {
        body: { code: 'CFX200', kind: 'drug', genericName: 'Cefixime', form: 'tablet', strength: '200 mg', unit: 'tablet', packSize: 10, hsn: '3004', schedule: 'H1', gstRateBp: 500, gstEffectiveFrom: '2025-09-22' },
      }),
      201,
    );
    const store = expectData(await api.POST('/api/v1/pharmacy/stores', { body: { code: 'MAIN-PHARMACY', name: 'Main pharmacy', kind: 'pharmacy' } }), 201);
    expect(problemStatus(await api.POST('/api/v1/pharmacy/suppliers', { body: { name: 'Bad check character', gstin: '27AAPFU0939F1ZO' } }))).toBe(400);
    const supplier = expectData(await api.POST('/api/v1/pharmacy/suppliers', { body: { name: 'Pune Pharma Distributors', gstin: '27AAPFU0939F1ZV' } }), 201);
    expect(supplier.stateCode).toBe('27');

    // Goods in, with free units and a retry of the same request (a lost response).
    const receipt = {
      storeId: store.id,
      supplierId: supplier.id,
      invoiceNumber: 'PPD/2026/00042',
      invoiceDate: indianToday(),
      lines: [
        { itemId: paracetamol.id, batchNo: 'PCM-A1', expiry: endOfMonthAhead(18), quantity: 100, freeQuantity: 10, purchaseRatePaise: 150, mrpPaise: 200 },
        { itemId: cefixime.id, batchNo: 'CFX-B7', expiry: endOfMonthAhead(12), quantity: 30, purchaseRatePaise: 900, mrpPaise: 1250 },
      ],
    };
    const receive = (body: typeof receipt, key?: string, as = api) => as.POST('/api/v1/pharmacy/goods-receipts', { body, headers: key ? { 'idempotency-key': key } : {} });
    const received = expectData(await receive(receipt, 'grn-ppd-2026-00042'), 201);
    const replayed = await receive(receipt, 'grn-ppd-2026-00042');
    expect(replayed.response.headers.get('idempotent-replayed')).toBe('true');
    expect(expectData(replayed, 201).id).toBe(received.id);
    expect(problemStatus(await receive(receipt))).toBe(409);

    // The patient, registered at the patients service.
    const patient = expectData(await api.POST('/api/v1/patients', { body: aPatient().named('Anita Devi').sex('F').born('1968-03-09').build() }), 201);

    // A pharmacist of this branch sells; receiving goods is not theirs to do.
    expectData(await api.POST('/api/v1/admin/users', { body: { email: PHARMACIST.email, name: 'Counter Pharmacist', password: PHARMACIST.password, memberships: [{ branchId, roles: ['pharmacist'] }] } }), 201);
    const pharmacist = await signIn(PHARMACIST.email, PHARMACIST.password);
    const pharmacistMe = expectData(await pharmacist.GET('/api/v1/auth/me'), 200);
    expect(problemStatus(await receive({ ...receipt, invoiceNumber: 'PPD/2026/00043' }, undefined, pharmacist))).toBe(403);

    // The pharmacy learns of the patient from the patients service's event, a moment after the
    // registration: until then a supply naming the patient is refused (patient-unknown), never guessed.
    const otc = await eventually(
      async () =>
        expectData(
          await pharmacist.POST('/api/v1/pharmacy/dispenses', {
            body: { storeId: store.id, supplyKind: 'otc', patientId: patient.id, patientName: 'Anita Devi', lines: [{ itemId: paracetamol.id, quantity: 15 }] },
          }),
          201,
        ),
      { timeoutMs: 30_000, what: 'the pharmacy to know the patient' },
    );
    expect(otc.lines).toEqual([expect.objectContaining({ batchNo: 'PCM-A1', quantity: 15, gstRateBp: 500 })]);

    const prescription = { prescriberName: 'Dr. Meera Rao', prescriberRegistrationNumber: 'MMC-2011-12345', prescriberAddress: '12 MG Road, Pune', prescribedOn: indianToday() };
    const withoutRx = await pharmacist.POST('/api/v1/pharmacy/dispenses', {
      body: { storeId: store.id, supplyKind: 'outpatient', patientId: patient.id, patientName: 'Anita Devi', lines: [{ itemId: cefixime.id, quantity: 10 }] },
    });
    expect(problemStatus(withoutRx)).toBe(422);
    const rx = expectData(
      await pharmacist.POST('/api/v1/pharmacy/dispenses', {
        body: { storeId: store.id, supplyKind: 'outpatient', patientId: patient.id, patientName: 'Anita Devi', prescription, lines: [{ itemId: cefixime.id, quantity: 10 }] },
        headers: { 'idempotency-key': `rx-${patient.id}` },
      }),
      201,
    );

    // Stock on hand: 110 - 15 paracetamol, 30 - 10 cefixime.
    const stock = expectData(await pharmacist.GET('/api/v1/pharmacy/stock', { params: { query: { storeId: store.id } } }), 200).items;
    expect(stock.map((s) => [s.batchNo, s.onHand, s.expired]).sort()).toEqual([
      ['CFX-B7', 20, false],
      ['PCM-A1', 95, false],
    ]);
    const today = indianToday();
    // The register answers JSON, or CSV when asked for it; this asks for JSON.
    const h1 = expectData(await pharmacist.GET('/api/v1/pharmacy/h1-register', { params: { query: { from: today, to: today } } }), 200);
    if (typeof h1 === 'string') throw new Error('the H1 register answered CSV to a JSON request');
    const register = h1.items;
    expect(register).toEqual([
      expect.objectContaining({ dispenseId: rx.id, patientName: 'Anita Devi', prescriberName: 'Dr. Meera Rao', prescriberAddress: '12 MG Road, Pune', drugName: 'Cefixime 200 mg', batchNo: 'CFX-B7', quantity: 10, pharmacistId: pharmacistMe.id }),
    ]);

    // The audit trail names the patient in both supplies, by the pharmacist who made them.
    const trail = await eventually(
      async () => {
        const entries = expectData(await api.GET('/api/v1/audit/events', { params: { query: { patientId: patient.id, limit: 100 } } }), 200).items;
        const dispensed = entries.filter((e) => e.type === 'pharmacy.dispense.dispensed');
        expect(entries.map((e) => e.type)).toContain('patients.patient.registered');
        expect(dispensed.map((e) => (e.data as DispensedData).dispenseId).sort()).toEqual([otc.id, rx.id].sort());
        return dispensed;
      },
      { timeoutMs: 30_000, what: 'the pharmacy supplies in the patient’s audit trail' },
    );
    expect(trail.every((e) => e.actorId === pharmacistMe.id && e.patientIds.includes(patient.id))).toBe(true);
    expect(Object.fromEntries(trail.map((e) => [(e.data as DispensedData).dispenseId, (e.data as DispensedData).supplyKind]))).toEqual({ [otc.id]: 'otc', [rx.id]: 'outpatient' });
    expect((trail.find((e) => (e.data as DispensedData).dispenseId === otc.id)?.data as DispensedData | undefined)?.lines).toEqual([expect.objectContaining({ batchNo: 'PCM-A1', quantity: 15, gstRateBp: 500 })]);
    expect(expectData(await api.GET('/api/v1/audit/verify'), 200)).toMatchObject({ valid: true });
  });

  it('documents the pharmacy routes at /docs/openapi.json', async () => {
    // The document itself is not an operation of the contract: fetched as it is.
    const doc = expectStatus(await e2e.gw.get('/docs/openapi.json'), 200);
    const paths = Object.keys(doc.body.paths as Record<string, unknown>);
    expect(paths).toEqual(
      expect.arrayContaining([
        `${P}/items`,
        `${P}/items/{id}`,
        `${P}/items/{id}/gst-rates`,
        `${P}/stores`,
        `${P}/stores/{storeId}/reorder-levels/{itemId}`,
        `${P}/suppliers`,
        `${P}/goods-receipts`,
        `${P}/stock`,
        `${P}/dispenses`,
        `${P}/h1-register`,
      ]),
    );
    expect(String(doc.body.info.description)).not.toMatch(/Not reachable.*pharmacy/);
  });
});
