import { Injectable } from '@nestjs/common';
import { UserSignedIn } from '@hms/contracts-gateway';
import { Outbox } from '@hms/platform-messaging';
import { Database } from '@hms/platform-persistence';
import { SessionTokens, type TokenHolder, type TokenPair } from './session-tokens';

/** Opens a session for a user whose credentials the sign-in strategy checked (VerifyCredentialsUseCase). */
@Injectable()
export class SignInUseCase {
  constructor(
    private readonly db: Database,
    private readonly outbox: Outbox,
    private readonly tokens: SessionTokens,
  ) {}

  execute(user: TokenHolder, correlationId?: string): Promise<TokenPair> {
    return this.db.transaction('all', async (tx) => {
      await this.outbox.append(tx, UserSignedIn, { userId: user.id, outcome: 'success' }, {
        key: user.id,
        branchId: null,
        actor: { type: 'user', id: user.id },
        correlationId,
      });
      return this.tokens.start(tx, user);
    });
  }
}
