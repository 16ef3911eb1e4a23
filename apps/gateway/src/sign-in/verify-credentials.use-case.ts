import { Inject, Injectable } from '@nestjs/common';
import { UserSignedIn } from '@hms/contracts-gateway';
import { Outbox } from '@hms/platform-messaging';
import { Database } from '@hms/platform-persistence';
import type { UserEntity } from '../data/user.entity';
import { UsersRepository } from '../data/users.repository';
import { LoginThrottle } from '../domain/login-throttle';
import { DUMMY_HASH, verifyPassword } from '../domain/password';
import { gatewayError } from '../domain/errors';

export const loginFailed = () => gatewayError('unauthenticated', 'login-failed', 'The email or password is wrong, or the account is inactive');

/**
 * Checks an email and password (the sign-in strategy's work). Guessing is slowed first
 * (`LoginThrottle`); the password is checked against a dummy hash when there is no such user, so
 * the answer takes as long either way; a failure against a real account is recorded for the
 * audit. Yields the account, whose session SignInUseCase then starts.
 */
@Injectable()
export class VerifyCredentialsUseCase {
  constructor(
    private readonly db: Database,
    private readonly outbox: Outbox,
    private readonly users: UsersRepository,
    @Inject(LoginThrottle) private readonly throttle: LoginThrottle,
  ) {}

  async execute(input: { email: string; password: string; address: string; correlationId?: string }): Promise<UserEntity> {
    const email = input.email.trim().toLowerCase();
    await this.throttle.assertAllowed(email, input.address);
    const user = await this.db.transaction('all', async (tx) => {
      const found = await this.users.byEmail(tx, email);
      const ok = await verifyPassword(input.password, found?.passwordHash ?? DUMMY_HASH);
      if (found && !(ok && found.active)) {
        await this.outbox.append(tx, UserSignedIn, { userId: found.id, outcome: 'failure' }, {
          key: found.id,
          branchId: null,
          actor: { type: 'system', id: 'gateway' },
          correlationId: input.correlationId,
        });
      }
      return found && ok && found.active ? found : null;
    });
    if (!user) {
      await this.throttle.failed(email, input.address);
      throw loginFailed();
    }
    await this.throttle.succeeded(email, input.address);
    return user;
  }
}
