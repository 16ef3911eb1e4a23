import type { ServiceHarness } from '@hms/platform-service-testing';
import { TestIdentity, expectProblem, type TestBranch, type TestResponse } from '@hms/platform-testing';
import { CareFeed, serviceClock, startPharmacy } from './support';

// Issue 7, item 18: what the desk needed on day one: a patient's or an admission's dispenses,
// one dispense, the goods receipts, and the Schedule H1 register as CSV (with the patient id of
// each supply, escaped, and safe to open in a spreadsheet).
jest.setTimeout(60_000);

const P = '/api/v1/pharmacy';
const RX = { prescriberName: 'Dr. Meera Rao', prescriberRegistrationNumber: 'MMC-2011-12345', prescriberAddress: '12 MG Road, Pune' };
let h: ServiceHarness;
let feed: CareFeed;
let clock: ReturnType<typeof serviceClock>;
let branch: TestBranch;
let otherBranch: TestBranch;
let admin: string;
let otherAdmin: string;
let suppliers: string[];
let n = 0;

beforeAll(async () => {
  h = await startPharmacy(__filename);
  feed = new CareFeed(h);
  clock = serviceClock(h);
  branch = TestIdentity.branch('REC');
  otherBranch = TestIdentity.branch('REO');
  admin = await h.identity.token({ branches: [{ branch, role: 'admin' }] });
  otherAdmin = await h.identity.token({ branches: [{ branch: otherBranch, role: 'admin' }] });
  suppliers = [];
  for (const [i, gstin] of ['27AAPFU0939F1ZV', '29AAGCB7383J1Z4'].entries()) {
    suppliers.push(ok(await h.http.post(`${P}/suppliers`, { name: `Supplier ${i}`, gstin }, { token: admin }), 201).body.id);
  }
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

async function stocked(quantity: number, schedule = 'NONE', options: { supplier?: number } = {}): Promise<{ storeId: string; itemId: string; receiptId: string }> {
  n++;
  const storeId = ok(await h.http.post(`${P}/stores`, { code: `RC${n}`, name: `Store ${n}`, kind: 'pharmacy' }, { token: admin }), 201).body.id as string;
  const itemBody = { code: `REC${n}`, kind: 'drug', genericName: `Drug ${n}`, form: 'tablet', strength: '200 mg', unit: 'tablet', packSize: 10, hsn: '3004', schedule, gstRateBp: 500, gstEffectiveFrom: '2025-09-22' };
  const itemId = ok(await h.http.post(`${P}/items`, itemBody, { token: admin }), 201).body.id as string;
  const lines = [{ itemId, batchNo: `RB${n}`, expiry: clock.inDays(300), quantity, freeQuantity: 2, purchaseRatePaise: 100, mrpPaise: 150 }];
  const receipt = ok(
    await h.http.post(`${P}/goods-receipts`, { storeId, supplierId: suppliers[options.supplier ?? 0], invoiceNumber: `REC/${n}`, invoiceDate: clock.today(), lines }, { token: admin }),
    201,
  );
  return { storeId, itemId, receiptId: receipt.body.id };
}

const dispense = async (body: Record<string, unknown>) => ok(await h.http.post(`${P}/dispenses`, body, { token: admin }), 201).body;

describe('dispenses by patient and by admission (issue 7, item 18)', () => {
  it('lists a patient’s dispenses newest first in pages that partition them, with the records merged into theirs', async () => {
    const { storeId, itemId } = await stocked(100);
    const anita = await feed.registerPatient(branch, 'Anita Devi');
    const duplicate = await feed.registerPatient(branch, 'Anita D.');
    const other = await feed.registerPatient(branch, 'Ravi Kumar');
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await dispense({ storeId, supplyKind: 'outpatient', patientId: anita.id, lines: [{ itemId, quantity: 1 }] })).id);
    const fromDuplicate = (await dispense({ storeId, supplyKind: 'otc', patientId: duplicate.id, lines: [{ itemId, quantity: 1 }] })).id;
    await dispense({ storeId, supplyKind: 'otc', patientId: other.id, lines: [{ itemId, quantity: 1 }] });
    await feed.merge(branch, duplicate, anita);

    const page = async (query: string) => ok(await h.http.get(`${P}/dispenses?${query}`, { token: admin }), 200).body;
    const all = await page(`patientId=${anita.id}&limit=100`);
    expect(all).toMatchObject({ limit: 100, offset: 0, nextOffset: null });
    expect(all.items.map((d: { id: string }) => d.id)).toEqual([fromDuplicate, ...ids.reverse()]);
    expect(all.items[1]).toMatchObject({
      patientId: anita.id,
      patientName: 'Anita Devi',
      supplyKind: 'outpatient',
      storeId,
      lines: [expect.objectContaining({ itemId, itemName: expect.stringMatching(/^Drug \d+ 200 mg$/), quantity: 1, returnedQuantity: 0, gstRateBp: 500, expiry: clock.inDays(300) })],
    });
    const first = await page(`patientId=${anita.id}&limit=4`);
    const second = await page(`patientId=${anita.id}&limit=4&offset=4`);
    expect([first.items.length, first.nextOffset, second.items.length, second.nextOffset]).toEqual([4, 4, 2, null]);
    expect([...first.items, ...second.items].map((d: { id: string }) => d.id)).toEqual(all.items.map((d: { id: string }) => d.id));
  });

  it('lists an admission’s dispenses and gets one by id, with its prescription', async () => {
    const { storeId, itemId } = await stocked(20, 'H');
    const patient = await feed.registerPatient(branch, 'Kavita Joshi');
    const stay = await feed.admit(branch, patient);
    const first = await dispense({ storeId, supplyKind: 'inpatient', patientId: patient.id, admissionId: stay.id, prescription: { ...RX, prescribedOn: clock.today() }, lines: [{ itemId, quantity: 3 }] });
    await dispense({ storeId, supplyKind: 'outpatient', patientId: patient.id, prescription: RX, lines: [{ itemId, quantity: 1 }] });
    const listed = ok(await h.http.get(`${P}/dispenses?admissionId=${stay.id}`, { token: admin }), 200).body;
    expect(listed.items.map((d: { id: string }) => d.id)).toEqual([first.id]);
    const both = ok(await h.http.get(`${P}/dispenses?admissionId=${stay.id}&patientId=${patient.id}`, { token: admin }), 200).body;
    expect(both.items.map((d: { id: string }) => d.id)).toEqual([first.id]);

    const one = ok(await h.http.get(`${P}/dispenses/${first.id}`, { token: admin }), 200).body;
    expect(one).toMatchObject({
      id: first.id,
      supplyKind: 'inpatient',
      patientId: patient.id,
      patientName: 'Kavita Joshi',
      admissionId: stay.id,
      prescription: { prescriberName: RX.prescriberName, prescriberRegistrationNumber: RX.prescriberRegistrationNumber, prescriberAddress: RX.prescriberAddress, prescribedOn: clock.today() },
      lines: [expect.objectContaining({ itemId, quantity: 3 })],
    });
    // A return shows on the dispense.
    ok(await h.http.post(`${P}/dispenses/${first.id}/returns`, { lines: [{ batchId: one.lines[0].batchId, quantity: 1 }] }, { token: admin }), 201);
    expect(ok(await h.http.get(`${P}/dispenses/${first.id}`, { token: admin }), 200).body.lines[0].returnedQuantity).toBe(1);
  });

  it('refuses a list without a patient or admission, bad ids and paging; another branch sees nothing; needs pharmacy:read', async () => {
    const { storeId, itemId } = await stocked(5);
    const patient = await feed.registerPatient(branch);
    const d = await dispense({ storeId, supplyKind: 'otc', patientId: patient.id, lines: [{ itemId, quantity: 1 }] });
    for (const query of ['', 'patientId=', 'patientId=UHID0001', 'admissionId=1', `patientId=${patient.id}&limit=101`, `patientId=${patient.id}&offset=-1`]) {
      expectProblem(await h.http.get(`${P}/dispenses?${query}`, { token: admin }), 400);
    }
    expectProblem(await h.http.get(`${P}/dispenses/not-an-id`, { token: admin }), 400);
    const missing = await h.http.get(`${P}/dispenses/01930000-0000-7000-8000-0000000000d9`, { token: admin });
    expectProblem(missing, 404);
    expect(missing.body.code).toBe('dispense-not-found');
    expect(ok(await h.http.get(`${P}/dispenses?patientId=${patient.id}`, { token: otherAdmin }), 200).body.items).toEqual([]);
    expectProblem(await h.http.get(`${P}/dispenses/${d.id}`, { token: otherAdmin }), 404);
    const frontDesk = await h.identity.token({ branches: [{ branch, role: 'front-desk' }] });
    expectProblem(await h.http.get(`${P}/dispenses?patientId=${patient.id}`, { token: frontDesk }), 403);
    expectProblem(await h.http.get(`${P}/dispenses/${d.id}`, { token: frontDesk }), 403);
    const nurse = await h.identity.token({ branches: [{ branch, role: 'nurse' }] });
    expect(ok(await h.http.get(`${P}/dispenses/${d.id}`, { token: nurse }), 200).body.id).toBe(d.id);
  });
});

describe('goods receipts (issue 7, item 18)', () => {
  it('lists receipts newest first with their batches, by store, supplier and days received', async () => {
    const a = await stocked(10);
    const b = await stocked(20, 'NONE', { supplier: 1 });
    const list = async (query: string) => ok(await h.http.get(`${P}/goods-receipts?${query}`, { token: admin }), 200).body;
    const byStore = await list(`storeId=${a.storeId}`);
    expect(byStore).toMatchObject({ offset: 0, nextOffset: null });
    expect(byStore.items).toEqual([
      expect.objectContaining({
        id: a.receiptId,
        storeId: a.storeId,
        supplierId: suppliers[0],
        supplierGstin: '27AAPFU0939F1ZV',
        invoiceDate: clock.today(),
        receivedOn: clock.today(),
        lines: [expect.objectContaining({ itemId: a.itemId, quantity: 10, freeQuantity: 2, expiry: clock.inDays(300) })],
      }),
    ]);
    expect((await list(`supplierId=${suppliers[1]}&limit=100`)).items.map((r: { id: string }) => r.id)).toEqual([b.receiptId]);
    const today = await list(`from=${clock.today()}&to=${clock.today()}&limit=100`);
    expect(today.items.map((r: { id: string }) => r.id).slice(0, 2)).toEqual([b.receiptId, a.receiptId]);
    expect((await list(`from=${clock.inDays(1)}`)).items).toEqual([]);
    expect((await list(`to=${clock.inDays(-1)}`)).items).toEqual([]);
    const paged = await list('limit=1');
    expect([paged.items.length, paged.nextOffset]).toEqual([1, 1]);
    for (const query of [`from=${clock.inDays(1)}&to=${clock.today()}`, 'storeId=x', 'supplierId=1', 'from=2026-02-30', 'limit=0']) {
      expectProblem(await h.http.get(`${P}/goods-receipts?${query}`, { token: admin }), 400);
    }
    expect(ok(await h.http.get(`${P}/goods-receipts`, { token: otherAdmin }), 200).body.items).toEqual([]);
    expectProblem(await h.http.get(`${P}/goods-receipts`, { token: await h.identity.token({ branches: [{ branch, role: 'auditor' }] }) }), 403);
  });
});

describe('the H1 register as CSV (issue 7, item 18)', () => {
  it('exports the register with the patient id of each supply, fields escaped and formulas defused', async () => {
    const { storeId, itemId } = await stocked(20, 'H1');
    const anita = await feed.registerPatient(branch, 'Anita Devi');
    const registered = await dispense({ storeId, supplyKind: 'outpatient', patientId: anita.id, prescription: { ...RX, prescriberAddress: 'Clinic 4, "Shanti" Complex, Pune' }, lines: [{ itemId, quantity: 2 }] });
    const walkIn = await dispense({ storeId, supplyKind: 'otc', patientName: '=HYPERLINK("http://evil.example","Click")', prescription: RX, lines: [{ itemId, quantity: 1 }] });
    const day = clock.today();

    const csv = ok(await h.http.get(`${P}/h1-register.csv?from=${day}&to=${day}`, { token: admin }), 200);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(csv.headers.get('content-disposition')).toBe(`attachment; filename="h1-register-${day}-${day}.csv"`);
    expect(csv.headers.get('cache-control')).toBe('no-store');
    const lines = csv.text.split('\r\n');
    expect(lines[0]).toBe('suppliedOn,suppliedAt,dispenseId,patientId,patientName,prescriberName,prescriberRegistrationNumber,prescriberAddress,drugName,batchNo,quantity,pharmacistId');
    const mine = lines.filter((l) => l.includes(registered.id) || l.includes(walkIn.id));
    expect(mine).toHaveLength(2);
    expect(mine[0]).toContain(`,${registered.id},${anita.id},Anita Devi,Dr. Meera Rao,MMC-2011-12345,"Clinic 4, ""Shanti"" Complex, Pune",`);
    expect(mine[0].startsWith(`${day},`)).toBe(true);
    expect(mine[1]).toContain(`,${walkIn.id},,"'=HYPERLINK(""http://evil.example"",""Click"")",`);

    // The same export through ?format=csv; the JSON register carries the patient id too.
    const viaFormat = ok(await h.http.get(`${P}/h1-register?from=${day}&to=${day}&format=csv`, { token: admin }), 200);
    expect(viaFormat.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(viaFormat.text).toBe(csv.text);
    const json = ok(await h.http.get(`${P}/h1-register?from=${day}&to=${day}&limit=100`, { token: admin }), 200).body.items as { dispenseId: string; patientId: string | null }[];
    expect(json.find((e) => e.dispenseId === registered.id)?.patientId).toBe(anita.id);
    expect(json.find((e) => e.dispenseId === walkIn.id)?.patientId).toBeNull();
    expect(ok(await h.http.get(`${P}/h1-register?from=${day}&to=${day}&format=json`, { token: admin }), 200).headers.get('content-type')).toMatch(/json/);
  });

  it('refuses a bad period or format, needs pharmacy:read, and shows another branch nothing', async () => {
    const day = clock.today();
    for (const query of ['', `from=${day}`, `to=${day}`, `from=${clock.inDays(1)}&to=${day}`, `from=${day}&to=2026-02-30`]) {
      expectProblem(await h.http.get(`${P}/h1-register.csv?${query}`, { token: admin }), 400);
    }
    expectProblem(await h.http.get(`${P}/h1-register?from=${day}&to=${day}&format=xlsx`, { token: admin }), 400);
    expectProblem(await h.http.get(`${P}/h1-register.csv?from=${day}&to=${day}`, { token: await h.identity.token({ branches: [{ branch, role: 'auditor' }] }) }), 403);
    const theirs = ok(await h.http.get(`${P}/h1-register.csv?from=${day}&to=${day}`, { token: otherAdmin }), 200);
    expect(theirs.text.split('\r\n').filter(Boolean)).toHaveLength(1);
  });
});

describe('the OpenAPI document (issue 7, item 18)', () => {
  it('documents every new operation with its responses and problems', async () => {
    const doc = h.service.openApi as unknown as { paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, unknown> }> }>> };
    const operations: [string, string, string[]][] = [
      ['/api/v1/pharmacy/dispenses', 'get', ['200', '400', '403']],
      ['/api/v1/pharmacy/dispenses/{id}', 'get', ['200', '404']],
      ['/api/v1/pharmacy/goods-receipts', 'get', ['200', '400']],
      ['/api/v1/pharmacy/items/{id}', 'patch', ['200', '412', '428']],
      ['/api/v1/pharmacy/stores/{id}', 'patch', ['200', '409', '412']],
      ['/api/v1/pharmacy/suppliers/{id}', 'patch', ['200', '412']],
      ['/api/v1/pharmacy/h1-register.csv', 'get', ['200', '400']],
    ];
    for (const [path, method, statuses] of operations) {
      const operation = doc.paths[path]?.[method];
      expect([path, method, Object.keys(operation?.responses ?? {})]).toEqual([path, method, expect.arrayContaining(statuses)]);
      const problem = Object.entries(operation.responses).find(([status]) => status.startsWith('4'));
      expect(problem?.[1].content).toHaveProperty(['application/problem+json']);
    }
  });
});
