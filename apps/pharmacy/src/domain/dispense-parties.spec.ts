import { dispensePartyProblem, type KnownAdmission, type KnownPatient } from './dispense-parties';

const ANITA: KnownPatient = { patientId: 'p-anita', uhid: 'PUN00000001', name: 'Anita Devi', status: 'active', survivor: null };
const MERGED: KnownPatient = { patientId: 'p-dup', uhid: 'PUN00000002', name: 'Anita Devi', status: 'merged', survivor: { patientId: 'p-anita', uhid: 'PUN00000001' } };
const MERGED_UNKNOWN_SURVIVOR: KnownPatient = { ...MERGED, survivor: null };
const OPEN: KnownAdmission = { admissionId: 'a-1', ipNumber: 'IP/26-27/000001', status: 'admitted', dischargedAt: null, patientId: 'p-anita' };
const CLOSED: KnownAdmission = { ...OPEN, status: 'discharged', dischargedAt: '2026-11-20T10:00:00.000Z' };
const OTHERS: KnownAdmission = { ...OPEN, patientId: 'p-ravi' };

describe('who a supply is charged to (issue 7, item 12)', () => {
  // [case, asked, patient known, admission known, problem code or null, field]
  const cases: [string, { patientId?: string; admissionId?: string }, KnownPatient | null, KnownAdmission | null, string | null, string | null][] = [
    ['a walk-in names nobody', {}, null, null, null, null],
    ['a registered patient at the counter', { patientId: 'p-anita' }, ANITA, null, null, null],
    ['an in-patient on an open stay of theirs', { patientId: 'p-anita', admissionId: 'a-1' }, ANITA, OPEN, null, null],
    ['an invented patient', { patientId: 'p-nobody' }, null, null, 'patient-unknown', 'patientId'],
    ['an invented patient and admission', { patientId: 'p-nobody', admissionId: 'a-nowhere' }, null, null, 'patient-unknown', 'patientId'],
    ['a merged-away record', { patientId: 'p-dup' }, MERGED, null, 'patient-merged', 'patientId'],
    ['a merged-away record, survivor unknown', { patientId: 'p-dup' }, MERGED_UNKNOWN_SURVIVOR, null, 'patient-merged', 'patientId'],
    ['an invented admission', { patientId: 'p-anita', admissionId: 'a-nowhere' }, ANITA, null, 'admission-unknown', 'admissionId'],
    ['a discharged admission', { patientId: 'p-anita', admissionId: 'a-1' }, ANITA, CLOSED, 'admission-discharged', 'admissionId'],
    ['another patient’s admission', { patientId: 'p-anita', admissionId: 'a-1' }, ANITA, OTHERS, 'admission-of-another-patient', 'admissionId'],
  ];

  it.each(cases)('%s', (_label, asked, patient, admission, code, field) => {
    const problem = dispensePartyProblem(asked, patient, admission);
    expect(problem?.code ?? null).toBe(code);
    expect(problem?.field ?? null).toBe(field);
  });

  it('names the surviving record of a merged-away patient', () => {
    const problem = dispensePartyProblem({ patientId: 'p-dup' }, MERGED, null);
    expect(problem?.detail).toMatch(/merged into UHID PUN00000001 \(patient p-anita\)/);
    expect(problem?.extra).toEqual({ survivorId: 'p-anita', survivorUhid: 'PUN00000001' });
  });

  it('says when a discharged admission was closed', () => {
    expect(dispensePartyProblem({ patientId: 'p-anita', admissionId: 'a-1' }, ANITA, CLOSED)?.detail).toMatch(/IP\/26-27\/000001 was discharged at 2026-11-20T10:00:00.000Z/);
  });
});
