import { createRemoteJWKSet, decodeProtectedHeader, type JWTHeaderParameters, type JWTVerifyGetKey, type KeyLike } from 'jose';
import { DomainError } from '@hms/contracts-common';
import type { AccessClaims, BranchGrant } from './claims';

export interface TokenVerifierOptions {
  issuer: string;
  audience: string;
  /** Either a JWKS URL (services, external OIDC) or a key resolver (the gateway's own keys). */
  jwksUrl?: string;
  keys?: JWTVerifyGetKey | KeyLike;
}

export const TOKEN_ALGORITHMS = ['ES256'] as const;

/** Seconds of clock difference between the gateway and a service that an expiry check forgives. */
export const CLOCK_TOLERANCE_SECONDS = 5;

/**
 * What checking an access token needs besides the token: who must have issued it and for whom,
 * the one algorithm accepted, and the public key that signed it (found by `kid` in the gateway's
 * JWKS, or the gateway's own key). The signature itself is checked by the passport JWT strategy
 * (`jwt.strategy.ts`); this turns the verified payload into the claims the platform acts on.
 */
export class TokenVerifier {
  private readonly keys: JWTVerifyGetKey | KeyLike;

  constructor(readonly options: TokenVerifierOptions) {
    if (options.keys) this.keys = options.keys;
    else if (options.jwksUrl) this.keys = createRemoteJWKSet(new URL(options.jwksUrl), { cooldownDuration: 5_000, timeoutDuration: 3_000 });
    else throw new Error('TokenVerifier needs a JWKS URL or keys');
  }

  /** The public key that should have signed this token; refuses one that names no known key. */
  async keyFor(rawToken: string): Promise<KeyLike> {
    if (typeof this.keys !== 'function') return this.keys;
    let header: JWTHeaderParameters;
    try {
      const decoded = decodeProtectedHeader(rawToken);
      if (typeof decoded.alg !== 'string' || decoded.b64 === false) throw new Error('not a signed JWT');
      header = { ...decoded, alg: decoded.alg, b64: undefined };
    } catch {
      throw new DomainError('unauthenticated', 'token-invalid', 'The access token is not valid');
    }
    try {
      // jose's key sets take the token for its header only; the signature is checked afterwards.
      return (await this.keys(header, { payload: '', signature: '' } as Parameters<JWTVerifyGetKey>[1])) as KeyLike;
    } catch (error) {
      const code = (error as { code?: string }).code;
      throw code === 'ERR_JWKS_TIMEOUT' || code === 'ERR_JOSE_GENERIC'
        ? new DomainError('unauthenticated', 'token-invalid', 'The access token could not be checked right now')
        : new DomainError('unauthenticated', 'token-invalid', 'The access token is not valid');
    }
  }

  /** The platform's claims from a payload whose signature, issuer, audience and expiry were checked. */
  claimsOf(payload: Record<string, unknown>): AccessClaims {
    if (payload['typ'] !== 'access') throw new DomainError('unauthenticated', 'token-invalid', 'This is not an access token');
    const branches = payload['branches'];
    if (typeof payload['sub'] !== 'string' || typeof payload['jti'] !== 'string' || !Array.isArray(branches)) {
      throw new DomainError('unauthenticated', 'token-invalid', 'The access token lacks required claims');
    }
    const platform = payload['platform'];
    const home = payload['home'];
    const sid = payload['sid'];
    return {
      sub: payload['sub'],
      email: String(payload['email'] ?? ''),
      name: String(payload['name'] ?? ''),
      branches: branches as BranchGrant[],
      platform: Array.isArray(platform) ? platform.filter((p): p is string => typeof p === 'string') : [],
      homeBranchId: typeof home === 'string' ? home : null,
      jti: payload['jti'],
      ...(typeof sid === 'string' ? { sid } : {}),
      ...(typeof payload['iat'] === 'number' ? { iat: payload['iat'] } : {}),
      exp: Number(payload['exp']),
    };
  }
}

const BEARER = /^Bearer\s+([A-Za-z0-9._~+/=-]{10,4096})$/;

export function bearerToken(header: string | undefined): string {
  if (!header) throw new DomainError('unauthenticated', 'token-missing', 'Send an access token in the Authorization header (Bearer …)');
  const match = BEARER.exec(header.trim());
  if (!match) throw new DomainError('unauthenticated', 'token-invalid', 'The Authorization header must be "Bearer <access token>"');
  return match[1];
}

/** The bearer token of a request, or null when there is none (the strategy then says why). */
export function bearerTokenOrNull(header: string | undefined): string | null {
  const match = header ? BEARER.exec(header.trim()) : null;
  return match ? match[1] : null;
}
