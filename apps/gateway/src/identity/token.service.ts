import { Inject, Injectable } from '@nestjs/common';
import { SignJWT } from 'jose';
import { createHash, randomBytes } from 'node:crypto';
import { DomainError } from '@hms/contracts-common';
import { TOKEN_ALGORITHMS } from '@hms/platform-auth';
import { Database, uuidv7, type Tx } from '@hms/platform-persistence';
import { CONFIG } from '@hms/platform-service';
import { identityQueries, type UserRow } from './identity.repository';
import { SIGNING_KEY, SECURITY_STORES } from './tokens';
import type { SigningKey } from './signing-keys';
import type { SecurityStores } from '../security/stores';

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
}

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/**
 * Issues short-lived access tokens and rotating refresh tokens. A refresh token is single-use:
 * presenting one that was already used revokes its whole family (it was probably stolen).
 */
@Injectable()
export class TokenService {
  constructor(
    private readonly db: Database,
    @Inject(CONFIG) private readonly config: TokenConfig,
    @Inject(SIGNING_KEY) private readonly key: SigningKey,
    @Inject(SECURITY_STORES) private readonly stores: SecurityStores,
  ) {}

  async issue(tx: Tx, user: UserRow, familyId: string = uuidv7()): Promise<TokenPair> {
    const grants = await identityQueries.grants(tx, user.id);
    const now = Math.floor(Date.now() / 1000);
    const accessToken = await new SignJWT({
      typ: 'access',
      email: user.email,
      name: user.name,
      branches: grants.map((g) => ({ id: g.id, code: g.code, roles: g.roles, permissions: g.permissions })),
    })
      .setProtectedHeader({ alg: TOKEN_ALGORITHMS[0], kid: this.key.kid, typ: 'JWT' })
      .setSubject(user.id)
      .setIssuer(this.config.AUTH_ISSUER)
      .setAudience(this.config.AUTH_AUDIENCE)
      .setIssuedAt(now)
      .setExpirationTime(now + this.config.ACCESS_TOKEN_TTL_SECONDS)
      .setJti(uuidv7())
      .sign(this.key.privateKey);
    const refreshToken = `rt_${randomBytes(32).toString('base64url')}`;
    await tx.query(
      `INSERT INTO refresh_tokens (id, family_id, user_id, token_hash, expires_at) VALUES ($1, $2, $3, $4, now() + make_interval(secs => $5))`,
      [uuidv7(), familyId, user.id, hashToken(refreshToken), this.config.REFRESH_TOKEN_TTL_SECONDS],
    );
    return {
      accessToken,
      refreshToken,
      tokenType: 'Bearer',
      expiresIn: this.config.ACCESS_TOKEN_TTL_SECONDS,
      refreshExpiresIn: this.config.REFRESH_TOKEN_TTL_SECONDS,
    };
  }

  async refresh(refreshToken: string): Promise<TokenPair> {
    const invalid = new DomainError('unauthenticated', 'refresh-token-invalid', 'The refresh token is not valid; sign in again');
    const outcome = await this.db.transaction('all', async (tx) => {
      const row = await tx.maybeOne<{ id: string; family_id: string; user_id: string; expired: boolean; used_at: Date | null; revoked_at: Date | null }>(
        'SELECT id, family_id, user_id, expires_at < now() AS expired, used_at, revoked_at FROM refresh_tokens WHERE token_hash = $1 FOR UPDATE',
        [hashToken(refreshToken)],
      );
      if (!row) return { error: invalid };
      if (row.used_at || row.revoked_at) {
        // Reuse of a rotated token: end the whole session family.
        await tx.query('UPDATE refresh_tokens SET revoked_at = coalesce(revoked_at, now()) WHERE family_id = $1', [row.family_id]);
        return { error: invalid };
      }
      if (row.expired) return { error: invalid };
      const user = await identityQueries.userById(tx, row.user_id);
      if (!user || !user.active) return { error: invalid };
      await tx.query('UPDATE refresh_tokens SET used_at = now() WHERE id = $1', [row.id]);
      return { pair: await this.issue(tx, user, row.family_id) };
    });
    if ('error' in outcome) throw outcome.error;
    return outcome.pair;
  }

  /** Ends a session: the refresh token's family is revoked and the access token is denied until it expires. */
  async revoke(tokenId: string, accessExp: number, userId: string, refreshToken?: string): Promise<void> {
    await this.stores.revocations.revoke(tokenId, accessExp);
    if (refreshToken) {
      await this.db.query(
        'all',
        `UPDATE refresh_tokens SET revoked_at = coalesce(revoked_at, now())
         WHERE family_id = (SELECT family_id FROM refresh_tokens WHERE token_hash = $1 AND user_id = $2)`,
        [hashToken(refreshToken), userId],
      );
    }
  }
}
