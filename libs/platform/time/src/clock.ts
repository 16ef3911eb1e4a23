/**
 * The one source of "now" in a service. Tests swap it to fix the day (expiry, tariffs, the
 * financial year of an IP number) without waiting for the calendar to turn.
 */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** Injection token for the service's Clock; a plain Symbol so this library needs no NestJS. */
export const CLOCK = Symbol('CLOCK');
