import { DomainError } from '@hms/contracts-common';
import { CLEARABLE_FIELDS, REQUIRED_FIELDS, checkRecordRules, normaliseFields, type RawFields } from './patient-input';

const today = new Date('2025-08-14T06:00:00Z'); // 14 Aug 2025 in India

function fieldsOfError(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    if (error instanceof DomainError && error.kind === 'validation') return error.errors.map((e) => e.field);
    throw error;
  }
  return [];
}

describe('normaliseFields: null in a change', () => {
  it.each(REQUIRED_FIELDS)('refuses null for the required field %s, naming it', (field) => {
    expect(fieldsOfError(() => normaliseFields({ [field]: null } as RawFields, today, 'update'))).toEqual([field]);
  });

  it('in a registration a null is an absent field, as it always was', () => {
    const { fields } = normaliseFields({ name: 'Ravi Kumar', sex: 'M', dateOfBirth: null, ageYears: 40, medicoLegal: null }, today, 'create');
    expect(fields).toMatchObject({ dateOfBirth: '1985-01-01', dateOfBirthEstimated: true });
    expect(fields.medicoLegal).toBeUndefined();
  });

  it.each(CLEARABLE_FIELDS)('clears the optional field %s with null', (field) => {
    const { fields } = normaliseFields({ [field]: null } as RawFields, today, 'update');
    expect(fields).toEqual({ [field]: null });
  });
});

describe('normaliseFields: person names, ABHA, ages', () => {
  it.each<[string, RawFields, string]>([
    ['a blank name', { name: '  ' }, 'name'],
    ['a name with U+202E', { name: 'Ravi\u202eKumar' }, 'name'],
    ['a blank given name', { givenName: ' ' }, 'givenName'],
    ['a family name with U+2069', { familyName: 'Das\u2069' }, 'familyName'],
    ['a blank emergency contact name', { emergencyContact: { name: '\t', phone: '+919812300009' } }, 'emergencyContact.name'],
    ['a guardian named with U+2066', { guardian: { name: '\u2066Sunita', relation: 'mother', phone: '+919812300010' } }, 'guardian.name'],
    ['a blank guardian relation', { guardian: { name: 'Sunita', relation: ' ', phone: '+919812300010' } }, 'guardian.relation'],
    ['an empty ABHA number', { abhaNumber: '' }, 'abhaNumber'],
    ['an empty ABHA address', { abhaAddress: ' ' }, 'abhaAddress'],
    ['ageYears 0', { ageYears: 0 }, 'ageYears'],
    ['ageMonths 24', { ageMonths: 24 }, 'ageMonths'],
    ['ageDays 400', { ageDays: 400 }, 'ageDays'],
    ['two ways of giving the age', { ageYears: 3, ageMonths: 3 }, 'ageMonths'],
    ['a blank MLC number', { mlcNumber: ' ' }, 'mlcNumber'],
  ])('refuses %s, naming the field', (_label, raw, field) => {
    expect(fieldsOfError(() => normaliseFields(raw, today, 'update'))).toEqual([field]);
  });

  it.each<[RawFields, string]>([
    [{ ageYears: 1 }, '2024-01-01'],
    [{ ageMonths: 7 }, '2025-01-01'],
    [{ ageDays: 14 }, '2025-07-31'],
  ])('estimates %o as %s, marked estimated', (raw, dateOfBirth) => {
    expect(normaliseFields(raw, today, 'update').fields).toMatchObject({ dateOfBirth, dateOfBirthEstimated: true });
  });
});

describe('checkRecordRules', () => {
  const guardian = { name: 'Sunita', relation: 'mother', phone: '+919812300010' };
  it.each<[string, { dateOfBirth: string | null; medicoLegal: boolean }, object, string[]]>([
    ['a guardian for a 17-year-old', { dateOfBirth: '2007-08-15', medicoLegal: false }, { guardian }, []],
    ['a guardian for an 18-year-old', { dateOfBirth: '2007-08-14', medicoLegal: false }, { guardian }, ['guardian']],
    ['clearing an adult\'s guardian', { dateOfBirth: '1980-01-01', medicoLegal: false }, { guardian: null }, []],
    ['an MLC number on a case', { dateOfBirth: null, medicoLegal: true }, { mlcNumber: 'MLC/1' }, []],
    ['an MLC number without the flag', { dateOfBirth: null, medicoLegal: false }, { mlcNumber: 'MLC/1' }, ['mlcNumber']],
    ['a police station without the flag', { dateOfBirth: null, medicoLegal: false }, { policeStation: 'Deccan PS' }, ['policeStation']],
    ['clearing the details without the flag', { dateOfBirth: null, medicoLegal: false }, { mlcNumber: null, policeStation: null }, []],
  ])('%s', (_label, after, fields, errors) => {
    expect(fieldsOfError(() => checkRecordRules(after, fields, today))).toEqual(errors);
  });
});
