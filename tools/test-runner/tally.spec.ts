import { addTier, closingLines, emptyTotals, type JestSummary } from './tally';

const tier = (over: Partial<JestSummary>): JestSummary => ({
  numPassedTests: 0,
  numFailedTests: 0,
  numPendingTests: 0,
  numTodoTests: 0,
  numRuntimeErrorTestSuites: 0,
  success: true,
  testResults: [],
  ...over,
});

describe('the test runner’s closing lines', () => {
  it('counts one failed test as a failed test, not as a suite that failed to run', () => {
    const totals = addTier(emptyTotals(), tier({ numPassedTests: 9, numFailedTests: 1, success: false }));
    expect(closingLines(totals, 12)).toEqual(['All tiers in 12 s', '9 passed, 1 failed, 0 skipped']);
  });

  it('says when a suite could not run at all', () => {
    const totals = addTier(emptyTotals(), tier({ numRuntimeErrorTestSuites: 1, success: false }));
    expect(closingLines(totals, 3).at(-2)).toBe('All tiers in 3 s, 1 suite(s) failed to run');
  });

  it('reports the Kafka leg as skipped from its own results, even where KAFKA_BROKERS is set', () => {
    const previous = process.env.KAFKA_BROKERS;
    process.env.KAFKA_BROKERS = 'broker.invalid:9092';
    try {
      const kafka = { name: '/x/libs/platform/messaging/test/kafka-transport.int-spec.ts', assertionResults: [{ status: 'pending' }, { status: 'pending' }] };
      const totals = addTier(emptyTotals(), tier({ numPendingTests: 2, testResults: [kafka] }));
      expect(closingLines(totals, 1)[0]).toMatch(/^Note: the Kafka transport contract tests \(2\) were SKIPPED/);
    } finally {
      if (previous === undefined) delete process.env.KAFKA_BROKERS;
      else process.env.KAFKA_BROKERS = previous;
    }
  });

  it('says the Kafka leg ran when its tests ran, and nothing about Kafka when the leg was not part of the run', () => {
    const kafka = { name: '/x/kafka-transport.int-spec.ts', assertionResults: [{ status: 'passed' }, { status: 'failed' }] };
    expect(closingLines(addTier(emptyTotals(), tier({ testResults: [kafka] })), 1)[0]).toBe('The Kafka transport contract tests ran against a broker (2 run).');
    expect(closingLines(addTier(emptyTotals(), tier({})), 1)).toHaveLength(2);
  });
});
