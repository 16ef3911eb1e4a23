import { BED_STATES, type BedState } from '@hms/contracts-wards';
import { canAdmitTo, manualTransition } from './bed-state';

describe('manual bed state changes', () => {
  // Every allowed change by hand and the permission it needs; anything else is refused.
  const allowed: Record<string, string> = {
    'available>maintenance': 'wards:manage',
    'available>blocked': 'wards:manage',
    'available>reserved': 'wards:admit',
    'reserved>available': 'wards:admit',
    'reserved>maintenance': 'wards:manage',
    'reserved>blocked': 'wards:manage',
    'cleaning>available': 'wards:housekeeping',
    'cleaning>maintenance': 'wards:manage',
    'cleaning>blocked': 'wards:manage',
    'maintenance>available': 'wards:manage',
    'maintenance>blocked': 'wards:manage',
    'maintenance>cleaning': 'wards:manage',
    'blocked>available': 'wards:manage',
    'blocked>maintenance': 'wards:manage',
    'blocked>cleaning': 'wards:manage',
  };
  const pairs = BED_STATES.flatMap((from) => BED_STATES.map((to) => [from, to] as [BedState, BedState]));

  it.each(pairs)('%s → %s', (from, to) => {
    expect(manualTransition(from, to)).toBe(allowed[`${from}>${to}`] ?? null);
  });

  it('never lets a bed become occupied, or stop being occupied, by hand', () => {
    for (const s of BED_STATES) {
      expect(manualTransition(s, 'occupied')).toBeNull();
      expect(manualTransition('occupied', s)).toBeNull();
    }
  });

  it('housekeeping only ever makes a bed that is being cleaned available', () => {
    const housekeeping = pairs.filter(([from, to]) => manualTransition(from, to) === 'wards:housekeeping');
    expect(housekeeping).toEqual([['cleaning', 'available']]);
  });
});

describe('canAdmitTo', () => {
  const patient = '01a20000-0000-7000-8000-000000000001';
  const other = '01a20000-0000-7000-8000-000000000002';

  it('admits to an available bed', () => {
    expect(canAdmitTo('available', null, patient)).toBe(true);
  });

  it('admits to a reserved bed only the patient it is held for', () => {
    expect(canAdmitTo('reserved', patient, patient)).toBe(true);
    expect(canAdmitTo('reserved', other, patient)).toBe(false);
    expect(canAdmitTo('reserved', null, patient)).toBe(false);
  });

  it.each(['occupied', 'cleaning', 'maintenance', 'blocked'] as const)('refuses a bed that is %s', (state) => {
    expect(canAdmitTo(state, null, patient)).toBe(false);
    expect(canAdmitTo(state, patient, patient)).toBe(false);
  });
});
