import { uuidv7 } from './ids';

describe('uuidv7', () => {
  it('has the version and variant bits of RFC 9562', () => {
    expect(uuidv7()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
  it('sorts in creation order, within one millisecond too', () => {
    const ids = Array.from({ length: 5000 }, () => uuidv7(1_700_000_000_000));
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });
  it('encodes the timestamp in the first 48 bits', () => {
    const id = uuidv7(0x0123456789ab + 1e6);
    expect(parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBeGreaterThanOrEqual(0x0123456789ab + 1e6);
  });
});
