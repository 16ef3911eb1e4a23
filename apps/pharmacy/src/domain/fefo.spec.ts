import { pickFefo, usableOnHand, type BatchStock } from './fefo';

const TODAY = '2026-11-22';

describe('pickFefo: first expiry, first out', () => {
  it('takes everything from the soonest-expiring batch when it has enough', () => {
    const batches = [
      { batchId: 'b', expiry: '2027-06-30', onHand: 40 },
      { batchId: 'a', expiry: '2027-01-31', onHand: 40 },
    ];
    expect(pickFefo(batches, 40, TODAY)).toEqual([{ batchId: 'a', quantity: 40 }]);
  });

  it('never issues a batch whose expiry date has passed; one expiring today is usable through the day, first', () => {
    const batches = [
      { batchId: 'yesterday', expiry: '2026-11-21', onHand: 10 },
      { batchId: 'today', expiry: TODAY, onHand: 10 },
      { batchId: 'tomorrow', expiry: '2026-11-23', onHand: 10 },
    ];
    expect(pickFefo(batches, 10, TODAY)).toEqual([{ batchId: 'today', quantity: 10 }]);
    expect(pickFefo(batches, 11, TODAY)).toEqual([
      { batchId: 'today', quantity: 10 },
      { batchId: 'tomorrow', quantity: 1 },
    ]);
    expect(pickFefo(batches, 21, TODAY)).toBeNull();
    expect(usableOnHand(batches, TODAY)).toBe(20);
    // The day after its expiry date, a batch is expired.
    expect(pickFefo(batches, 11, '2026-11-23')).toBeNull();
  });

  it('breaks a tie in expiry by batch id, so that every caller picks the same way', () => {
    const batches = [
      { batchId: 'z', expiry: '2027-01-31', onHand: 5 },
      { batchId: 'm', expiry: '2027-01-31', onHand: 5 },
    ];
    expect(pickFefo(batches, 7, TODAY)).toEqual([
      { batchId: 'm', quantity: 5 },
      { batchId: 'z', quantity: 2 },
    ]);
    expect(pickFefo([...batches].reverse(), 7, TODAY)).toEqual(pickFefo(batches, 7, TODAY));
  });

  it('fills exactly the usable stock and refuses one more (never a part-fill)', () => {
    const batches = [
      { batchId: 'a', expiry: '2027-01-31', onHand: 3 },
      { batchId: 'b', expiry: '2027-02-28', onHand: 4 },
      { batchId: 'empty', expiry: '2026-12-31', onHand: 0 },
    ];
    expect(pickFefo(batches, 7, TODAY)).toEqual([
      { batchId: 'a', quantity: 3 },
      { batchId: 'b', quantity: 4 },
    ]);
    expect(pickFefo(batches, 8, TODAY)).toBeNull();
    expect(pickFefo([], 1, TODAY)).toBeNull();
  });

  it('leaves the caller’s list as it was', () => {
    const batches: BatchStock[] = [
      { batchId: 'late', expiry: '2028-01-31', onHand: 1 },
      { batchId: 'soon', expiry: '2027-01-31', onHand: 1 },
    ];
    const copy = structuredClone(batches);
    pickFefo(batches, 2, TODAY);
    expect(batches).toEqual(copy);
  });

  it('refuses a quantity that is not a positive whole number', () => {
    const batches = [{ batchId: 'a', expiry: '2027-01-31', onHand: 10 }];
    for (const q of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) expect(() => pickFefo(batches, q, TODAY)).toThrow(RangeError);
  });
});

describe('usableOnHand', () => {
  it('counts the stock of unexpired batches only', () => {
    expect(
      usableOnHand(
        [
          { batchId: 'a', expiry: '2020-01-31', onHand: 100 },
          { batchId: 'b', expiry: '2027-01-31', onHand: 7 },
          { batchId: 'c', expiry: '2028-01-31', onHand: 5 },
        ],
        TODAY,
      ),
    ).toBe(12);
    expect(usableOnHand([], TODAY)).toBe(0);
  });
});
