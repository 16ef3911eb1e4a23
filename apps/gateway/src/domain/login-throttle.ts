import { gatewayError } from './errors';

/** Counters and blocks that expire: what the sign-in throttle keeps. Keys are hashed before they are stored. */
export interface ThrottleStore {
  readonly kind: 'redis' | 'postgres';
  /** Adds one to the counter (created with `windowSeconds` to live) and returns the new count. */
  bump(key: string, windowSeconds: number): Promise<number>;
  /** Sets a marker that lives `seconds` (longer if it already lives longer). */
  mark(key: string, seconds: number): Promise<void>;
  /** Seconds until the longest-lived of `keys` expires (0 when none exists); and each counter's value. */
  inspect(keys: string[]): Promise<{ ttl: number; counts: number[] }>;
  clear(keys: string[]): Promise<void>;
  healthy(): Promise<boolean>;
  close(): Promise<void>;
}

export interface ThrottleSettings {
  /** Failed sign-ins from one address, across all accounts, per window (password spraying). */
  addressFailures: number;
  addressWindowSeconds: number;
  /** Failures of one account from one address before backoff starts; then 1 s, 2 s, 4 s … */
  accountAddressFreeFailures: number;
  accountAddressMaxBackoffSeconds: number;
  /** Failures of one account from anywhere before a short backoff for addresses it never signed in from. */
  accountFreeFailures: number;
  accountMaxBackoffSeconds: number;
  /** How long an address where the account signed in stays exempt from the account-wide backoff. */
  knownAddressSeconds: number;
}

export const DEFAULT_THROTTLE: Omit<ThrottleSettings, 'addressFailures'> = {
  addressWindowSeconds: 15 * 60,
  accountAddressFreeFailures: 5,
  accountAddressMaxBackoffSeconds: 15 * 60,
  accountFreeFailures: 20,
  accountMaxBackoffSeconds: 30,
  knownAddressSeconds: 30 * 86_400,
};

/**
 * Slows down password guessing without letting anyone lock an account out:
 * - one account from one address: after a few failures each further attempt waits twice as long
 *   as the last (up to 15 minutes), so a guesser slows to a crawl while the account's owner, at
 *   another address, is not affected;
 * - one address across accounts: a cap on failures per window catches password spraying;
 * - one account from everywhere: a short backoff (seconds) against guessing from many addresses.
 * The last two do not apply where the account has signed in before (from that address).
 * Only failures count; a success clears the account's counters at that address.
 */
export class LoginThrottle {
  constructor(
    private readonly store: ThrottleStore,
    private readonly settings: ThrottleSettings,
  ) {}

  /** Throws 429 (with the seconds to wait) when an attempt for `email` from `address` must wait. */
  async assertAllowed(email: string, address: string): Promise<void> {
    const k = keys(email, address);
    const [{ ttl: addressTtl, counts }, { ttl: blockTtl }, known] = await Promise.all([
      this.store.inspect([k.address]),
      this.store.inspect([k.accountAddressBlock]),
      this.store.inspect([k.known]),
    ]);
    let wait = blockTtl;
    // The address and account-wide limits are against strangers: an account at an address where
    // it signed in before is only held to its own backoff there, so nobody can lock it out.
    if (!known.ttl) {
      if (counts[0] >= this.settings.addressFailures) wait = Math.max(wait, addressTtl);
      wait = Math.max(wait, (await this.store.inspect([k.accountBlock])).ttl);
    }
    if (wait > 0) {
      throw gatewayError('too-many-requests', 'login-rate-limited', `Too many failed sign-ins; try again in ${wait} s`, { retryAfterSeconds: wait });
    }
  }

  async failed(email: string, address: string): Promise<void> {
    const k = keys(email, address);
    const s = this.settings;
    const [, pair, account] = await Promise.all([
      this.store.bump(k.address, s.addressWindowSeconds),
      this.store.bump(k.accountAddress, 3600),
      this.store.bump(k.account, 3600),
    ]);
    if (pair >= s.accountAddressFreeFailures) {
      await this.store.mark(k.accountAddressBlock, Math.min(2 ** (pair - s.accountAddressFreeFailures), s.accountAddressMaxBackoffSeconds));
    }
    if (account >= s.accountFreeFailures) {
      await this.store.mark(k.accountBlock, Math.min(2 ** (account - s.accountFreeFailures), s.accountMaxBackoffSeconds));
    }
  }

  async succeeded(email: string, address: string): Promise<void> {
    const k = keys(email, address);
    await this.store.clear([k.accountAddress, k.accountAddressBlock, k.account, k.accountBlock]);
    await this.store.mark(k.known, this.settings.knownAddressSeconds);
  }
}

function keys(email: string, address: string) {
  const e = email.trim().toLowerCase();
  return {
    address: `login:address:${address}`,
    accountAddress: `login:pair:${e}|${address}`,
    accountAddressBlock: `login:pair-block:${e}|${address}`,
    account: `login:account:${e}`,
    accountBlock: `login:account-block:${e}`,
    known: `login:known:${e}|${address}`,
  };
}
