import { createRemoteJWKSet, jwtVerify, type JWTVerifyGetKey, type KeyLike } from 'jose';
import { DomainError } from '@hms/contracts-common';
import type { AccessClaims, BranchGrant } from './claims';

export interface TokenVerifierOptions {
  issuer: string;
  audience: string;
  /** Either a JWKS URL (services, external OIDC) or a key resolver (the gateway's own keys). */
  jwksUrl?: string;
  keys?: JWTVerifyGetKey | KeyLike;
}

export const TOKEN_ALGORITHMS = ['ES256'];

/** Verifies access tokens: signature, issuer, audience, expiry and the claims the platform needs. */
export class TokenVerifier {
  private readonly keys: JWTVerifyGetKey | KeyLike;

  constructor(private readonly options: TokenVerifierOptions) {
    if (options.keys) this.keys = options.keys;
    else if (options.jwksUrl) this.keys = createRemoteJWKSet(new URL(options.jwksUrl), { cooldownDuration: 5_000, timeoutDuration: 3_000 });
    else throw new Error('TokenVerifier needs a JWKS URL or keys');
  }

  async verify(token: string): Promise<AccessClaims> {
    let payload: Record<string, unknown>;
    try {
      const result = await jwtVerify(token, this.keys as Parameters<typeof jwtVerify>[1], {
        issuer: this.options.issuer,
        audience: this.options.audience,
        algorithms: TOKEN_ALGORITHMS,
        clockTolerance: 5,
      });
      payload = result.payload as Record<string, unknown>;
    } catch (error) {
      const code = (error as { code?: string }).code;
      const detail =
        code === 'ERR_JWT_EXPIRED'
          ? 'The access token has expired; refresh it or sign in again'
          : code === 'ERR_JWKS_TIMEOUT' || code === 'ERR_JOSE_GENERIC'
            ? 'The access token could not be checked right now'
            : 'The access token is not valid';
      throw new DomainError('unauthenticated', code === 'ERR_JWT_EXPIRED' ? 'token-expired' : 'token-invalid', detail);
    }
    if (payload['typ'] !== 'access') throw new DomainError('unauthenticated', 'token-invalid', 'This is not an access token');
    const branches = payload['branches'];
    if (typeof payload.sub !== 'string' || typeof payload['jti'] !== 'string' || !Array.isArray(branches)) {
      throw new DomainError('unauthenticated', 'token-invalid', 'The access token lacks required claims');
    }
    const platform = payload['platform'];
    const home = payload['home'];
    const sid = payload['sid'];
    return {
      sub: payload.sub,
      email: String(payload['email'] ?? ''),
      name: String(payload['name'] ?? ''),
      branches: branches as BranchGrant[],
      platform: Array.isArray(platform) ? platform.filter((p): p is string => typeof p === 'string') : [],
      homeBranchId: typeof home === 'string' ? home : null,
      jti: payload['jti'] as string,
      ...(typeof sid === 'string' ? { sid } : {}),
      ...(typeof payload.iat === 'number' ? { iat: payload.iat } : {}),
      exp: Number(payload['exp']),
    };
  }
}

export function bearerToken(header: string | undefined): string {
  if (!header) throw new DomainError('unauthenticated', 'token-missing', 'Send an access token in the Authorization header (Bearer …)');
  const match = /^Bearer\s+([A-Za-z0-9._~+/=-]{10,4096})$/.exec(header.trim());
  if (!match) throw new DomainError('unauthenticated', 'token-invalid', 'The Authorization header must be "Bearer <access token>"');
  return match[1];
}
