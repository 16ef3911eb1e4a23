import { createHash } from 'node:crypto';
import { connectRedis, type RedisConnection } from '@hms/platform-auth';
import type { Database } from '@hms/platform-persistence';
import { LoginThrottleRepository } from '../data/login-throttle.repository';
import type { ThrottleStore } from '../domain/login-throttle';
import { gatewayError } from '../domain/errors';

/** A store failure is the platform being unavailable (503), not a server error. */
async function guarded<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch {
    throw gatewayError('unavailable', 'security-store-unavailable', 'Sign-in is unavailable for a moment; try again shortly', { retryAfterSeconds: 5 });
  }
}

const hashed = (key: string) => createHash('sha256').update(key).digest('base64url').slice(0, 32);

type Redis = RedisConnection;

export class RedisThrottleStore implements ThrottleStore {
  readonly kind = 'redis' as const;
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  bump(key: string, windowSeconds: number): Promise<number> {
    const k = `${this.prefix}throttle:${hashed(key)}`;
    // One transaction: the key gets its expiry when it is created, so a counter never lives for ever.
    return guarded(async () => {
      const [, count] = await this.redis.multi().set(k, '0', { condition: 'NX', expiration: { type: 'EX', value: windowSeconds } }).incr(k).exec();
      return Number(count);
    });
  }
  async mark(key: string, seconds: number): Promise<void> {
    const k = `${this.prefix}throttle:${hashed(key)}`;
    await guarded(async () => {
      const ttl = await this.redis.ttl(k);
      if (ttl < seconds) await this.redis.set(k, '1', { expiration: { type: 'EX', value: seconds } });
    });
  }
  inspect(keys: string[]): Promise<{ ttl: number; counts: number[] }> {
    const ks = keys.map((k) => `${this.prefix}throttle:${hashed(k)}`);
    return guarded(async () => {
      const multi = this.redis.multi();
      for (const k of ks) multi.ttl(k);
      multi.mGet(ks);
      const replies = await multi.exec();
      const ttls = replies.slice(0, ks.length).map(Number);
      const values = replies[ks.length] as unknown as (string | null)[];
      return { ttl: Math.max(0, ...ttls), counts: values.map((v) => Number(v ?? 0)) };
    });
  }
  async clear(keys: string[]): Promise<void> {
    if (keys.length) await guarded(() => this.redis.del(keys.map((k) => `${this.prefix}throttle:${hashed(k)}`)));
  }
  async healthy(): Promise<boolean> {
    return (await this.redis.ping().catch(() => 'down')) === 'PONG';
  }
  async close(): Promise<void> {
    if (this.redis.isOpen) await this.redis.close().catch(() => undefined);
  }
}

/** The same in the gateway's schema, for a platform without Redis: it survives restarts. */
export class PostgresThrottleStore implements ThrottleStore {
  readonly kind = 'postgres' as const;
  // Monotonic milliseconds (performance.now): an interval, not an instant anyone reads.
  private lastSweep = Number.NEGATIVE_INFINITY;
  constructor(
    private readonly db: Database,
    private readonly entries = new LoginThrottleRepository(),
  ) {}

  bump(key: string, windowSeconds: number): Promise<number> {
    return guarded(async () => {
      const count = await this.db.transaction('all', (tx) => this.entries.bump(tx, hashed(key), windowSeconds));
      await this.sweep();
      return count;
    });
  }
  async mark(key: string, seconds: number): Promise<void> {
    await guarded(() => this.db.transaction('all', (tx) => this.entries.mark(tx, hashed(key), seconds)));
  }
  inspect(keys: string[]): Promise<{ ttl: number; counts: number[] }> {
    const ks = keys.map(hashed);
    return guarded(async () => {
      const rows = await this.db.transaction('all', (tx) => this.entries.live(tx, ks));
      const byKey = new Map(rows.map((r) => [r.key, r]));
      return { ttl: Math.max(0, ...rows.map((r) => r.ttl)), counts: ks.map((k) => byKey.get(k)?.count ?? 0) };
    });
  }
  async clear(keys: string[]): Promise<void> {
    await guarded(() => this.db.transaction('all', (tx) => this.entries.clear(tx, keys.map(hashed))));
  }
  async healthy(): Promise<boolean> {
    return this.db.ping().then(
      () => true,
      () => false,
    );
  }
  async close(): Promise<void> {
    /* the pool belongs to the service, which ends it */
  }

  private async sweep(): Promise<void> {
    if (performance.now() - this.lastSweep < 60_000) return;
    this.lastSweep = performance.now();
    await this.db.transaction('all', (tx) => this.entries.sweep(tx)).catch(() => undefined);
  }
}

/** Redis where REDIS_URL is set (shared by every gateway replica), the gateway's schema otherwise. */
export async function createThrottleStore(db: Database, redis: { url: string | undefined; prefix: string }, onError?: (error: Error) => void): Promise<ThrottleStore> {
  return redis.url ? new RedisThrottleStore(await connectRedis(redis.url, onError), redis.prefix) : new PostgresThrottleStore(db);
}
