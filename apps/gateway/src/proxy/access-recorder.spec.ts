import { patientIdsIn, patientIdsInCsv } from './access-recorder';

const P1 = '01a20000-0000-7000-8000-000000000001';
const P2 = '01a20000-0000-7000-8000-000000000002';

describe('patientIdsIn', () => {
  it('finds a patient read by id, and a search result list', () => {
    expect(patientIdsIn('patients', `/api/v1/patients/${P1}`, { id: P1, name: 'x' })).toEqual({ ids: [P1], search: false });
    expect(patientIdsIn('patients', '/api/v1/patients', { items: [{ id: P1 }, { id: P2 }] })).toEqual({ ids: [P1, P2], search: true });
  });
  it('finds patients nested in other services’ answers: a bed board, a FHIR Encounter', () => {
    const board = { wards: [{ beds: [{ admission: { patientId: P1 } }, { admission: null }, { admission: { patientId: P2 } }] }] };
    expect(patientIdsIn('wards', '/api/v1/wards/bed-board', board).ids.sort()).toEqual([P1, P2]);
    const encounter = { resourceType: 'Encounter', subject: { reference: `Patient/${P1}` } };
    expect(patientIdsIn('wards', '/api/v1/wards/admissions/x/fhir', encounter).ids).toEqual([P1]);
  });
  it('finds nothing in an answer without patients', () => {
    expect(patientIdsIn('wards', '/api/v1/wards/wards', { items: [{ id: P1, code: 'W1' }] })).toEqual({ ids: [], search: true });
  });
});

describe('patientIdsInCsv', () => {
  it('reads the patientId column only, whatever the other cells hold', () => {
    const other = '01a20000-0000-7000-8000-0000000000cc';
    const csv = [
      'dispenseId,supplied,patientId,patientName,drug',
      `${other},2026-11-30,${P1},"Rao, Meera","Tab ""X"" 5 mg"`,
      `${other},2026-11-30,${P2},"line one\nline two",Y`,
      '',
    ].join('\r\n');
    expect(patientIdsInCsv(csv)).toEqual({ ids: [P1, P2], search: true });
    expect(patientIdsInCsv('a,b\n1,2')).toEqual({ ids: [], search: true });
  });
});

