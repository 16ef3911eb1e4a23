import { Inject, Injectable } from '@nestjs/common';
import { SignJWT } from 'jose';
import { createHash, randomBytes } from 'node:crypto';
import { DomainError, PLATFORM_ROLES } from '@hms/contracts-common';
import { TOKEN_ALGORITHMS, type SessionState } from '@hms/platform-auth';
import { Database, uuidv7, type Tx } from '@hms/platform-persistence';
import { CONFIG, SESSION_STATE } from '@hms/platform-service';
import { identityQueries, type UserRow } from './identity.repository';
import { SIGNING_KEY } from './tokens';
import type { SigningKey } from './signing-keys';

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
  refreshExpiresIn: number;
}

interface TokenConfig {
  AUTH_ISSUER: string;
  AUTH_AUDIENCE: string;
  ACCESS_TOKEN_TTL_SECONDS: number;
  REFRESH_TOKEN_TTL_SECONDS: number;
  REFRESH_SESSION_MAX_SECONDS: number;
}

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/** A new session, or the one a refresh token continues. */
interface Session {
  id: string;
  /** Epoch seconds at which the session ends, however often it is refreshed. */
  endsAt: number;
}

/**
 * Issues short-lived access tokens and rotating refresh tokens. A sign-in starts a session (the
 * refresh token family, named in each access token's `sid`) that ends at an absolute time. A
 * refresh token is single-use: presenting one that was already used ends its whole session,
 * access tokens included (it was probably stolen).
 */
@Injectable()
export class TokenService {
  constructor(
    private readonly db: Database,
    @Inject(CONFIG) private readonly config: TokenConfig,
    @Inject(SIGNING_KEY) private readonly key: SigningKey,
    @Inject(SESSION_STATE) private readonly sessions: SessionState,
  ) {}

  /** Starts a session for `user` (after sign-in or a password change). */
  start(tx: Tx, user: UserRow): Promise<TokenPair> {
    return this.issue(tx, user, { id: uuidv7(), endsAt: Math.floor(Date.now() / 1000) + this.config.REFRESH_SESSION_MAX_SECONDS });
  }

  private async issue(tx: Tx, user: UserRow, session: Session): Promise<TokenPair> {
    const grants = await identityQueries.grants(tx, user.id);
    const now = Math.floor(Date.now() / 1000);
    const platform = [...new Set(user.platform_roles.flatMap((r) => PLATFORM_ROLES[r] ?? []))].sort();
    const accessExpires = Math.min(now + this.config.ACCESS_TOKEN_TTL_SECONDS, session.endsAt);
    const accessToken = await new SignJWT({
      typ: 'access',
      sid: session.id,
      email: user.email,
      name: user.name,
      // What the user held when the token was issued; every process checks the live access instead.
      branches: grants.map((g) => ({ id: g.id, code: g.code, roles: g.roles, permissions: g.permissions })),
      platform,
      home: user.home_branch_id,
    })
      .setProtectedHeader({ alg: TOKEN_ALGORITHMS[0], kid: this.key.kid, typ: 'JWT' })
      .setSubject(user.id)
      .setIssuer(this.config.AUTH_ISSUER)
      .setAudience(this.config.AUTH_AUDIENCE)
      .setIssuedAt(now)
      .setExpirationTime(accessExpires)
      .setJti(uuidv7())
      .sign(this.key.privateKey);
    const refreshToken = `rt_${randomBytes(32).toString('base64url')}`;
    const refreshExpires = Math.min(now + this.config.REFRESH_TOKEN_TTL_SECONDS, session.endsAt);
    await tx.query(
      `INSERT INTO refresh_tokens (id, family_id, user_id, token_hash, expires_at, session_expires_at) VALUES ($1, $2, $3, $4, to_timestamp($5), to_timestamp($6))`,
      [uuidv7(), session.id, user.id, hashToken(refreshToken), refreshExpires, session.endsAt],
    );
    return { accessToken, refreshToken, tokenType: 'Bearer', expiresIn: accessExpires - now, refreshExpiresIn: refreshExpires - now };
  }

  async refresh(refreshToken: string): Promise<TokenPair> {
    const invalid = new DomainError('unauthenticated', 'refresh-token-invalid', 'The refresh token is not valid; sign in again');
    const outcome = await this.db.transaction('all', async (tx) => {
      const row = await tx.maybeOne<{ id: string; family_id: string; user_id: string; expired: boolean; ends: number; used_at: Date | null; revoked_at: Date | null }>(
        `SELECT id, family_id, user_id, expires_at < now() OR session_expires_at < now() AS expired,
                extract(epoch FROM session_expires_at)::float8 AS ends, used_at, revoked_at
         FROM refresh_tokens WHERE token_hash = $1 FOR UPDATE`,
        [hashToken(refreshToken)],
      );
      if (!row) return { error: invalid };
      if (row.used_at || row.revoked_at) {
        // Reuse of a rotated token: end the whole session, its access tokens with it.
        await tx.query('UPDATE refresh_tokens SET revoked_at = coalesce(revoked_at, now()) WHERE family_id = $1', [row.family_id]);
        await this.sessions.revocations.revokeSessions([row.family_id], row.ends);
        return { error: invalid };
      }
      if (row.expired) return { error: invalid };
      const user = await identityQueries.userById(tx, row.user_id);
      if (!user || !user.active) return { error: invalid };
      await tx.query('UPDATE refresh_tokens SET used_at = now() WHERE id = $1', [row.id]);
      return { pair: await this.issue(tx, user, { id: row.family_id, endsAt: Math.floor(row.ends) }) };
    });
    if ('error' in outcome) throw outcome.error;
    return outcome.pair;
  }

  /**
   * Signs out: the access token is refused from now on, everywhere; with the refresh token, its
   * whole session ends too (every access token issued in it).
   */
  async signOut(tokenId: string, accessExp: number, userId: string, refreshToken?: string): Promise<void> {
    await this.sessions.revocations.revokeToken(tokenId, accessExp);
    if (!refreshToken) return;
    await this.db.transaction('all', async (tx) => {
      const ended = await tx.query<{ family_id: string; ends: number }>(
        `UPDATE refresh_tokens SET revoked_at = coalesce(revoked_at, now())
         WHERE family_id = (SELECT family_id FROM refresh_tokens WHERE token_hash = $1 AND user_id = $2)
         RETURNING family_id, extract(epoch FROM session_expires_at)::float8 AS ends`,
        [hashToken(refreshToken), userId],
      );
      if (ended.length) await this.sessions.revocations.revokeSessions([ended[0].family_id], Math.max(...ended.map((e) => e.ends)));
    });
  }

  /** Ends every session of a user (password changed or reset, account deactivated): refresh and access tokens alike. */
  async endAllSessions(tx: Tx, userId: string): Promise<void> {
    const open = await identityQueries.openSessions(tx, userId);
    await tx.query('UPDATE refresh_tokens SET revoked_at = coalesce(revoked_at, now()) WHERE user_id = $1 AND revoked_at IS NULL', [userId]);
    if (open.length) await this.sessions.revocations.revokeSessions(open.map((s) => s.family_id), Math.max(...open.map((s) => s.ends)));
  }
}
