/**
 * Retries an assertion until it passes or time runs out, for asynchronous flows (events reaching
 * the audit trail). Prefer it to sleeps: it is as fast as the system and says what it waited for.
 */
export async function eventually<T>(check: () => Promise<T> | T, options: { timeoutMs?: number; intervalMs?: number; what?: string } = {}): Promise<T> {
  const timeout = options.timeoutMs ?? 15_000;
  const interval = options.intervalMs ?? 100;
  const deadline = Date.now() + timeout;
  let lastError: unknown;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) {
      const message = lastError instanceof Error ? lastError.message : String(lastError);
      throw new Error(`${options.what ?? 'condition'} did not hold within ${timeout} ms: ${message}`);
    }
    await new Promise((r) => setTimeout(r, interval));
  }
}
