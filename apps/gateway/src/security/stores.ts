import Redis from 'ioredis';
import { DomainError } from '@hms/contracts-common';

/** A Redis outage is the platform being unavailable (503), not a server error. */
async function guarded<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch {
    throw new DomainError('unavailable', 'security-store-unavailable', 'Sign-in and token checks are unavailable for a moment; try again shortly');
  }
}

/** Access tokens revoked before they expire (sign-out). Entries live as long as the token would. */
export interface RevocationStore {
  revoke(tokenId: string, expiresAtEpochSeconds: number): Promise<void>;
  isRevoked(tokenId: string): Promise<boolean>;
}

/** Counts attempts per key in fixed windows. */
export interface RateLimiter {
  hit(key: string, limit: number, windowSeconds: number): Promise<{ allowed: boolean; retryAfterSeconds: number }>;
}

export class MemoryRevocationStore implements RevocationStore {
  private readonly revoked = new Map<string, number>();
  async revoke(tokenId: string, expiresAt: number): Promise<void> {
    this.revoked.set(tokenId, expiresAt);
    if (this.revoked.size > 10_000) this.sweep();
  }
  async isRevoked(tokenId: string): Promise<boolean> {
    const exp = this.revoked.get(tokenId);
    return exp !== undefined && exp * 1000 > Date.now();
  }
  private sweep() {
    const now = Date.now() / 1000;
    for (const [k, exp] of this.revoked) if (exp < now) this.revoked.delete(k);
  }
}

export class MemoryRateLimiter implements RateLimiter {
  private readonly windows = new Map<string, { count: number; resetAt: number }>();
  async hit(key: string, limit: number, windowSeconds: number) {
    const now = Date.now();
    let w = this.windows.get(key);
    if (!w || w.resetAt <= now) {
      w = { count: 0, resetAt: now + windowSeconds * 1000 };
      this.windows.set(key, w);
      if (this.windows.size > 50_000) for (const [k, v] of this.windows) if (v.resetAt <= now) this.windows.delete(k);
    }
    w.count++;
    return { allowed: w.count <= limit, retryAfterSeconds: Math.max(1, Math.ceil((w.resetAt - now) / 1000)) };
  }
}

export class RedisRevocationStore implements RevocationStore {
  constructor(private readonly redis: Redis) {}
  async revoke(tokenId: string, expiresAt: number): Promise<void> {
    const ttl = Math.max(1, expiresAt - Math.floor(Date.now() / 1000));
    await guarded(() => this.redis.set(`hms:revoked:${tokenId}`, '1', 'EX', ttl));
  }
  async isRevoked(tokenId: string): Promise<boolean> {
    return (await guarded(() => this.redis.exists(`hms:revoked:${tokenId}`))) === 1;
  }
}

export class RedisRateLimiter implements RateLimiter {
  constructor(private readonly redis: Redis) {}
  hit(key: string, limit: number, windowSeconds: number) {
    return guarded(() => this.count(key, limit, windowSeconds));
  }

  private async count(key: string, limit: number, windowSeconds: number) {
    const k = `hms:rate:${key}`;
    // One transaction: the window's key is created with its expiry before it is counted, so a
    // crash can never leave a counter that lives for ever.
    const results = await this.redis.multi().set(k, '0', 'EX', windowSeconds, 'NX').incr(k).ttl(k).exec();
    if (!results || results.some(([error]) => error)) throw new Error('rate limiter: Redis transaction failed');
    const count = Number(results[1][1]);
    const ttl = Number(results[2][1]);
    return { allowed: count <= limit, retryAfterSeconds: ttl > 0 ? ttl : windowSeconds };
  }
}

export interface SecurityStores {
  revocations: RevocationStore;
  rateLimiter: RateLimiter;
  kind: 'redis' | 'memory';
  healthy(): Promise<boolean>;
  close(): Promise<void>;
}

/** Redis where REDIS_URL is set (shared by every gateway replica), in-process otherwise. */
export async function createSecurityStores(redisUrl: string | undefined): Promise<SecurityStores> {
  if (!redisUrl) {
    return {
      kind: 'memory',
      revocations: new MemoryRevocationStore(),
      rateLimiter: new MemoryRateLimiter(),
      healthy: async () => true,
      close: async () => undefined,
    };
  }
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 2, enableOfflineQueue: true });
  await redis.connect();
  return {
    kind: 'redis',
    revocations: new RedisRevocationStore(redis),
    rateLimiter: new RedisRateLimiter(redis),
    healthy: async () => (await redis.ping().catch(() => 'down')) === 'PONG',
    close: async () => {
      await redis.quit().catch(() => undefined);
    },
  };
}
