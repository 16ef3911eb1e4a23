import { Inject, Injectable, type CanActivate, type ExecutionContext, type FactoryProvider, type Type } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { Request } from 'express';
import { Strategy } from 'passport-local';
import { passportAuthenticate } from '@hms/platform-auth';
import { createValidationPipe } from '@hms/platform-http';
import type { UserEntity } from '../data/user.entity';
import { VerifyCredentialsUseCase, loginFailed } from '../sign-in/verify-credentials.use-case';
import { LoginDto } from './auth.dto';

/** The name this gateway instance registered its sign-in strategy under (see `strategyName`). */
export const SIGN_IN_STRATEGY = Symbol('SIGN_IN_STRATEGY');

/** The sign-in strategy instance (registering it with passport is what matters). */
const SIGN_IN_PASSPORT_STRATEGY = Symbol('SIGN_IN_PASSPORT_STRATEGY');

type SignInRequest = Request & { correlationId?: string; user?: UserEntity };

/**
 * Email and password sign-in (passport-local), under the name given. It parses the request and
 * delegates the check (throttle, password, audit of failures) to VerifyCredentialsUseCase; the
 * user it yields is the account, whose session the controller's use case opens.
 */
export function signInStrategy(name: string): Type<{ validate(req: SignInRequest, email: string, password: string): Promise<UserEntity> }> {
  @Injectable()
  class SignInStrategy extends PassportStrategy(Strategy, name) {
    constructor(private readonly verifyCredentials: VerifyCredentialsUseCase) {
      super({ usernameField: 'email', passwordField: 'password', passReqToCallback: true, session: false });
    }

    validate(req: SignInRequest, email: string, password: string): Promise<UserEntity> {
      return this.verifyCredentials.execute({ email, password, address: req.ip ?? '', correlationId: req.correlationId });
    }
  }
  return SignInStrategy;
}

/** Registers the sign-in strategy under the name SIGN_IN_STRATEGY provides, with the use case it delegates to. */
export const signInStrategyProvider: FactoryProvider = {
  provide: SIGN_IN_PASSPORT_STRATEGY,
  inject: [SIGN_IN_STRATEGY, VerifyCredentialsUseCase],
  useFactory: (name: string, verifyCredentials: VerifyCredentialsUseCase) => new (signInStrategy(name))(verifyCredentials),
};

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
    req.user = await passportAuthenticate<UserEntity>(this.strategy, req, (err) => (err instanceof Error ? err : loginFailed()));
    return true;
  }
}
