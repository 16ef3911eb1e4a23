import { Injectable, type Type } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { Request } from 'express';
import passport from 'passport';
import { Strategy, type StrategyOptionsWithRequest } from 'passport-jwt';
import { DomainError } from '@hms/contracts-common';
import { Authenticator } from './authenticator';
import type { AccessClaims } from './claims';
import { CLOCK_TOLERANCE_SECONDS, TOKEN_ALGORITHMS, TokenVerifier, bearerToken, bearerTokenOrNull } from './token-verifier';

let strategies = 0;

/**
 * Passport keeps strategies in one registry per process, by name. Tests run several services
 * (and restarts of one) in a process, each with its own keys and session state, so every service
 * instance registers its JWT strategy under a name of its own and releases it when it stops.
 */
export function jwtStrategyName(service: string): string {
  return strategyName('jwt', service);
}

/** A passport strategy name of its own for one service instance (`jwt`, `local`, …). */
export function strategyName(kind: string, service: string): string {
  strategies += 1;
  return `${kind}:${service}:${strategies}`;
}

/**
 * The access-token strategy (passport-jwt): the bearer token's ES256 signature is checked against
 * the key its `kid` names in the gateway's JWKS (the gateway itself uses its own key), with the
 * issuer, audience and expiry; `validate` then admits the payload through the shared session
 * state (`Authenticator`). The user it yields is the request's `AccessClaims`.
 */
export function jwtStrategy(name: string): Type<unknown> {
  @Injectable()
  class JwtStrategy extends PassportStrategy(Strategy, name) {
    constructor(
      verifier: TokenVerifier,
      private readonly authenticator: Authenticator,
    ) {
      const options: StrategyOptionsWithRequest = {
        jwtFromRequest: (req: Request) => bearerTokenOrNull(req.headers.authorization),
        secretOrKeyProvider: (_req, rawToken, done) => {
          verifier.keyFor(String(rawToken)).then(
            // jsonwebtoken verifies with a node KeyObject, which jose's key sets return; the
            // typings only name strings and buffers.
            (key) => done(null, key as unknown as string),
            (error: unknown) => done(error),
          );
        },
        issuer: verifier.options.issuer,
        audience: verifier.options.audience,
        algorithms: [...TOKEN_ALGORITHMS],
        jsonWebTokenOptions: { clockTolerance: CLOCK_TOLERANCE_SECONDS },
        passReqToCallback: true,
      };
      super(options);
    }

    validate(_req: Request, payload: Record<string, unknown>): Promise<AccessClaims> {
      return this.authenticator.admit(payload);
    }
  }
  return JwtStrategy;
}

/** The problem a failed token check answers with: why, in the platform's codes. */
export function tokenFailure(err: unknown, info: unknown, authorization: string | undefined): Error {
  if (err instanceof Error) return err;
  if (info instanceof DomainError) return info;
  const failure = info as { name?: string; message?: string } | undefined;
  if (failure?.message === 'No auth token') {
    // No token, or a header that is not "Bearer <token>": bearerToken says which.
    bearerToken(authorization);
  }
  if (failure?.name === 'TokenExpiredError') return new DomainError('unauthenticated', 'token-expired', 'The access token has expired; refresh it or sign in again');
  return new DomainError('unauthenticated', 'token-invalid', 'The access token is not valid');
}

/**
 * Authenticates a request outside Nest's guards (the gateway's proxy) through the same passport
 * strategy, so a routed call is checked exactly as a call to a controller is.
 */
export function authenticateRequest(strategy: string, req: Request): Promise<AccessClaims> {
  return passportAuthenticate(strategy, req, (err, info) => tokenFailure(err, info, req.headers.authorization));
}

/** Runs a passport strategy on a request: its user, or the error `failure` makes of why not. */
export function passportAuthenticate<T>(strategy: string, req: Request, failure: (err: unknown, info: unknown) => Error): Promise<T> {
  return new Promise((resolve, reject) => {
    const middleware = passport.authenticate(strategy, { session: false }, (err: unknown, user: T | false, info: unknown) => {
      try {
        if (err || !user) reject(failure(err, info));
        else resolve(user);
      } catch (error) {
        reject(error);
      }
    }) as (req: Request, res: unknown, next: (error?: unknown) => void) => void;
    middleware(req, {}, (error) => reject(error ?? new Error('passport did not answer')));
  });
}

/** Forgets a strategy when the service that registered it stops. */
export function releaseStrategy(name: string): void {
  passport.unuse(name);
}
