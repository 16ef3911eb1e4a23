import { Injectable } from '@nestjs/common';
import { Database } from '@hms/platform-persistence';
import { RefreshTokensRepository } from '../data/refresh-tokens.repository';
import { UsersRepository } from '../data/users.repository';
import { SessionTokens, hashRefreshToken, type TokenPair } from './session-tokens';
import { gatewayError } from '../domain/errors';

/**
 * Exchanges a refresh token for a new pair in the same session. A refresh token is single-use:
 * presenting one that was already used ends its whole session, access tokens included (it was
 * probably stolen).
 */
@Injectable()
export class RefreshTokenUseCase {
  constructor(
    private readonly db: Database,
    private readonly refreshTokens: RefreshTokensRepository,
    private readonly users: UsersRepository,
    private readonly tokens: SessionTokens,
  ) {}

  async execute(refreshToken: string): Promise<TokenPair> {
    const invalid = gatewayError('unauthenticated', 'refresh-token-invalid', 'The refresh token is not valid; sign in again');
    const outcome = await this.db.transaction('all', async (tx) => {
      const token = await this.refreshTokens.presented(tx, hashRefreshToken(refreshToken));
      if (!token) return { error: invalid };
      if (token.usedAt || token.revokedAt) {
        // Reuse of a rotated token: end the whole session, its access tokens with it.
        await this.refreshTokens.revokeFamily(tx, token.familyId);
        await this.tokens.revokeSessions([{ familyId: token.familyId, ends: token.ends }]);
        return { error: invalid };
      }
      if (token.expired) return { error: invalid };
      const user = await this.users.byId(tx, token.userId);
      if (!user || !user.active) return { error: invalid };
      await this.refreshTokens.markUsed(tx, token.id);
      return { pair: await this.tokens.issue(tx, user, { id: token.familyId, endsAt: Math.floor(token.ends) }) };
    });
    if ('error' in outcome) throw outcome.error;
    return outcome.pair;
  }
}
