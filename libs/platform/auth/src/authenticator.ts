import { DomainError } from '@hms/contracts-common';
import type { AccessClaims } from './claims';
import type { SessionState } from './session-state';
import type { TokenVerifier } from './token-verifier';

/**
 * Turns a verified access-token payload into the claims a request acts on. The passport JWT
 * strategy has checked the signature, issuer, audience and expiry; this checks the shared session
 * state, so that what the gateway changed a moment ago holds here too: a signed-out token or
 * session is refused, a deactivated user is refused, and a user's branches and permissions are
 * the live ones, not the ones the token was issued with.
 */
export class Authenticator {
  constructor(
    readonly verifier: TokenVerifier,
    readonly sessions: SessionState,
  ) {}

  async admit(payload: Record<string, unknown>): Promise<AccessClaims> {
    const claims = this.verifier.claimsOf(payload);
    const verdict = await this.sessions.check(claims.sub, claims.jti, claims.sid);
    if (verdict.access && !verdict.access.active) throw new DomainError('unauthenticated', 'user-inactive', 'This account has been deactivated');
    if (verdict.revoked) throw new DomainError('unauthenticated', 'token-revoked', 'This access token was revoked (signed out, or the session ended); sign in again');
    if (!verdict.access) {
      // The gateway knows every user it issued a session to; a session it does not know is not one of its own.
      if (claims.sid) throw new DomainError('unauthenticated', 'token-invalid', 'The access token names an unknown user');
      return claims;
    }
    return { ...claims, branches: verdict.access.branches, platform: verdict.access.platform, homeBranchId: verdict.access.homeBranchId };
  }
}
