import { Inject, Injectable } from '@nestjs/common';
import { PasswordChanged } from '@hms/contracts-gateway';
import type { AccessClaims } from '@hms/platform-auth';
import { Outbox } from '@hms/platform-messaging';
import { Database } from '@hms/platform-persistence';
import { UsersRepository } from '../data/users.repository';
import { LoginThrottle } from '../domain/login-throttle';
import { assertAcceptablePassword, hashPassword, verifyPassword } from '../domain/password';
import { SessionTokens, type TokenPair } from '../sign-in/session-tokens';
import { gatewayError } from '../domain/errors';

/**
 * Changes the caller's own password: every session ends (on every device) and a new one starts.
 * A wrong current password counts as a failed sign-in (the throttle).
 */
@Injectable()
export class ChangePasswordUseCase {
  constructor(
    private readonly db: Database,
    private readonly outbox: Outbox,
    private readonly users: UsersRepository,
    private readonly tokens: SessionTokens,
    @Inject(LoginThrottle) private readonly throttle: LoginThrottle,
  ) {}

  async execute(claims: AccessClaims, input: { currentPassword: string; newPassword: string; address: string; correlationId?: string }): Promise<TokenPair> {
    assertAcceptablePassword(input.newPassword, 'newPassword');
    if (input.newPassword === input.currentPassword) {
      throw gatewayError('validation', 'validation-failed', 'newPassword must differ from the current one', {}, [{ field: 'newPassword', message: 'must differ from the current password' }]);
    }
    await this.throttle.assertAllowed(claims.email, input.address);
    const passwordHash = await hashPassword(input.newPassword);
    const pair = await this.db.transaction('all', async (tx) => {
      const user = await this.users.byId(tx, claims.sub);
      if (!user || !(await verifyPassword(input.currentPassword, user.passwordHash))) return null;
      await this.users.setPassword(tx, user.id, passwordHash);
      await this.tokens.endAll(tx, user.id);
      await this.outbox.append(tx, PasswordChanged, { userId: user.id, by: 'self' }, {
        key: user.id,
        branchId: null,
        actor: { type: 'user', id: user.id, name: user.name },
        correlationId: input.correlationId,
      });
      return this.tokens.start(tx, user);
    });
    if (!pair) {
      await this.throttle.failed(claims.email, input.address);
      throw gatewayError('validation', 'current-password-wrong', 'currentPassword is not your current password', {}, [{ field: 'currentPassword', message: 'is not your current password' }]);
    }
    return pair;
  }
}
