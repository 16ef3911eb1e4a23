import { gstinCheckCharacter, validateGstin } from './gstin';
import { pickFefo } from './fefo';
import { scheduleProblem } from './schedules';

describe('GSTIN (GST-12)', () => {
  it('accepts a GSTIN with the right Luhn mod 36 check character', () => {
    expect(validateGstin('27AAPFU0939F1ZV')).toEqual({ ok: true, gstin: '27AAPFU0939F1ZV', stateCode: '27' });
    expect(gstinCheckCharacter('27AAPFU0939F1Z')).toBe('V');
    expect(validateGstin(' 27aapfu0939f1zv ').ok).toBe(true);
  });
  it('refuses a wrong check character, a wrong shape and an unknown state', () => {
    expect(validateGstin('27AAPFU0939F1ZO')).toEqual({ ok: false, reason: 'has a wrong check character' });
    expect(validateGstin('27AAPFU0939F1Z').ok).toBe(false);
    expect(validateGstin('27AAPFU0939F1XV').ok).toBe(false);
    expect(validateGstin('00AAPFU0939F1ZV').ok).toBe(false);
  });
});

describe('FEFO picking', () => {
  const batches = [
    { batchId: 'late', expiry: '2027-12-31', onHand: 100 },
    { batchId: 'soon', expiry: '2026-12-31', onHand: 10 },
    // Expired the day before: a batch is usable through its expiry date.
    { batchId: 'expired', expiry: '2026-11-21', onHand: 50 },
    { batchId: 'empty', expiry: '2026-12-01', onHand: 0 },
  ];
  it('takes the soonest-expiring usable batches first, across batches', () => {
    expect(pickFefo(batches, 15, '2026-11-22')).toEqual([
      { batchId: 'soon', quantity: 10 },
      { batchId: 'late', quantity: 5 },
    ]);
  });
  it('never issues an expired batch and never part-fills', () => {
    expect(pickFefo(batches, 111, '2026-11-22')).toBeNull();
    expect(pickFefo(batches, 110, '2026-11-22')).toHaveLength(2);
  });
});

describe('schedules (DRUG-01, DRUG-02)', () => {
  const rx = { prescriberName: 'Dr. Rao', prescriberRegistrationNumber: 'MMC-12345', prescriberAddress: '1 MG Road, Pune', patientName: 'Anita Devi' };
  it('lets unscheduled drugs go over the counter', () => {
    expect(scheduleProblem('NONE', 'Paracetamol', null, 'otc')).toBeNull();
    expect(scheduleProblem('G', 'ORS', null, 'otc')).toBeNull();
  });
  it('refuses Schedule H and X without a prescription', () => {
    expect(scheduleProblem('H', 'Amoxicillin', null, 'otc')).toMatch(/prescription/);
    expect(scheduleProblem('X', 'Morphine', null, 'inpatient')).toMatch(/prescription/);
    expect(scheduleProblem('H', 'Amoxicillin', rx, 'otc')).toBeNull();
  });
  it('refuses an H1 supply when a register field is missing', () => {
    expect(scheduleProblem('H1', 'Cefixime', { ...rx, prescriberAddress: '' }, 'outpatient')).toMatch(/prescriber address/);
    expect(scheduleProblem('H1', 'Cefixime', { ...rx, patientName: null }, 'outpatient')).toMatch(/patient name/);
    expect(scheduleProblem('H1', 'Cefixime', rx, 'outpatient')).toBeNull();
  });
});
