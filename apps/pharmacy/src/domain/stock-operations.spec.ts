import { mergePicks, planIssue } from './issue-plan';
import { addDays, crossesReorderLevel, firstShortfall, nearExpiryDays, returnable, stockTakeDifferences, usableDrops } from './stock-rules';

const today = '2026-11-22';
const stock = [
  { itemId: 'para', batchId: 'b-late', expiry: '2028-01-31', onHand: 100 },
  { itemId: 'para', batchId: 'b-soon', expiry: '2027-01-31', onHand: 10 },
  // Expired yesterday: a batch is usable through its expiry date (today's would still be usable).
  { itemId: 'para', batchId: 'b-expired', expiry: '2026-11-21', onHand: 40 },
  { itemId: 'amox', batchId: 'a-1', expiry: '2027-06-30', onHand: 5 },
];

describe('planning an issue (transfer out)', () => {
  it('takes first-expiry-first-out across batches when no batch is named', () => {
    expect(planIssue(stock, [{ itemId: 'para', quantity: 15 }], today)).toEqual({
      picks: [
        { line: 0, itemId: 'para', batchId: 'b-soon', quantity: 10 },
        { line: 0, itemId: 'para', batchId: 'b-late', quantity: 5 },
      ],
    });
  });

  it('serves named batches first, then FEFO from what they left', () => {
    const plan = planIssue(
      stock,
      [
        { itemId: 'para', quantity: 12 },
        { itemId: 'para', batchId: 'b-soon', quantity: 4 },
      ],
      today,
    );
    expect(plan).toEqual({
      picks: [
        { line: 1, itemId: 'para', batchId: 'b-soon', quantity: 4 },
        { line: 0, itemId: 'para', batchId: 'b-soon', quantity: 6 },
        { line: 0, itemId: 'para', batchId: 'b-late', quantity: 6 },
      ],
    });
    expect(mergePicks('picks' in plan ? plan.picks : [])).toEqual([
      { itemId: 'para', batchId: 'b-late', quantity: 6 },
      { itemId: 'para', batchId: 'b-soon', quantity: 10 },
    ]);
  });

  it('never issues an expired batch, named or not (expired the day after its expiry date)', () => {
    expect(planIssue(stock, [{ itemId: 'para', batchId: 'b-expired', quantity: 1 }], today)).toEqual({
      refusal: { reason: 'batch-expired', line: 0, itemId: 'para', batchId: 'b-expired', expiry: '2026-11-21' },
    });
    expect(planIssue(stock, [{ itemId: 'para', quantity: 111 }], today)).toEqual({
      refusal: { reason: 'insufficient-stock', line: 0, itemId: 'para', batchId: null, available: 110, asked: 111 },
    });
  });

  it('never takes a batch below zero and never part-fills', () => {
    expect(planIssue(stock, [{ itemId: 'amox', batchId: 'a-1', quantity: 6 }], today)).toEqual({
      refusal: { reason: 'insufficient-stock', line: 0, itemId: 'amox', batchId: 'a-1', available: 5, asked: 6 },
    });
    expect(
      planIssue(
        stock,
        [
          { itemId: 'amox', batchId: 'a-1', quantity: 3 },
          { itemId: 'amox', batchId: 'a-1', quantity: 3 },
        ],
        today,
      ),
    ).toMatchObject({ refusal: { reason: 'insufficient-stock', line: 1, available: 2 } });
    expect(planIssue(stock, [{ itemId: 'amox', batchId: 'b-late', quantity: 1 }], today)).toMatchObject({ refusal: { reason: 'insufficient-stock', available: 0 } });
    expect(planIssue([], [{ itemId: 'amox', quantity: 1 }], today)).toMatchObject({ refusal: { reason: 'insufficient-stock', available: 0 } });
  });
});

describe('stock rules', () => {
  it('finds the first batch a change would take below zero, summing changes to one batch', () => {
    const deltas = [
      { itemId: 'amox', batchId: 'a-1', expiry: '2027-06-30', quantity: -3 },
      { itemId: 'amox', batchId: 'a-1', expiry: '2027-06-30', quantity: -3 },
    ];
    expect(firstShortfall(stock, deltas)).toEqual({ batchId: 'a-1', itemId: 'amox', available: 5, change: -6 });
    expect(firstShortfall(stock, deltas.slice(1))).toBeNull();
    expect(firstShortfall(stock, [{ itemId: 'x', batchId: 'new', expiry: '2027-01-01', quantity: 4 }])).toBeNull();
    expect(firstShortfall(stock, [{ itemId: 'x', batchId: 'new', expiry: '2027-01-01', quantity: -1 }])).toEqual({ batchId: 'new', itemId: 'x', available: 0, change: -1 });
  });

  it('reports usable stock drops only, leaving expired stock out', () => {
    const drops = usableDrops(
      stock,
      [
        { itemId: 'para', batchId: 'b-soon', expiry: '2027-01-31', quantity: -10 },
        { itemId: 'para', batchId: 'b-expired', expiry: '2026-11-21', quantity: -40 },
        { itemId: 'amox', batchId: 'a-1', expiry: '2027-06-30', quantity: 5 },
      ],
      today,
    );
    expect(drops).toEqual([{ itemId: 'para', before: 110, after: 100 }]);
  });

  it('raises a reorder alert once, when stock crosses below the level', () => {
    expect(crossesReorderLevel(50, 49, 50)).toBe(true);
    expect(crossesReorderLevel(60, 50, 50)).toBe(false);
    expect(crossesReorderLevel(45, 40, 50)).toBe(false);
    expect(crossesReorderLevel(0, 0, 0)).toBe(false);
  });

  it('books counted minus on hand in a stock take', () => {
    expect(
      stockTakeDifferences(
        [
          { batchId: 'a', countedQuantity: 8 },
          { batchId: 'b', countedQuantity: 5 },
          { batchId: 'c', countedQuantity: 2 },
        ],
        new Map([
          ['a', 10],
          ['b', 5],
        ]),
      ),
    ).toEqual([
      { batchId: 'a', onHand: 10, counted: 8, difference: -2 },
      { batchId: 'b', onHand: 5, counted: 5, difference: 0 },
      { batchId: 'c', onHand: 0, counted: 2, difference: 2 },
    ]);
  });

  it('lets a patient return what was dispensed less what came back', () => {
    expect(returnable({ quantity: 10, returnedQuantity: 4 })).toBe(6);
  });

  it('accepts a near-expiry window of 1 to 730 days, 90 by default', () => {
    expect(nearExpiryDays(undefined)).toBe(90);
    expect(nearExpiryDays('1')).toBe(1);
    expect(nearExpiryDays('730')).toBe(730);
    for (const bad of ['0', '731', '-5', '1.5', 'abc', '1e2']) expect(nearExpiryDays(bad)).toBeNull();
    expect(addDays('2026-11-22', 90)).toBe('2027-02-20');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
  });
});
