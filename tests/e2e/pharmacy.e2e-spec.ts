import { aPatient, eventually, expectProblem, expectStatus, type HttpClient } from '@hms/platform-testing';
import { startE2ePlatform, type E2ePlatform } from './support';

// The pharmacy through the gateway, with the gateway, patients, audit, wards and pharmacy services
// as real processes on the postgres transport and a database of this file's own: an administrator
// sets up the item master, a store and a supplier and receives goods; a pharmacist sells over the
// counter and against a prescription to a registered patient; the audit trail follows.
jest.setTimeout(120_000);

const ADMIN = { email: 'e2e-pharmacy@hms.test', password: 'E2e-Pharmacy-Pass-2026!' };
const PHARMACIST = { email: 'pharmacist.e2e@hms.test', password: 'Dispense-Safely-2026!' };
const P = '/api/v1/pharmacy';
let e2e: E2ePlatform;
let gw: HttpClient;
let admin: string;

interface AuditEntry {
  type: string;
  actorId: string;
  patientIds: string[];
  data: { dispenseId?: string; supplyKind?: string; path?: string; lines?: { batchNo: string; quantity: number; gstRateBp: number }[] };
}

async function login(email: string, password: string): Promise<string> {
  return (await e2e.login(email, password)).accessToken;
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
  ({ gw } = e2e);
  admin = await login(ADMIN.email, ADMIN.password);
});

afterAll(() => e2e?.stop());

describe('the pharmacy through the gateway', () => {
  it('sets up, receives, sells over the counter and against a prescription; stock, the H1 register and the audit trail follow', async () => {
    const me = expectStatus(await gw.get('/api/v1/auth/me', { token: admin }), 200).body as { id: string; branches: { id: string }[] };
    const branchId = me.branches[0].id;

    // Masters: a counter drug whose GST moved from 12% to 5% on 22 Sep 2025 (GST-05), a Schedule
    // H1 antibiotic, a store and a supplier with a valid GSTIN (GST-12).
    const paracetamol = expectStatus(
      await gw.post(
        `${P}/items`,
        { code: 'PCM500', kind: 'drug', genericName: 'Paracetamol', brandName: 'Calpol', form: 'tablet', strength: '500 mg', unit: 'tablet', packSize: 10, hsn: '30049099', schedule: 'NONE', gstRateBp: 1200, gstEffectiveFrom: '2017-07-01' },
        { token: admin },
      ),
      201,
    ).body as { id: string };
    const rated = expectStatus(await gw.post(`${P}/items/${paracetamol.id}/gst-rates`, { effectiveFrom: '2025-09-22', rateBp: 500 }, { token: admin }), 201).body;
    expect(rated).toMatchObject({ gstRateBp: 500, gstRates: [{ effectiveFrom: '2017-07-01', rateBp: 1200 }, { effectiveFrom: '2025-09-22', rateBp: 500 }] });
    const cefixime = expectStatus(
      await gw.post(
        `${P}/items`,
        { code: 'CFX200', kind: 'drug', genericName: 'Cefixime', form: 'tablet', strength: '200 mg', unit: 'tablet', packSize: 10, hsn: '3004', schedule: 'H1', gstRateBp: 500, gstEffectiveFrom: '2025-09-22' },
        { token: admin },
      ),
      201,
    ).body as { id: string };
    const store = expectStatus(await gw.post(`${P}/stores`, { code: 'MAIN-PHARMACY', name: 'Main pharmacy', kind: 'pharmacy' }, { token: admin }), 201).body as { id: string };
    expectProblem(await gw.post(`${P}/suppliers`, { name: 'Bad check character', gstin: '27AAPFU0939F1ZO' }, { token: admin }), 400);
    const supplier = expectStatus(await gw.post(`${P}/suppliers`, { name: 'Pune Pharma Distributors', gstin: '27AAPFU0939F1ZV' }, { token: admin }), 201).body as { id: string; stateCode: string };
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
    const received = expectStatus(await gw.post(`${P}/goods-receipts`, receipt, { token: admin, headers: { 'idempotency-key': 'grn-ppd-2026-00042' } }), 201);
    const replayed = expectStatus(await gw.post(`${P}/goods-receipts`, receipt, { token: admin, headers: { 'idempotency-key': 'grn-ppd-2026-00042' } }), 201);
    expect(replayed.headers.get('idempotent-replayed')).toBe('true');
    expect(replayed.body.id).toBe(received.body.id);
    expectProblem(await gw.post(`${P}/goods-receipts`, receipt, { token: admin }), 409);

    // The patient, registered at the patients service.
    const patient = expectStatus(await gw.post('/api/v1/patients', aPatient().named('Anita Devi').sex('F').born('1968-03-09').build(), { token: admin }), 201).body as { id: string; uhid: string };

    // A pharmacist of this branch sells; receiving goods is not theirs to do.
    expectStatus(
      await gw.post('/api/v1/admin/users', { email: PHARMACIST.email, name: 'Counter Pharmacist', password: PHARMACIST.password, memberships: [{ branchId, roles: ['pharmacist'] }] }, { token: admin }),
      201,
    );
    const pharmacist = await login(PHARMACIST.email, PHARMACIST.password);
    const pharmacistMe = expectStatus(await gw.get('/api/v1/auth/me', { token: pharmacist }), 200).body as { id: string };
    expectProblem(await gw.post(`${P}/goods-receipts`, { ...receipt, invoiceNumber: 'PPD/2026/00043' }, { token: pharmacist }), 403);

    // The pharmacy learns of the patient from the patients service's event, a moment after the
    // registration: until then a supply naming the patient is refused (patient-unknown), never guessed.
    const otc = await eventually(
      async () =>
        expectStatus(
          await gw.post(`${P}/dispenses`, { storeId: store.id, supplyKind: 'otc', patientId: patient.id, patientName: 'Anita Devi', lines: [{ itemId: paracetamol.id, quantity: 15 }] }, { token: pharmacist }),
          201,
        ).body as { id: string; lines: { batchNo: string; quantity: number; gstRateBp: number }[] },
      { timeoutMs: 30_000, what: 'the pharmacy to know the patient' },
    );
    expect(otc.lines).toEqual([expect.objectContaining({ batchNo: 'PCM-A1', quantity: 15, gstRateBp: 500 })]);

    const prescription = { prescriberName: 'Dr. Meera Rao', prescriberRegistrationNumber: 'MMC-2011-12345', prescriberAddress: '12 MG Road, Pune', prescribedOn: indianToday() };
    const withoutRx = await gw.post(`${P}/dispenses`, { storeId: store.id, supplyKind: 'outpatient', patientId: patient.id, patientName: 'Anita Devi', lines: [{ itemId: cefixime.id, quantity: 10 }] }, { token: pharmacist });
    expectProblem(withoutRx, 422);
    const rx = expectStatus(
      await gw.post(
        `${P}/dispenses`,
        { storeId: store.id, supplyKind: 'outpatient', patientId: patient.id, patientName: 'Anita Devi', prescription, lines: [{ itemId: cefixime.id, quantity: 10 }] },
        { token: pharmacist, headers: { 'idempotency-key': `rx-${patient.id}` } },
      ),
      201,
    ).body as { id: string };

    // Stock on hand: 110 - 15 paracetamol, 30 - 10 cefixime.
    const stock = expectStatus(await gw.get(`${P}/stock?storeId=${store.id}`, { token: pharmacist }), 200).body.items as { itemId: string; batchNo: string; onHand: number; expired: boolean }[];
    expect(stock.map((s) => [s.batchNo, s.onHand, s.expired]).sort()).toEqual([
      ['CFX-B7', 20, false],
      ['PCM-A1', 95, false],
    ]);
    const today = indianToday();
    const register = expectStatus(await gw.get(`${P}/h1-register?from=${today}&to=${today}`, { token: pharmacist }), 200).body.items;
    expect(register).toEqual([
      expect.objectContaining({ dispenseId: rx.id, patientName: 'Anita Devi', prescriberName: 'Dr. Meera Rao', prescriberAddress: '12 MG Road, Pune', drugName: 'Cefixime 200 mg', batchNo: 'CFX-B7', quantity: 10, pharmacistId: pharmacistMe.id }),
    ]);

    // The audit trail names the patient in both supplies, by the pharmacist who made them.
    const trail = await eventually(
      async () => {
        const r = expectStatus(await gw.get(`/api/v1/audit/events?patientId=${patient.id}&limit=100`, { token: admin }), 200);
        const entries = r.body.items as AuditEntry[];
        const dispensed = entries.filter((e) => e.type === 'pharmacy.dispense.dispensed');
        expect(entries.map((e) => e.type)).toContain('patients.patient.registered');
        expect(dispensed.map((e) => e.data.dispenseId).sort()).toEqual([otc.id, rx.id].sort());
        return dispensed;
      },
      { timeoutMs: 30_000, what: 'the pharmacy supplies in the patient’s audit trail' },
    );
    expect(trail.every((e) => e.actorId === pharmacistMe.id && e.patientIds.includes(patient.id))).toBe(true);
    expect(Object.fromEntries(trail.map((e) => [e.data.dispenseId, e.data.supplyKind]))).toEqual({ [otc.id]: 'otc', [rx.id]: 'outpatient' });
    expect(trail.find((e) => e.data.dispenseId === otc.id)?.data.lines).toEqual([expect.objectContaining({ batchNo: 'PCM-A1', quantity: 15, gstRateBp: 500 })]);
    const verify = expectStatus(await gw.get('/api/v1/audit/verify', { token: admin }), 200);
    expect(verify.body).toMatchObject({ valid: true });
  });

  it('documents the pharmacy routes at /docs/openapi.json', async () => {
    const doc = expectStatus(await gw.get('/docs/openapi.json'), 200);
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
