import { partitionFor } from './transport';
import { assertEnvelope } from './envelope';

describe('partitionFor', () => {
  it('is stable and spreads keys over every partition', () => {
    expect(partitionFor('patient-1', 8)).toBe(partitionFor('patient-1', 8));
    const counts = new Array(8).fill(0);
    for (let i = 0; i < 8000; i++) counts[partitionFor(`01a2${i}-key`, 8)]++;
    expect(Math.min(...counts)).toBeGreaterThan(700);
  });
});

describe('assertEnvelope', () => {
  it('refuses a message that is not an event', () => {
    expect(() => assertEnvelope(null)).toThrow();
    expect(() => assertEnvelope({ id: 'x', type: 't' })).toThrow(/lacks/);
  });
});
