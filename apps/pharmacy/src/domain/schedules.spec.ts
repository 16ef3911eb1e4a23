import { SUPPLY_KINDS, type DrugSchedule } from '@hms/contracts-pharmacy';
import { H1_RETENTION_YEARS, scheduleProblem, type Prescription } from './schedules';

const RX: Prescription = { prescriberName: 'Dr. Meera Rao', prescriberRegistrationNumber: 'MMC-2011-12345', prescriberAddress: '12 MG Road, Pune', patientName: 'Anita Devi' };

describe('scheduleProblem (DRUG-01, DRUG-02)', () => {
  it('lets unscheduled and Schedule G items go without a prescription, whatever the supply', () => {
    for (const schedule of ['NONE', 'G'] as DrugSchedule[]) {
      for (const kind of SUPPLY_KINDS) expect(scheduleProblem(schedule, 'ORS', null, kind)).toBeNull();
    }
  });

  it('needs a prescriber’s name and registration number for H, H1, X and NDPS, for every kind of supply', () => {
    for (const schedule of ['H', 'H1', 'X', 'NDPS'] as DrugSchedule[]) {
      for (const kind of SUPPLY_KINDS) {
        expect(scheduleProblem(schedule, 'Drug', null, kind)).toMatch(/prescription/);
        expect(scheduleProblem(schedule, 'Drug', { ...RX, prescriberName: '  ' }, kind)).toMatch(/prescription/);
        expect(scheduleProblem(schedule, 'Drug', { ...RX, prescriberRegistrationNumber: null }, kind)).toMatch(/registration number/);
      }
    }
  });

  it('sells Schedule H against a prescription, at the counter too', () => {
    for (const kind of SUPPLY_KINDS) expect(scheduleProblem('H', 'Amoxicillin', { prescriberName: 'Dr. Rao', prescriberRegistrationNumber: 'MMC-1' }, kind)).toBeNull();
  });

  it('needs every field of the H1 register, naming what is missing', () => {
    expect(scheduleProblem('H1', 'Cefixime', RX, 'otc')).toBeNull();
    expect(scheduleProblem('H1', 'Cefixime', { ...RX, prescriberAddress: undefined }, 'inpatient')).toMatch(/needs the prescriber address$/);
    expect(scheduleProblem('H1', 'Cefixime', { ...RX, patientName: '\t' }, 'outpatient')).toMatch(/needs the patient name$/);
    expect(scheduleProblem('H1', 'Cefixime', { ...RX, prescriberAddress: '', patientName: null }, 'outpatient')).toMatch(/prescriber address and patient name/);
    // Schedule H does not keep a register: no address or patient name needed.
    expect(scheduleProblem('H', 'Amoxicillin', { ...RX, prescriberAddress: null, patientName: null }, 'outpatient')).toBeNull();
  });

  it('never sells Schedule X or NDPS over the counter, even against a prescription; in- and out-patients may have them', () => {
    for (const schedule of ['X', 'NDPS'] as DrugSchedule[]) {
      expect(scheduleProblem(schedule, 'Morphine', RX, 'otc')).toMatch(/over the counter/);
      expect(scheduleProblem(schedule, 'Morphine', RX, 'outpatient')).toBeNull();
      expect(scheduleProblem(schedule, 'Morphine', RX, 'inpatient')).toBeNull();
    }
  });

  it('keeps H1 register entries at least three years', () => {
    expect(H1_RETENTION_YEARS).toBe(3);
  });
});
