import { Inject, Injectable } from '@nestjs/common';
import type { SessionState } from '@hms/platform-auth';
import { Database } from '@hms/platform-persistence';
import { SESSION_STATE } from '@hms/platform-service';
import { RefreshTokensRepository } from '../data/refresh-tokens.repository';
import { SessionTokens, hashRefreshToken } from './session-tokens';

/**
 * Signs out: the access token is refused from now on, everywhere; with the refresh token, its
 * whole session ends too (every access token issued in it).
 */
@Injectable()
export class SignOutUseCase {
  constructor(
    private readonly db: Database,
    private readonly refreshTokens: RefreshTokensRepository,
    private readonly tokens: SessionTokens,
    @Inject(SESSION_STATE) private readonly sessions: SessionState,
  ) {}

  async execute(token: { id: string; expiresAt: number; userId: string }, refreshToken?: string): Promise<void> {
    await this.sessions.revocations.revokeToken(token.id, token.expiresAt);
    if (!refreshToken) return;
    await this.db.transaction('all', async (tx) => {
      const ended = await this.refreshTokens.revokeFamilyOf(tx, hashRefreshToken(refreshToken), token.userId);
      if (ended.length) await this.tokens.revokeSessions([{ familyId: ended[0].familyId, ends: Math.max(...ended.map((e) => e.ends)) }]);
    });
  }
}
