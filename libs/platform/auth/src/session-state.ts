import type { Pool } from 'pg';
import { createClient } from 'redis';
import { DomainError } from '@hms/contracts-common';
import { migrate, type Migration } from '@hms/platform-persistence';
import type { BranchGrant } from './claims';

/**
 * Shared session state: what every process (gateway and services alike) consults on every
 * request after checking a token's signature, so that a sign-out, a deactivation or a change of
 * roles takes effect at once everywhere, and survives restarts.
 *
 * - Live access (`hms_auth.user_access`, always PostgreSQL): per user, whether the account is
 *   active, its branch grants, platform permissions and home branch. The gateway writes it in
 *   the same transaction as the change to users, memberships, roles or branches.
 * - Revocations: token ids (sign-out) and sessions (refresh-token families ended by sign-out,
 *   a password change or detected reuse), each until it would have expired anyway. In Redis
 *   where REDIS_URL is set (shared by every replica), otherwise in `hms_auth.revocations`.
 */
export const AUTH_SCHEMA = 'hms_auth';
/** Every service's login reads the state; only the gateway's role writes it. */
export const AUTH_READER_ROLE = 'hms_auth_reader';
export const AUTH_WRITER_ROLE = 'hms_auth_writer';

export const authStateMigrations: Migration[] = [
  {
    id: '0001_session_state',
    up: `
      DO $$ BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${AUTH_READER_ROLE}') THEN CREATE ROLE ${AUTH_READER_ROLE} NOLOGIN; END IF;
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'hms_gateway') THEN CREATE ROLE hms_gateway NOLOGIN; END IF;
      EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
      END $$;
      CREATE TABLE user_access (
        user_id text PRIMARY KEY,
        active boolean NOT NULL,
        branches jsonb NOT NULL,
        platform text[] NOT NULL DEFAULT '{}',
        home_branch_id uuid,
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE TABLE revocations (
        kind text NOT NULL CHECK (kind IN ('token', 'session')),
        id text NOT NULL,
        expires_at timestamptz NOT NULL,
        PRIMARY KEY (kind, id)
      );
      CREATE INDEX revocations_expiry ON revocations (expires_at);
      GRANT USAGE ON SCHEMA ${AUTH_SCHEMA} TO ${AUTH_READER_ROLE};
      GRANT SELECT ON user_access, revocations TO ${AUTH_READER_ROLE};
      -- The gateway acts as hms_gateway inside its transactions, which write the access rows.
      GRANT {{role}} TO hms_gateway;
    `,
  },
  {
    id: '0002_readers_see_versions',
    up: `
      -- A service's login checks, at start, that the schema is up to date: it reads which migrations ran.
      GRANT SELECT ON schema_migrations TO ${AUTH_READER_ROLE};
    `,
  },
];

/** Creates or upgrades the shared schema (needs the rights of its owner: an administrator or the provisioning job). */
export function migrateSessionState(pool: Pool): Promise<string[]> {
  return migrate(pool, { schema: AUTH_SCHEMA, role: AUTH_WRITER_ROLE, migrations: authStateMigrations });
}

/** A user's access as it stands now. */
export interface LiveAccess {
  active: boolean;
  branches: BranchGrant[];
  platform: string[];
  homeBranchId: string | null;
}

export interface SessionVerdict {
  /** The token itself or its session was revoked. */
  revoked: boolean;
  /** The user's live access; null for a subject the gateway does not know (an outside issuer). */
  access: LiveAccess | null;
}

/** Where token and session revocations are kept. */
export interface RevocationStore {
  readonly kind: 'redis' | 'postgres';
  revokeToken(tokenId: string, expiresAtEpochSeconds: number): Promise<void>;
  revokeSessions(sessionIds: readonly string[], untilEpochSeconds: number): Promise<void>;
  isRevoked(tokenId: string, sessionId: string | undefined): Promise<boolean>;
  healthy(): Promise<boolean>;
  close(): Promise<void>;
}

/** The state a request is checked against. */
export interface SessionState {
  readonly revocations: RevocationStore;
  check(userId: string, tokenId: string, sessionId: string | undefined): Promise<SessionVerdict>;
  healthy(): Promise<boolean>;
  close(): Promise<void>;
}

const unavailable = () =>
  new DomainError('unavailable', 'session-state-unavailable', 'Sign-in checks are unavailable for a moment; try again shortly', { retryAfterSeconds: 5 });

/** Store failures are the platform being unavailable (a 503), never a 500 or a wrongly accepted token. */
async function guarded<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof DomainError) throw error;
    throw unavailable();
  }
}

interface AccessRow {
  active: boolean | null;
  branches: BranchGrant[] | null;
  platform: string[] | null;
  home_branch_id: string | null;
  revoked?: boolean;
}

const toAccess = (row: AccessRow | undefined): LiveAccess | null =>
  row && row.active !== null
    ? { active: row.active, branches: row.branches ?? [], platform: row.platform ?? [], homeBranchId: row.home_branch_id }
    : null;

export class PostgresRevocationStore implements RevocationStore {
  readonly kind = 'postgres' as const;
  private lastSweep = 0;
  constructor(private readonly pool: Pool) {}

  async revokeToken(tokenId: string, expiresAt: number): Promise<void> {
    await this.insert('token', [tokenId], expiresAt);
  }
  async revokeSessions(sessionIds: readonly string[], until: number): Promise<void> {
    if (sessionIds.length) await this.insert('session', sessionIds, until);
  }
  async isRevoked(tokenId: string, sessionId: string | undefined): Promise<boolean> {
    const { rows } = await guarded(() =>
      this.pool.query<{ revoked: boolean }>(
        `SELECT EXISTS (SELECT 1 FROM ${AUTH_SCHEMA}.revocations
           WHERE ((kind = 'token' AND id = $1) OR (kind = 'session' AND id = $2)) AND expires_at > now()) AS revoked`,
        [tokenId, sessionId ?? null],
      ),
    );
    return rows[0].revoked;
  }
  async healthy(): Promise<boolean> {
    return this.pool.query('SELECT 1').then(
      () => true,
      () => false,
    );
  }
  async close(): Promise<void> {
    /* the pool belongs to the service, which ends it */
  }

  private async insert(kind: 'token' | 'session', ids: readonly string[], until: number): Promise<void> {
    await guarded(() =>
      this.pool.query(
        `INSERT INTO ${AUTH_SCHEMA}.revocations (kind, id, expires_at) SELECT $1, unnest($2::text[]), to_timestamp($3)
         ON CONFLICT (kind, id) DO UPDATE SET expires_at = GREATEST(revocations.expires_at, EXCLUDED.expires_at)`,
        [kind, ids, until],
      ),
    );
    if (Date.now() - this.lastSweep > 60_000) {
      this.lastSweep = Date.now();
      await this.pool.query(`DELETE FROM ${AUTH_SCHEMA}.revocations WHERE expires_at < now() - interval '1 hour'`).catch(() => undefined);
    }
  }
}


export class RedisRevocationStore implements RevocationStore {
  readonly kind = 'redis' as const;
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  async revokeToken(tokenId: string, expiresAt: number): Promise<void> {
    await guarded(() => this.redis.set(`${this.prefix}revoked:token:${tokenId}`, '1', { expiration: { type: 'EXAT', value: Math.max(expiresAt, tokenClockSeconds() + 1) } }));
  }
  async revokeSessions(sessionIds: readonly string[], until: number): Promise<void> {
    if (!sessionIds.length) return;
    const multi = this.redis.multi();
    for (const sid of sessionIds) multi.set(`${this.prefix}revoked:session:${sid}`, '1', { expiration: { type: 'EXAT', value: Math.max(until, tokenClockSeconds() + 1) } });
    await guarded(() => multi.exec());
  }
  async isRevoked(tokenId: string, sessionId: string | undefined): Promise<boolean> {
    const keys = [`${this.prefix}revoked:token:${tokenId}`, ...(sessionId ? [`${this.prefix}revoked:session:${sessionId}`] : [])];
    return (await guarded(() => this.redis.exists(keys))) > 0;
  }
  async healthy(): Promise<boolean> {
    return (await this.redis.ping().catch(() => 'down')) === 'PONG';
  }
  async close(): Promise<void> {
    if (this.redis.isOpen) await this.redis.close().catch(() => undefined);
  }
}

/**
 * Token time, in Unix seconds, on the system clock and not a service's injected one: every
 * process checks a token's `exp` against its own system time, so tokens are minted, and their
 * revocations expire, on that clock too.
 */
export const tokenClockSeconds = (): number => Math.floor(Date.now() / 1000);

function newRedisClient(url: string) {
  return createClient({
    url,
    // A request must not wait for a Redis that is away: it gets a 503 at once and tries again.
    disableOfflineQueue: true,
    socket: { connectTimeout: 5_000, reconnectStrategy: (retries: number) => Math.min(100 * 2 ** retries, 5_000) },
  });
}

/** A node-redis client as the platform configures it. */
export type RedisConnection = ReturnType<typeof newRedisClient>;
type Redis = RedisConnection;

/** A connected node-redis client that reports errors instead of crashing, and never queues commands while disconnected. */
export async function connectRedis(url: string, onError?: (error: Error) => void): Promise<RedisConnection> {
  const client = newRedisClient(url);
  client.on('error', (error: Error) => onError?.(error));
  await client.connect();
  return client;
}

class StoredSessionState implements SessionState {
  constructor(
    private readonly pool: Pool,
    readonly revocations: RevocationStore,
  ) {}

  async check(userId: string, tokenId: string, sessionId: string | undefined): Promise<SessionVerdict> {
    if (this.revocations.kind === 'postgres') {
      // One round trip: the live access and the revocation check together.
      // A named (prepared) statement: asked on every request, planned once per connection.
      const { rows } = await guarded(() =>
        this.pool.query<AccessRow>({
          name: 'hms-session-check',
          text: `SELECT a.active, a.branches, a.platform, a.home_branch_id,
                  EXISTS (SELECT 1 FROM ${AUTH_SCHEMA}.revocations r
                    WHERE ((r.kind = 'token' AND r.id = $2) OR (r.kind = 'session' AND r.id = $3)) AND r.expires_at > now()) AS revoked
           FROM (SELECT 1) AS one LEFT JOIN ${AUTH_SCHEMA}.user_access a ON a.user_id = $1`,
          values: [userId, tokenId, sessionId ?? null],
        }),
      );
      return { revoked: rows[0].revoked === true, access: toAccess(rows[0]) };
    }
    const [revoked, access] = await Promise.all([this.revocations.isRevoked(tokenId, sessionId), this.access(userId)]);
    return { revoked, access };
  }

  async healthy(): Promise<boolean> {
    const [db, store] = await Promise.all([
      this.pool.query(`SELECT 1 FROM ${AUTH_SCHEMA}.user_access LIMIT 1`).then(
        () => true,
        () => false,
      ),
      this.revocations.healthy(),
    ]);
    return db && store;
  }

  close(): Promise<void> {
    return this.revocations.close();
  }

  private async access(userId: string): Promise<LiveAccess | null> {
    const { rows } = await guarded(() =>
      this.pool.query<AccessRow>({ name: 'hms-access-read', text: `SELECT active, branches, platform, home_branch_id FROM ${AUTH_SCHEMA}.user_access WHERE user_id = $1`, values: [userId] }),
    );
    return toAccess(rows[0]);
  }
}

/**
 * The session state of one process: revocations in Redis (keys under `redis.prefix`) when a
 * Redis URL is given, otherwise in PostgreSQL beside the live access.
 */
export async function openSessionState(
  pool: Pool,
  redis: { url: string | undefined; prefix: string },
  onError?: (error: Error) => void,
): Promise<SessionState> {
  const revocations = redis.url ? new RedisRevocationStore(await connectRedis(redis.url, onError), redis.prefix) : new PostgresRevocationStore(pool);
  return new StoredSessionState(pool, revocations);
}

