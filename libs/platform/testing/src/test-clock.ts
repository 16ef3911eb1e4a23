/**
 * A clock a test controls, handed to the service through the service kit's `clock` option (the
 * service's CLOCK provider is this object; nothing is patched). It reads the real time until a
 * test sets it, and again after `reset`.
 */
export class TestClock {
  private fixed: Date | null = null;

  now(): Date {
    return this.fixed ? new Date(this.fixed) : new Date();
  }

  /** From now on the clock reads `instant`, until set again or reset. */
  set(instant: Date | string): void {
    this.fixed = new Date(instant);
  }

  /** Back to the real time. */
  reset(): void {
    this.fixed = null;
  }
}
