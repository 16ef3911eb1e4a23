import { GST_START, MAX_GST_RATE_BP, gstRateProblem, gstRatesInForce } from './gst-rates';

describe('GST rates in force (GST-05; issue 7, item 10)', () => {
  // [effective date, rate in basis points, accepted?]
  const cases: [string, number, boolean][] = [
    // From 1 July 2017: 0, 0.25, 3, 5, 12, 18 and 28%.
    ['2017-07-01', 0, true],
    ['2017-07-01', 25, true],
    ['2019-04-01', 300, true],
    ['2024-01-01', 500, true],
    ['2024-01-01', 1200, true],
    ['2025-09-21', 1800, true],
    ['2025-09-21', 2800, true],
    ['2025-09-21', 4000, false], // 40% did not exist yet
    ['2024-01-01', 700, false], // the rate the hostile-input run got accepted
    ['2024-01-01', 1000, false],
    ['2024-01-01', 250, false],
    ['2024-01-01', 2801, false],
    // From 22 September 2025: 0, 0.25, 3, 5, 18 and 40%, with 12% and 28% still accepted.
    ['2025-09-22', 0, true],
    ['2025-09-22', 500, true],
    ['2025-09-22', 1800, true],
    ['2025-09-22', 4000, true],
    ['2025-09-22', 1200, true],
    ['2026-03-01', 2800, true],
    ['2025-09-22', 700, false],
    ['2026-12-01', 700, false],
    ['2026-12-01', 4001, false],
    ['2026-12-01', 1500, false],
    // Before GST began there is no GST rate at all.
    ['2017-06-30', 500, false],
    ['2000-01-01', 0, false],
  ];

  it.each(cases)('on %s, %i bp is accepted: %s', (date, rateBp, accepted) => {
    expect(gstRateProblem(rateBp, date) === null).toBe(accepted);
  });

  it('says why a rate is refused, with the rates of that day', () => {
    expect(gstRateProblem(700, '2025-10-01')).toBe('700 (7%) is not a GST rate in force on 2025-10-01; the rates then are 0%, 0.25%, 3%, 5%, 12%, 18%, 28%, 40%');
    expect(gstRateProblem(4000, '2025-09-21')).toMatch(/0%, 0\.25%, 3%, 5%, 12%, 18%, 28%$/);
    expect(gstRateProblem(500, '2017-06-30')).toBe('there was no GST before 2017-07-01; give a date from then on');
  });

  it('turns on 22 September 2025, judged by the date alone', () => {
    expect(gstRatesInForce('2025-09-21')).toEqual([0, 25, 300, 500, 1200, 1800, 2800]);
    expect(gstRatesInForce('2025-09-22')).toEqual([0, 25, 300, 500, 1200, 1800, 2800, 4000]);
    expect(gstRatesInForce('2017-06-30')).toBeNull();
    expect(GST_START).toBe('2017-07-01');
    expect(MAX_GST_RATE_BP).toBe(4000);
  });
});
