import { daysToExpiry, isExpired, isUsable, lastDayOfMonth, meetsMinimumShelfLife, monthYearExpiry } from './expiry';
import { planIssue } from './issue-plan';
import { usableDrops } from './stock-rules';

const TODAY = '2026-11-22';

describe('the expiry convention: usable through the expiry date, inclusive (issue 7, item 13)', () => {
  // [expiry, expired on TODAY?, days to expiry]
  const cases: [string, boolean, number][] = [
    ['2026-11-21', true, -1],
    ['2026-11-22', false, 0],
    ['2026-11-23', false, 1],
    ['2025-01-31', true, -660],
    ['2026-12-31', false, 39],
  ];
  it.each(cases)('a batch expiring %s is expired on 2026-11-22: %s (%i days left)', (expiry, expired, days) => {
    expect(isExpired(expiry, TODAY)).toBe(expired);
    expect(isUsable(expiry, TODAY)).toBe(!expired);
    expect(daysToExpiry(expiry, TODAY)).toBe(days);
  });

  it('issues a batch on its expiry date and refuses it the day after, named or picked FEFO', () => {
    const stock = [{ itemId: 'para', batchId: 'last-day', expiry: TODAY, onHand: 5 }];
    expect(planIssue(stock, [{ itemId: 'para', batchId: 'last-day', quantity: 5 }], TODAY)).toEqual({ picks: [{ line: 0, itemId: 'para', batchId: 'last-day', quantity: 5 }] });
    expect(planIssue(stock, [{ itemId: 'para', quantity: 5 }], TODAY)).toEqual({ picks: [{ line: 0, itemId: 'para', batchId: 'last-day', quantity: 5 }] });
    expect(planIssue(stock, [{ itemId: 'para', batchId: 'last-day', quantity: 1 }], '2026-11-23')).toMatchObject({ refusal: { reason: 'batch-expired' } });
    expect(planIssue(stock, [{ itemId: 'para', quantity: 1 }], '2026-11-23')).toMatchObject({ refusal: { reason: 'insufficient-stock', available: 0 } });
  });

  it('counts a batch expiring today in the usable stock that reorder alerts watch', () => {
    const stock = [{ itemId: 'para', batchId: 'last-day', expiry: TODAY, onHand: 5 }];
    expect(usableDrops(stock, [{ itemId: 'para', batchId: 'last-day', expiry: TODAY, quantity: -2 }], TODAY)).toEqual([{ itemId: 'para', before: 5, after: 3 }]);
  });
});

describe('minimum shelf life at receipt (a store setting)', () => {
  // [expiry, minimum days, received on TODAY?]
  const cases: [string, number, boolean][] = [
    ['2026-11-22', 0, true], // 0: not expired on the day of receipt
    ['2026-11-21', 0, false],
    ['2026-11-22', 1, false],
    ['2027-02-20', 90, true], // exactly 90 days left
    ['2027-02-19', 90, false],
    ['2028-11-22', 730, true],
  ];
  it.each(cases)('expiry %s with a minimum of %i days: received %s', (expiry, minDays, ok) => {
    expect(meetsMinimumShelfLife(expiry, TODAY, minDays)).toBe(ok);
  });
});

describe('month-and-year expiry as printed on Indian strips', () => {
  // [as printed, the date it means]
  const cases: [string, string | null][] = [
    ['06/2028', '2028-06-30'],
    ['2028-06', '2028-06-30'],
    ['02/2028', '2028-02-29'], // a leap year
    ['2027-02', '2027-02-28'],
    ['12/2029', '2029-12-31'],
    ['01/2030', '2030-01-31'],
    ['13/2028', null],
    ['00/2028', null],
    ['2028-13', null],
    ['6/2028', null],
    ['06/28', null],
    ['06-2028', null],
    ['2028/06', null],
    ['06/0000', null], // year 0 is no year
    ['2200-01', null],
    ['2028-06-30', null], // a full date is a date, not a month
    ['', null],
  ];
  it.each(cases)('%j means %s', (printed, date) => {
    expect(monthYearExpiry(printed)).toBe(date);
  });

  it('knows the last day of every month', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12].map((m) => lastDayOfMonth(2026, m).slice(8))).toEqual(['31', '28', '31', '30', '31', '30', '31', '31', '30', '31', '30', '31']);
    expect(lastDayOfMonth(2000, 2)).toBe('2000-02-29');
    expect(lastDayOfMonth(2100, 2)).toBe('2100-02-28');
  });
});
