import { survivorAfterMerge, type MergeableRecord } from './merge';

const blank: MergeableRecord = {
  phone: null,
  abhaNumber: null,
  abhaAddress: null,
  address: null,
  emergencyContact: null,
  guardian: null,
  medicoLegal: false,
  mlcNumber: null,
  policeStation: null,
  dateOfDeath: null,
  deathRecordedAt: null,
  deathRecordedBy: null,
  deathRecordedByName: null,
};

describe('survivorAfterMerge', () => {
  it('keeps the survivor’s identifiers and takes the ones it lacks', () => {
    const after = survivorAfterMerge({ ...blank, phone: '+919812300001' }, { ...blank, phone: '+919812300002', abhaNumber: '91377205864665' });
    expect(after).toMatchObject({ phone: '+919812300001', abhaNumber: '91377205864665' });
  });

  it('one person: a medico-legal case or a death on either record is the survivor’s, with who recorded the death', () => {
    const at = new Date('2025-07-30T10:00:00Z');
    const merged = { ...blank, medicoLegal: true, mlcNumber: 'MLC/1', dateOfDeath: '2025-07-30', deathRecordedAt: at, deathRecordedBy: 'u1', deathRecordedByName: 'Desk' };
    expect(survivorAfterMerge(blank, merged)).toMatchObject({ medicoLegal: true, mlcNumber: 'MLC/1', dateOfDeath: '2025-07-30', deathRecordedAt: at, deathRecordedBy: 'u1', deathRecordedByName: 'Desk' });
  });

  it('a death the survivor records stays as it is', () => {
    const own = { ...blank, dateOfDeath: '2025-07-01', deathRecordedBy: 'u0', deathRecordedByName: null };
    expect(survivorAfterMerge(own, { ...blank, dateOfDeath: '2025-07-30', deathRecordedBy: 'u1', deathRecordedByName: 'Desk' })).toMatchObject({
      dateOfDeath: '2025-07-01',
      deathRecordedBy: 'u0',
      deathRecordedByName: null,
    });
  });
});
