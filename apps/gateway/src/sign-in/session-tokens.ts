import { Inject, Injectable } from '@nestjs/common';
import { SignJWT } from 'jose';
import { createHash, randomBytes } from 'node:crypto';
import { TOKEN_ALGORITHMS, tokenClockSeconds, type SessionState } from '@hms/platform-auth';
import { type Tx } from '@hms/platform-persistence';
import { ID_GENERATOR, type IdGenerator } from '@hms/platform-time';
import { CONFIG, SESSION_STATE } from '@hms/platform-service';
import { MembershipsRepository } from '../data/memberships.repository';
import { RefreshTokensRepository } from '../data/refresh-tokens.repository';
import type { UserEntity } from '../data/user.entity';
import { platformPermissions } from '../domain/administration';
import { SIGNING_KEY, type SigningKey } from '../signing-keys/signing-key';

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

/** A new session, or the one a refresh token continues. */
export interface Session {
  id: string;
  /** Epoch seconds at which the session ends, however often it is refreshed. */
  endsAt: number;
}

/** Refresh tokens are kept only as this hash. */
export const hashRefreshToken = (token: string): string => createHash('sha256').update(token).digest('hex');

/** Who a token pair is issued to. */
export type TokenHolder = Pick<UserEntity, 'id' | 'email' | 'name' | 'platformRoles' | 'homeBranchId'>;

/**
 * Issues short-lived access tokens and rotating refresh tokens. A sign-in starts a session (the
 * refresh token family, named in each access token's `sid`) that ends at an absolute time. A
 * refresh token is single-use (see RefreshTokenUseCase). Shared by the use cases that start,
 * continue or end sessions; each calls it inside its own transaction.
 */
@Injectable()
export class SessionTokens {
  constructor(
    private readonly memberships: MembershipsRepository,
    private readonly refreshTokens: RefreshTokensRepository,
    @Inject(CONFIG) private readonly config: TokenConfig,
    @Inject(SIGNING_KEY) private readonly key: SigningKey,
    @Inject(SESSION_STATE) private readonly sessions: SessionState,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
  ) {}

  /** Starts a session for `user` (after sign-in or a password change). */
  start(tx: Tx, user: TokenHolder): Promise<TokenPair> {
    return this.issue(tx, user, { id: this.ids.next(), endsAt: tokenClockSeconds() + this.config.REFRESH_SESSION_MAX_SECONDS });
  }

  /** A new token pair in `session`. */
  async issue(tx: Tx, user: TokenHolder, session: Session): Promise<TokenPair> {
    const grants = await this.memberships.grants(tx, user.id);
    const now = tokenClockSeconds();
    const accessExpires = Math.min(now + this.config.ACCESS_TOKEN_TTL_SECONDS, session.endsAt);
    const accessToken = await new SignJWT({
      typ: 'access',
      sid: session.id,
      email: user.email,
      name: user.name,
      // What the user held when the token was issued; every process checks the live access instead.
      branches: grants.map((g) => ({ id: g.id, code: g.code, roles: g.roles, permissions: g.permissions })),
      platform: platformPermissions(user.platformRoles),
      home: user.homeBranchId,
    })
      .setProtectedHeader({ alg: TOKEN_ALGORITHMS[0], kid: this.key.kid, typ: 'JWT' })
      .setSubject(user.id)
      .setIssuer(this.config.AUTH_ISSUER)
      .setAudience(this.config.AUTH_AUDIENCE)
      .setIssuedAt(now)
      .setExpirationTime(accessExpires)
      .setJti(this.ids.next())
      .sign(this.key.privateKey);
    const refreshToken = `rt_${randomBytes(32).toString('base64url')}`;
    const refreshExpires = Math.min(now + this.config.REFRESH_TOKEN_TTL_SECONDS, session.endsAt);
    await this.refreshTokens.insert(tx, {
      id: this.ids.next(),
      familyId: session.id,
      userId: user.id,
      tokenHash: hashRefreshToken(refreshToken),
      expiresAt: refreshExpires,
      sessionExpiresAt: session.endsAt,
    });
    return { accessToken, refreshToken, tokenType: 'Bearer', expiresIn: accessExpires - now, refreshExpiresIn: refreshExpires - now };
  }

  /** Ends sessions everywhere: their access tokens are refused from now on. */
  async revokeSessions(ended: { familyId: string; ends: number }[]): Promise<void> {
    if (ended.length) await this.sessions.revocations.revokeSessions(ended.map((s) => s.familyId), Math.max(...ended.map((s) => s.ends)));
  }

  /** Ends every session of a user (password changed or reset, account deactivated): refresh and access tokens alike. */
  async endAll(tx: Tx, userId: string): Promise<void> {
    const open = await this.refreshTokens.openSessions(tx, userId);
    await this.refreshTokens.revokeAllOf(tx, userId);
    await this.revokeSessions(open);
  }
}
