import { Injectable } from '@nestjs/common';
import { IsNull } from 'typeorm';
import type { Tx } from '@hms/platform-persistence';
import { RefreshTokenEntity } from './refresh-token.entity';

/** A refresh token as presented for a refresh: locked until the transaction ends. */
export interface PresentedRefreshToken {
  id: string;
  familyId: string;
  userId: string;
  /** Past its own expiry or its session's, by the database's clock. */
  expired: boolean;
  /** Epoch seconds at which its session ends. */
  ends: number;
  usedAt: Date | null;
  revokedAt: Date | null;
}

/** A sign-in session (refresh token family) and when it ends, in epoch seconds. */
export interface SessionEnd {
  familyId: string;
  ends: number;
}

/** Refresh tokens, kept as their hashes (table `refresh_tokens`). */
@Injectable()
export class RefreshTokensRepository {
  async insert(tx: Tx, token: { id: string; familyId: string; userId: string; tokenHash: string; expiresAt: number; sessionExpiresAt: number }): Promise<void> {
    await tx.manager.insert(RefreshTokenEntity, {
      id: token.id,
      familyId: token.familyId,
      userId: token.userId,
      tokenHash: token.tokenHash,
      expiresAt: new Date(token.expiresAt * 1000),
      sessionExpiresAt: new Date(token.sessionExpiresAt * 1000),
    });
  }

  /** The token with this hash, locked (FOR UPDATE), with its expiry judged by the database. */
  presented(tx: Tx, tokenHash: string): Promise<PresentedRefreshToken | null> {
    return tx.maybeOne<PresentedRefreshToken>(
      `SELECT id, family_id AS "familyId", user_id AS "userId", expires_at < now() OR session_expires_at < now() AS expired,
              extract(epoch FROM session_expires_at)::float8 AS ends, used_at AS "usedAt", revoked_at AS "revokedAt"
       FROM refresh_tokens WHERE token_hash = $1 FOR UPDATE`,
      [tokenHash],
    );
  }

  async markUsed(tx: Tx, id: string): Promise<void> {
    await tx.manager.update(RefreshTokenEntity, { id }, { usedAt: () => 'now()' });
  }

  /** Revokes every token of a session (those revoked already keep their time). */
  async revokeFamily(tx: Tx, familyId: string): Promise<void> {
    await tx.manager.update(RefreshTokenEntity, { familyId, revokedAt: IsNull() }, { revokedAt: () => 'now()' });
  }

  /** Revokes the session of the user's token with this hash; the session ended (none when the token is not the user's). */
  async revokeFamilyOf(tx: Tx, tokenHash: string, userId: string): Promise<SessionEnd[]> {
    return tx.query<SessionEnd>(
      `UPDATE refresh_tokens SET revoked_at = coalesce(revoked_at, now())
       WHERE family_id = (SELECT family_id FROM refresh_tokens WHERE token_hash = $1 AND user_id = $2)
       RETURNING family_id AS "familyId", extract(epoch FROM session_expires_at)::float8 AS ends`,
      [tokenHash, userId],
    );
  }

  /** The open sessions of a user, with when each would end. */
  openSessions(tx: Tx, userId: string): Promise<SessionEnd[]> {
    return tx.query<SessionEnd>(
      `SELECT family_id AS "familyId", extract(epoch FROM max(session_expires_at))::float8 AS ends FROM refresh_tokens
       WHERE user_id = $1 AND revoked_at IS NULL AND session_expires_at > now() GROUP BY family_id`,
      [userId],
    );
  }

  /** Revokes every token of the user not revoked yet. */
  async revokeAllOf(tx: Tx, userId: string): Promise<void> {
    await tx.manager.update(RefreshTokenEntity, { userId, revokedAt: IsNull() }, { revokedAt: () => 'now()' });
  }
}
