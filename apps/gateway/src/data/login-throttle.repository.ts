import { Injectable } from '@nestjs/common';
import type { Tx } from '@hms/platform-persistence';

/**
 * The sign-in throttle's counters and blocks when no Redis is configured (table `login_throttle`):
 * each lives until `expires_at`. Keys arrive hashed.
 */
@Injectable()
export class LoginThrottleRepository {
  /** Adds one to the counter (a new or expired one starts at one, to live `windowSeconds`); the new count. */
  async bump(tx: Tx, key: string, windowSeconds: number): Promise<number> {
    const row = await tx.one<{ count: number }>(
      `INSERT INTO login_throttle (key, count, expires_at) VALUES ($1, 1, now() + make_interval(secs => $2))
       ON CONFLICT (key) DO UPDATE SET
         count = CASE WHEN login_throttle.expires_at <= now() THEN 1 ELSE login_throttle.count + 1 END,
         expires_at = CASE WHEN login_throttle.expires_at <= now() THEN EXCLUDED.expires_at ELSE login_throttle.expires_at END
       RETURNING count`,
      [key, windowSeconds],
    );
    return row.count;
  }

  /** A marker that lives `seconds` (longer if it already lives longer). */
  async mark(tx: Tx, key: string, seconds: number): Promise<void> {
    await tx.query(
      `INSERT INTO login_throttle (key, count, expires_at) VALUES ($1, 1, now() + make_interval(secs => $2))
       ON CONFLICT (key) DO UPDATE SET expires_at = GREATEST(login_throttle.expires_at, EXCLUDED.expires_at)`,
      [key, seconds],
    );
  }

  /** The live entries among `keys`, with their seconds to live. */
  live(tx: Tx, keys: string[]): Promise<{ key: string; count: number; ttl: number }[]> {
    return tx.query<{ key: string; count: number; ttl: number }>(
      `SELECT key, count, ceil(extract(epoch FROM expires_at - now()))::int AS ttl FROM login_throttle WHERE key = ANY($1) AND expires_at > now()`,
      [keys],
    );
  }

  async clear(tx: Tx, keys: string[]): Promise<void> {
    await tx.query('DELETE FROM login_throttle WHERE key = ANY($1)', [keys]);
  }

  async sweep(tx: Tx): Promise<void> {
    await tx.query('DELETE FROM login_throttle WHERE expires_at < now()');
  }
}
