import { BUILT_IN_ROLES } from '@hms/contracts-common';
import type { PatientUpdatedData } from '@hms/contracts-patients';
import type { ServiceHarness } from '@hms/platform-service-testing';
import { TestIdentity, aPatient, expectProblem, expectStatus, type PatientBuilder, type TestBranch, type TestResponse } from '@hms/platform-testing';
import { registerPatient, snapshot as snapshotOf, startPatients, tokenFor, type Snapshot } from './support';

/**
 * Issue 7 items 18, 10 and 9 (the patients parts): date of death and inactive status, a guardian
 * for minors, infants' ages in months and days, the medico-legal flag; person names and ABHA
 * fields that must be refused; nulls and impossible dates in a PATCH. The service runs on a
 * clock the test sets, so ages and "the future" do not depend on when the test runs.
 */
const clock = {
  at: new Date('2025-08-14T06:00:00Z'), // 14 Aug 2025, 11:30 in India
  now(): Date {
    return this.at;
  },
};

let h: ServiceHarness;
let branch: TestBranch;
let admin: string;
let frontDesk: string;
let recordsOfficer: string;

beforeAll(async () => {
  h = await startPatients(__filename, { clock });
  branch = TestIdentity.branch('REC');
  admin = await tokenFor(h, branch);
  frontDesk = await tokenFor(h, branch, 'front-desk', { userId: 'desk-1', name: 'Desk One' });
  recordsOfficer = await tokenFor(h, branch, 'records-officer');
});
afterEach(() => {
  clock.at = new Date('2025-08-14T06:00:00Z');
});
afterAll(() => h?.stop());

/** Everything a request could have written: the patients table and the outbox. */
const snapshot = (): Promise<Snapshot> => snapshotOf(h);

/**
 * A registration body with fields the shared builder does not know yet (ages in months or days,
 * guardian, medico-legal case). An age replaces the builder's date of birth.
 */
function body(builder: PatientBuilder, extra: Record<string, unknown>): Record<string, unknown> {
  const base: Record<string, unknown> = { ...builder.build() };
  if (['ageYears', 'ageMonths', 'ageDays'].some((k) => k in extra)) delete base.dateOfBirth;
  return { ...base, ...extra };
}

const register = (body: object, token = admin) => registerPatient(h, body, token);

const patch = (id: string, version: number, body: unknown, token = admin) => h.http.patch(`/api/v1/patients/${id}`, body, { token, headers: { 'if-match': `"${version}"` } });
const recordDeath = (id: string, version: number, body: unknown, token = admin) =>
  h.http.post(`/api/v1/patients/${id}/death`, body, { token, headers: { 'if-match': `"${version}"` } });
const withdrawDeath = (id: string, version: number, body: unknown, token = recordsOfficer) =>
  h.http.post(`/api/v1/patients/${id}/death/withdrawal`, body, { token, headers: { 'if-match': `"${version}"` } });

function expectFieldError(r: TestResponse, status: number, field: string): void {
  expectProblem(r, status);
  const fields = ((r.body.errors ?? []) as { field: string }[]).map((e) => e.field);
  if (!fields.includes(field)) throw new Error(`expected an error naming ${field}, got ${JSON.stringify(r.body)}`);
}

async function lastEvent(patientId: string): Promise<PatientUpdatedData & Record<string, unknown>> {
  const rows = await h.db.admin<{ data: PatientUpdatedData & Record<string, unknown> }>(
    `SELECT envelope->'data' AS data FROM patients.outbox WHERE key = $1 ORDER BY seq DESC LIMIT 1`,
    [patientId],
  );
  return rows[0].data;
}

describe('item 18: date of death and inactive status', () => {
  it('recording a death makes the record deceased and inactive, with the date, when and by whom; the event carries it', async () => {
    const p = await register(aPatient().born('1950-03-01').build());
    expect(p).toMatchObject({ deceased: false, active: true, dateOfDeath: null, deathRecordedBy: null });
    clock.at = new Date('2025-08-14T09:15:00Z');
    const r = expectStatus(await recordDeath(p.id, p.version, { dateOfDeath: '2025-08-13' }, frontDesk), 200);
    expect(r.headers.get('etag')).toBe(`"${p.version + 1}"`);
    expect(r.body).toMatchObject({
      deceased: true,
      active: false,
      status: 'active',
      dateOfDeath: '2025-08-13',
      deathRecordedAt: '2025-08-14T09:15:00.000Z',
      deathRecordedBy: { id: 'desk-1', name: 'Desk One' },
      ageYears: 75, // at death
    });
    expect((await h.http.get(`/api/v1/patients/${p.id}`, { token: admin })).body).toMatchObject({ deceased: true, active: false, dateOfDeath: '2025-08-13' });
    expect(await lastEvent(p.id)).toMatchObject({ deceased: true, active: false, dateOfDeath: '2025-08-13', changedFields: ['dateOfDeath'], status: 'active' });
  });

  it('a deceased record refuses edits (409 patient-deceased) but to the medico-legal case, and a second death', async () => {
    const p = await register(aPatient().born('1960-01-01').build());
    const dead = expectStatus(await recordDeath(p.id, p.version, { dateOfDeath: '2025-08-01' }), 200).body;
    const before = await snapshot();
    for (const body of [{ name: 'Someone Else' }, { phone: null }, { ageYears: 40 }, { name: 'X Y', medicoLegal: true }]) {
      const r = await patch(p.id, dead.version, body);
      expectProblem(r, 409);
      expect(r.body.code).toBe('patient-deceased');
    }
    const again = await recordDeath(p.id, dead.version, { dateOfDeath: '2025-08-02' });
    expectProblem(again, 409);
    expect(again.body.code).toBe('patient-deceased');
    expect(await snapshot()).toEqual(before);
    // Brought dead: the police case is often opened after death.
    const mlc = expectStatus(await patch(p.id, dead.version, { medicoLegal: true, mlcNumber: 'MLC/2025/17', policeStation: 'Deccan PS' }), 200).body;
    expect(mlc).toMatchObject({ deceased: true, medicoLegal: true, mlcNumber: 'MLC/2025/17', policeStation: 'Deccan PS' });
  });

  it('only a records officer withdraws a death recorded in error; the record is active again and the reason is in the event', async () => {
    const p = await register(aPatient().born('1970-01-01').build());
    const dead = expectStatus(await recordDeath(p.id, p.version, { dateOfDeath: '2025-08-10' }), 200).body;
    expectProblem(await withdrawDeath(p.id, dead.version, { reason: 'wrong patient' }, frontDesk), 403);
    expectFieldError(await withdrawDeath(p.id, dead.version, { reason: '   ' }), 400, 'reason');
    expectProblem(await withdrawDeath(p.id, dead.version - 1, { reason: 'wrong patient' }), 412);
    const alive = expectStatus(await withdrawDeath(p.id, dead.version, { reason: 'Recorded on the wrong patient' }), 200).body;
    expect(alive).toMatchObject({ deceased: false, active: true, dateOfDeath: null, deathRecordedAt: null, deathRecordedBy: null, version: dead.version + 1 });
    expect(await lastEvent(p.id)).toMatchObject({ deceased: false, active: true, dateOfDeath: null, changedFields: ['dateOfDeath'], reason: 'Recorded on the wrong patient' });
    const notDead = await withdrawDeath(p.id, alive.version, { reason: 'again' });
    expectProblem(notDead, 409);
    expect(notDead.body.code).toBe('patient-not-deceased');
    expect(expectStatus(await patch(p.id, alive.version, { name: 'Editable Again' }), 200).body.name).toBe('Editable Again');
  });

  it.each([
    ['in the future (by the Indian date)', '2025-08-15'],
    ['before the date of birth', '1979-12-31'],
    ['an impossible date', '2025-02-29'],
    ['the year 0', '0000-01-01'],
    ['before 1900', '1899-12-31'],
    ['not a date', '13/08/2025'],
    ['a timestamp', '2025-08-13T10:00:00Z'],
  ])('refuses a date of death %s with a 400 naming dateOfDeath, writing nothing', async (_label, dateOfDeath) => {
    const p = await register(aPatient().born('1980-01-01').build());
    const before = await snapshot();
    expectFieldError(await recordDeath(p.id, p.version, { dateOfDeath }), 400, 'dateOfDeath');
    expect(await snapshot()).toEqual(before);
  });

  it('a merge keeps the death: the survivor of a deceased duplicate is deceased', async () => {
    const survivor = await register(aPatient().named('Gopal Rao').born('1940-02-02').build());
    const dup = await register(aPatient().named('Gopal Rao').born('1940-02-02').confirmed().build());
    expectStatus(await recordDeath(dup.id, dup.version, { dateOfDeath: '2025-07-30' }), 200);
    const merged = expectStatus(await h.http.post(`/api/v1/patients/${survivor.id}/merge`, { mergedPatientId: dup.id }, { token: recordsOfficer }), 200).body;
    expect(merged).toMatchObject({ deceased: true, dateOfDeath: '2025-07-30', active: false });
  });
});

describe('item 18: infants', () => {
  it('ageMonths estimates the 1st of the month that many months ago (from the injected clock), marked estimated, and the age shows in months', async () => {
    const p = await register(body(aPatient(), { ageMonths: 7 }));
    expect(p).toMatchObject({ dateOfBirth: '2025-01-01', dateOfBirthEstimated: true, ageYears: 0, age: { value: 7, unit: 'months', text: '7 months' } });
    clock.at = new Date('2025-08-31T12:00:00Z');
    expect((await h.http.get(`/api/v1/patients/${p.id}`, { token: admin })).body.age).toEqual({ value: 7, unit: 'months', text: '7 months' });
    clock.at = new Date('2027-01-01T06:00:00Z');
    expect((await h.http.get(`/api/v1/patients/${p.id}`, { token: admin })).body.age).toEqual({ value: 2, unit: 'years', text: '2 years' });
  });

  it('ageDays estimates today minus that many days in India, and the age shows in days', async () => {
    clock.at = new Date('2025-08-14T20:00:00Z'); // already 15 Aug in India
    const p = await register(body(aPatient(), { ageDays: 12 }));
    expect(p).toMatchObject({ dateOfBirth: '2025-08-03', dateOfBirthEstimated: true, age: { value: 12, unit: 'days', text: '12 days' } });
    const newborn = await register(body(aPatient(), { ageDays: 0 }));
    expect(newborn).toMatchObject({ dateOfBirth: '2025-08-15', age: { value: 0, unit: 'days', text: '0 days' } });
  });

  it('a PATCH can give the age in months too; it is marked estimated and the event names dateOfBirth', async () => {
    const p = await register(body(aPatient(), { ageDays: 20 }));
    const r = expectStatus(await patch(p.id, p.version, { ageMonths: 2 }), 200).body;
    expect(r).toMatchObject({ dateOfBirth: '2025-06-01', dateOfBirthEstimated: true, age: { value: 2, unit: 'months' } });
    expect((await lastEvent(p.id)).changedFields).toEqual(['dateOfBirth']);
  });

  it.each([
    ['ageYears 0 (it would be estimated as 1 January)', { ageYears: 0 }, 'ageYears'],
    ['ageMonths 0', { ageMonths: 0 }, 'ageMonths'],
    ['ageMonths 24', { ageMonths: 24 }, 'ageMonths'],
    ['ageDays 366', { ageDays: 366 }, 'ageDays'],
    ['ageDays -1', { ageDays: -1 }, 'ageDays'],
    ['ageMonths 1.5', { ageMonths: 1.5 }, 'ageMonths'],
    ['ageMonths and ageDays together', { ageMonths: 3, ageDays: 10 }, 'ageDays'],
    ['dateOfBirth and ageMonths together', { dateOfBirth: '2025-01-01', ageMonths: 3 }, 'ageMonths'],
  ])('refuses %s with a 400 naming the field, writing nothing', async (_label, age, field) => {
    const before = await snapshot();
    expectFieldError(await h.http.post('/api/v1/patients', body(aPatient(), age), { token: admin }), 400, field);
    expect(await snapshot()).toEqual(before);
  });
});

describe('item 18: guardian for minors', () => {
  const guardian = { name: 'Sunita Patel', relation: 'mother', phone: '98123 00010' };

  it('is recorded for a patient under 18, shown on the record and carried in the event', async () => {
    const p = await register(body(aPatient().born('2012-05-05'), { guardian }));
    expect(p.guardian).toEqual({ name: 'Sunita Patel', relation: 'mother', phone: '+919812300010' });
    expect((await h.http.get(`/api/v1/patients/${p.id}`, { token: admin })).body.guardian).toEqual(p.guardian);
    expect(await lastEvent(p.id)).toMatchObject({ guardian: p.guardian });
    const infant = await register(body(aPatient(), { ageMonths: 4, guardian: { ...guardian, relation: 'father', name: 'Raj Patel' } }));
    expect(infant.guardian).toMatchObject({ relation: 'father' });
  });

  it('is refused for an adult, at registration and in a PATCH, with a message naming guardian; null clears it', async () => {
    const before = await snapshot();
    const r = await h.http.post('/api/v1/patients', body(aPatient().born('2007-08-14'), { guardian }), { token: admin }); // 18 today
    expectFieldError(r, 400, 'guardian');
    expect(r.body.detail).toMatch(/under 18.*emergencyContact/);
    expect(await snapshot()).toEqual(before);
    const adult = await register(aPatient().born('1990-01-01').build());
    expectFieldError(await patch(adult.id, adult.version, { guardian }), 400, 'guardian');
    const child = await register(body(aPatient().born('2015-01-01'), { guardian }));
    // Corrected to an adult's date of birth together with a guardian: refused; then cleared.
    expectFieldError(await patch(child.id, child.version, { dateOfBirth: '1990-01-01', guardian }), 400, 'guardian');
    expect(expectStatus(await patch(child.id, child.version, { guardian: null }), 200).body.guardian).toBeNull();
  });

  it.each([
    ['a blank name', 'guardian.name', { ...guardian, name: '  ' }],
    ['a name with a bidirectional override', 'guardian.name', { ...guardian, name: 'Sunita\u202e Patel' }],
    ['a blank relation', 'guardian.relation', { ...guardian, relation: ' ' }],
    ['a landline', 'guardian.phone', { ...guardian, phone: '020-2612-3456' }],
    ['no phone', 'guardian.phone', { name: 'Sunita Patel', relation: 'mother' }],
  ])('refuses a guardian with %s, naming %s', async (_label, field, g) => {
    const before = await snapshot();
    expectFieldError(await h.http.post('/api/v1/patients', body(aPatient().born('2015-01-01'), { guardian: g }), { token: admin }), 400, field);
    expect(await snapshot()).toEqual(before);
  });
});

describe('item 18: medico-legal case', () => {
  it('flags a case with its MLC number and police station, shown on the record and in the event', async () => {
    const p = await register(body(aPatient(), { medicoLegal: true, mlcNumber: ' MLC/2025/0142 ', policeStation: 'Shivajinagar Police Station' }));
    expect(p).toMatchObject({ medicoLegal: true, mlcNumber: 'MLC/2025/0142', policeStation: 'Shivajinagar Police Station' });
    expect(await lastEvent(p.id)).toMatchObject({ medicoLegal: true, mlcNumber: 'MLC/2025/0142', policeStation: 'Shivajinagar Police Station' });
    const plain = await register(aPatient().build());
    expect(plain).toMatchObject({ medicoLegal: false, mlcNumber: null, policeStation: null });
  });

  it('refuses MLC details without the flag, naming the field', async () => {
    const before = await snapshot();
    expectFieldError(await h.http.post('/api/v1/patients', body(aPatient(), { mlcNumber: 'MLC/1' }), { token: admin }), 400, 'mlcNumber');
    expectFieldError(await h.http.post('/api/v1/patients', body(aPatient(), { medicoLegal: false, policeStation: 'Deccan PS' }), { token: admin }), 400, 'policeStation');
    expectFieldError(await h.http.post('/api/v1/patients', body(aPatient(), { medicoLegal: true, mlcNumber: '  ' }), { token: admin }), 400, 'mlcNumber');
    expect(await snapshot()).toEqual(before);
  });

  it('a case can be flagged later; clearing the flag clears its details and needs a records officer', async () => {
    const p = await register(aPatient().build(), frontDesk);
    const flagged = expectStatus(await patch(p.id, p.version, { medicoLegal: true, mlcNumber: 'MLC/9' }, frontDesk), 200).body;
    expect(flagged).toMatchObject({ medicoLegal: true, mlcNumber: 'MLC/9', policeStation: null });
    const denied = await patch(p.id, flagged.version, { medicoLegal: false }, frontDesk);
    expectProblem(denied, 403);
    expect(denied.body.code).toBe('patient-mlc-clear-forbidden');
    const cleared = expectStatus(await patch(p.id, flagged.version, { medicoLegal: false }, recordsOfficer), 200).body;
    expect(cleared).toMatchObject({ medicoLegal: false, mlcNumber: null, policeStation: null });
    expect((await lastEvent(p.id)).changedFields.sort()).toEqual(['medicoLegal', 'mlcNumber', 'policeStation']);
  });
});

describe('item 18: documented in the OpenAPI document', () => {
  it('describes the new fields and operations', () => {
    const doc = h.service.openApi;
    const schemas = doc.components?.schemas as Record<string, { properties?: Record<string, unknown> }>;
    for (const field of ['ageMonths', 'ageDays', 'guardian', 'medicoLegal', 'mlcNumber', 'policeStation']) {
      expect(Object.keys(schemas.RegisterPatientDto.properties ?? {})).toContain(field);
      expect(Object.keys(schemas.UpdatePatientDto.properties ?? {})).toContain(field);
    }
    for (const field of ['deceased', 'active', 'dateOfDeath', 'deathRecordedAt', 'deathRecordedBy', 'guardian', 'age', 'medicoLegal', 'mlcNumber', 'policeStation']) {
      expect(Object.keys(schemas.PatientRecordDto.properties ?? {})).toContain(field);
    }
    expect(Object.keys(schemas.RecordDeathDto.properties ?? {})).toEqual(['dateOfDeath']);
    expect(doc.paths['/api/v1/patients/{id}/death']?.post).toBeDefined();
    expect(doc.paths['/api/v1/patients/{id}/death/withdrawal']?.post).toBeDefined();
  });
});

describe('item 10: person names and ABHA fields', () => {
  it.each([
    ['a name of only spaces', { name: '   ' }, 'name'],
    ['a name of only a no-break space', { name: '\u00a0' }, 'name'],
    ['a name with a right-to-left override', { name: 'Ravi\u202e Kumar' }, 'name'],
    ['a name with a first-strong isolate', { name: '\u2068Ravi Kumar\u2069' }, 'name'],
    ['a given name of only spaces', { givenName: '  ' }, 'givenName'],
    ['a family name with a left-to-right embedding', { familyName: 'Ku\u202amar' }, 'familyName'],
    ['an emergency contact named with spaces', { emergencyContact: { name: ' ', phone: '+919812300009' } }, 'emergencyContact.name'],
    ['an emergency contact with a pop directional formatting', { emergencyContact: { name: 'Suresh\u202c', phone: '+919812300009' } }, 'emergencyContact.name'],
    ['an empty ABHA number', { abhaNumber: '' }, 'abhaNumber'],
    ['an ABHA number of spaces', { abhaNumber: '   ' }, 'abhaNumber'],
    ['an empty ABHA address', { abhaAddress: '' }, 'abhaAddress'],
  ])('registration refuses %s with a 400 naming the field, writing nothing', async (_label, fields, field) => {
    const before = await snapshot();
    expectFieldError(await h.http.post('/api/v1/patients', { ...aPatient().build(), ...fields }, { token: admin }), 400, field);
    expect(await snapshot()).toEqual(before);
  });

  it('an absent ABHA is fine; in a PATCH an empty one is refused and null clears it', async () => {
    const p = await register(aPatient().withAbha('91-3772-0586-4665').withAbhaAddress('ramprakash_95@sbx').build());
    const before = await snapshot();
    expectFieldError(await patch(p.id, p.version, { abhaNumber: '' }), 400, 'abhaNumber');
    expectFieldError(await patch(p.id, p.version, { abhaAddress: '' }), 400, 'abhaAddress');
    expectFieldError(await patch(p.id, p.version, { name: ' \u2067 ' }), 400, 'name');
    expect(await snapshot()).toEqual(before);
    const cleared = expectStatus(await patch(p.id, p.version, { abhaNumber: null, abhaAddress: null }), 200).body;
    expect(cleared).toMatchObject({ abhaNumber: null, abhaAddress: null });
  });
});

describe('item 9: nulls and impossible dates in a PATCH', () => {
  it.each(['name', 'sex', 'dateOfBirth', 'ageYears', 'ageMonths', 'ageDays', 'medicoLegal'])(
    '{"%s": null} is a 400 naming the field (it is required), writing nothing',
    async (field) => {
      const p = await register(aPatient().build());
      const before = await snapshot();
      const r = await patch(p.id, p.version, { [field]: null });
      expectFieldError(r, 400, field);
      expect(r.body.detail).toContain('cannot be cleared');
      expect(await snapshot()).toEqual(before);
    },
  );

  it('null clears each optional field', async () => {
    const p = await register(
      body(aPatient().born('2015-01-01').withAbha('91-3772-0586-4665').withAbhaAddress('abdulkalam@abdm'), {
        givenName: 'Kavya',
        familyName: 'Menon',
        address: { city: 'Kochi' },
        emergencyContact: { name: 'Suresh Menon', phone: '+919812300009' },
        guardian: { name: 'Suresh Menon', relation: 'father', phone: '+919812300009' },
        medicoLegal: true,
        mlcNumber: 'MLC/3',
        policeStation: 'Kochi PS',
      }),
    );
    const fields = ['givenName', 'familyName', 'phone', 'abhaNumber', 'abhaAddress', 'address', 'emergencyContact', 'guardian', 'mlcNumber', 'policeStation'];
    const r = expectStatus(await patch(p.id, p.version, Object.fromEntries(fields.map((f) => [f, null]))), 200).body;
    for (const f of fields) expect(r[f]).toBeNull();
    expect(r).toMatchObject({ name: p.name, sex: p.sex, dateOfBirth: '2015-01-01', medicoLegal: true });
  });

  it.each([
    ['dateOfBirth', '0000-01-01'],
    ['dateOfBirth', '2023-02-29'],
    ['dateOfBirth', '2025-13-01'],
    ['dateOfBirth', '1899-12-31'],
  ])('registration and PATCH refuse %s %s with a 400 naming it', async (field, value) => {
    const before = await snapshot();
    expectFieldError(await h.http.post('/api/v1/patients', { ...aPatient().build(), [field]: value }, { token: admin }), 400, field);
    const p = await register(aPatient().build());
    const registered = await snapshot();
    expectFieldError(await patch(p.id, p.version, { [field]: value }), 400, field);
    expect(await snapshot()).toEqual(registered);
    expect(registered).not.toEqual(before);
  });
});

describe('access to the new operations', () => {
  it('recording a death needs patients:update; a nurse (read only) gets 403', async () => {
    const nurse = await h.identity.token({ branches: [{ branch, permissions: BUILT_IN_ROLES.nurse }] });
    const p = await register(aPatient().build());
    expectProblem(await recordDeath(p.id, p.version, { dateOfDeath: '2025-08-01' }, nurse), 403);
    expectProblem(await h.http.post(`/api/v1/patients/${p.id}/death`, { dateOfDeath: '2025-08-01' }, { token: admin }), 428);
  });
});
