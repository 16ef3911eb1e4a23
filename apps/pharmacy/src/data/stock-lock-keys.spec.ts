import { stockLockKeys } from './stock-lock-keys';

describe('stock lock keys', () => {
  const stores = ['0195f0a0-0000-7000-8000-00000000000a', '0195f0a0-0000-7000-8000-00000000000b'];
  const items = ['0195f0a0-0000-7000-8000-0000000000c1', '0195f0a0-0000-7000-8000-0000000000c2'];

  it('gives one signed 64-bit key per (store, item), sorted, whatever the order or case of the ids', () => {
    const keys = stockLockKeys(stores, items);
    expect(keys).toHaveLength(4);
    expect(keys.map(BigInt)).toEqual([...keys.map(BigInt)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    for (const k of keys) expect(BigInt(k) >= -(2n ** 63n) && BigInt(k) < 2n ** 63n).toBe(true);
    expect(stockLockKeys([...stores].reverse(), items.map((i) => i.toUpperCase()))).toEqual(keys);
  });

  it('names each pair once', () => {
    expect(stockLockKeys([stores[0], stores[0]], [items[0], items[0].toUpperCase()])).toHaveLength(1);
  });
});
