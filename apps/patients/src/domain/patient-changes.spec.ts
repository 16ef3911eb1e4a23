import { changedFieldsOf, changesOf, namedFields, refusedAfterDeath } from './patient-changes';

describe('a PATCH as a change of the record', () => {
  it('names the fields sent, a null included (it clears), not those left out', () => {
    expect(namedFields({ name: 'A B', phone: null, givenName: undefined })).toEqual(['name', 'phone']);
  });

  it('a deceased record refuses all but the medico-legal fields', () => {
    expect(refusedAfterDeath(['name', 'medicoLegal', 'mlcNumber', 'policeStation', 'phone'])).toEqual(['name', 'phone']);
  });

  it('writes only what the change gives, keeps the warnings (less a superseded ABHA warning) and adds new ones', () => {
    const current = { warnings: [{ code: 'abha-check-digit', message: 'old' }, { code: 'other', message: 'kept' }] };
    const fresh = [{ code: 'abha-check-digit', message: 'new' }];
    expect(changesOf({ name: 'A B', phone: null }, current, {}, [])).toEqual({ name: 'A B', phone: null, warnings: current.warnings });
    expect(changesOf({ abhaNumber: '91377205864664' }, current, { abhaNumber: '91-3772-0586-4664' }, fresh)).toEqual({
      abhaNumber: '91377205864664',
      warnings: [{ code: 'other', message: 'kept' }, ...fresh],
    });
  });

  it('clearing the medico-legal flag clears the case details, and the event names them', () => {
    const fields = { medicoLegal: false };
    expect(changesOf(fields, { warnings: [] }, {}, [])).toEqual({ medicoLegal: false, mlcNumber: null, policeStation: null, warnings: [] });
    expect(changedFieldsOf(['medicoLegal'], fields).sort()).toEqual(['medicoLegal', 'mlcNumber', 'policeStation']);
  });

  it('an age in an event is the date of birth it set', () => {
    expect(changedFieldsOf(['ageMonths', 'name'], { dateOfBirth: '2025-01-01', name: 'A B' })).toEqual(['dateOfBirth', 'name']);
  });
});
