import { Inject, Injectable, type CanActivate, type ExecutionContext, type Type } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { Request } from 'express';
import { Strategy } from 'passport-local';
import { DomainError } from '@hms/contracts-common';
import { UserSignedIn } from '@hms/contracts-gateway';
import { passportAuthenticate } from '@hms/platform-auth';
import { createValidationPipe } from '@hms/platform-http';
import { Outbox } from '@hms/platform-messaging';
import { Database } from '@hms/platform-persistence';
import { LoginThrottle } from '../security/login-throttle';
import { LoginDto } from './dto';
import { identityQueries, type UserRow } from './identity.repository';
import { DUMMY_HASH, verifyPassword } from './password';

/** The name this gateway instance registered its sign-in strategy under (see `strategyName`). */
export const SIGN_IN_STRATEGY = Symbol('SIGN_IN_STRATEGY');

type SignInRequest = Request & { correlationId?: string; user?: UserRow };

const loginFailed = () => new DomainError('unauthenticated', 'login-failed', 'The email or password is wrong, or the account is inactive');

/**
 * Email and password sign-in (passport-local). Guessing is slowed first (`LoginThrottle`); the
 * password is checked against a dummy hash when there is no such user, so the answer takes as long
 * either way; a failure against a real account is recorded for the audit. The user it yields is
 * the account row, whose tokens the controller issues.
 */
export function signInStrategy(name: string): Type<unknown> {
  @Injectable()
  class SignInStrategy extends PassportStrategy(Strategy, name) {
    constructor(
      private readonly db: Database,
      private readonly outbox: Outbox,
      @Inject(LoginThrottle) private readonly throttle: LoginThrottle,
    ) {
      super({ usernameField: 'email', passwordField: 'password', passReqToCallback: true, session: false });
    }

    async validate(req: SignInRequest, rawEmail: string, password: string): Promise<UserRow> {
      const email = rawEmail.trim().toLowerCase();
      const address = req.ip ?? '';
      await this.throttle.assertAllowed(email, address);
      const user = await this.db.transaction('all', async (tx) => {
        const found = await identityQueries.userByEmail(tx, email);
        const ok = await verifyPassword(password, found?.password_hash ?? DUMMY_HASH);
        if (found && !(ok && found.active)) {
          await this.outbox.append(tx, UserSignedIn, { userId: found.id, outcome: 'failure' }, {
            key: found.id,
            branchId: null,
            actor: { type: 'system', id: 'gateway' },
            correlationId: req.correlationId,
          });
        }
        return found && ok && found.active ? found : null;
      });
      if (!user) {
        await this.throttle.failed(email, address);
        throw loginFailed();
      }
      await this.throttle.succeeded(email, address);
      return user;
    }
  }
  return SignInStrategy;
}

/**
 * Guards the sign-in route: the body is validated as `LoginDto` first (guards run before pipes,
 * and a malformed body deserves the same 400 as anywhere else), then the sign-in strategy runs.
 */
@Injectable()
export class SignInGuard implements CanActivate {
  private readonly validation = createValidationPipe();

  constructor(@Inject(SIGN_IN_STRATEGY) private readonly strategy: string) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<SignInRequest>();
    req.body = await this.validation.transform(req.body, { type: 'body', metatype: LoginDto });
    req.user = await passportAuthenticate<UserRow>(this.strategy, req, (err) => (err instanceof Error ? err : loginFailed()));
    return true;
  }
}
