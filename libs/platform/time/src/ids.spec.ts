import { CLOCK, systemClock } from './clock';
import { ID_GENERATOR, uuidv7, uuidv7Generator } from './ids';

describe('uuidv7Generator', () => {
  it('mints version 7 ids that sort in the order they were minted', () => {
    const ids = Array.from({ length: 50 }, () => uuidv7Generator.next());
    expect(ids.every((id) => /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(id))).toBe(true);
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('carries the millisecond it was minted in', () => {
    const id = uuidv7(Date.UTC(2030, 0, 1));
    expect(parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBeGreaterThanOrEqual(Date.UTC(2030, 0, 1));
  });
});

describe('tokens', () => {
  it('are distinct symbols, and the system clock tells the time', () => {
    expect(typeof CLOCK).toBe('symbol');
    expect(CLOCK).not.toBe(ID_GENERATOR);
    const before = Date.now();
    expect(systemClock.now().getTime()).toBeGreaterThanOrEqual(before);
  });
});
