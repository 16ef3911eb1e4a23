/** What `jest --json` writes: the parts the test runner reads. */
export interface JestSummary {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests: number;
  numRuntimeErrorTestSuites: number;
  success: boolean;
  testResults: { name: string; assertionResults: { status: string }[] }[];
}

export interface Totals {
  passed: number;
  failed: number;
  skipped: number;
  /** Suites that could not run at all (a syntax error, a crash in set-up), not those with a failed test. */
  suitesNotRun: number;
  /** The Kafka leg of the transport contract suite, when it was part of the run. */
  kafka: { ran: number; skipped: number } | null;
}

/** The Kafka leg of the transport contract suite: its own results say whether a broker was there. */
const KAFKA_SUITE = /kafka-transport\.int-spec\.ts$/;

export const emptyTotals = (): Totals => ({ passed: 0, failed: 0, skipped: 0, suitesNotRun: 0, kafka: null });

/** Adds one tier's results to the totals. */
export function addTier(totals: Totals, summary: JestSummary): Totals {
  let kafka = totals.kafka;
  for (const suite of summary.testResults.filter((r) => KAFKA_SUITE.test(r.name))) {
    kafka = { ...(kafka ?? { ran: 0, skipped: 0 }) };
    for (const a of suite.assertionResults) {
      if (a.status === 'pending' || a.status === 'skipped' || a.status === 'todo') kafka.skipped++;
      else kafka.ran++;
    }
  }
  return {
    passed: totals.passed + summary.numPassedTests,
    failed: totals.failed + summary.numFailedTests,
    skipped: totals.skipped + summary.numPendingTests + summary.numTodoTests,
    suitesNotRun: totals.suitesNotRun + summary.numRuntimeErrorTestSuites,
    kafka,
  };
}

/** The closing lines: what the Kafka leg did (from its results, not guessed from the environment), the time, the totals. */
export function closingLines(totals: Totals, seconds: number): string[] {
  const lines: string[] = [];
  const k = totals.kafka;
  if (k && k.skipped && !k.ran) {
    lines.push(`Note: the Kafka transport contract tests (${k.skipped}) were SKIPPED: no broker was reachable (KAFKA_BROKERS unset and no Docker engine). They run where one is.`);
  } else if (k && k.ran) {
    lines.push(`The Kafka transport contract tests ran against a broker (${k.ran} run${k.skipped ? `, ${k.skipped} skipped` : ''}).`);
  }
  lines.push(`All tiers in ${seconds.toFixed(0)} s${totals.suitesNotRun ? `, ${totals.suitesNotRun} suite(s) failed to run` : ''}`);
  lines.push(`${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
  return lines;
}
