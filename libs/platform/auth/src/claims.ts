import { DomainError, type Permission, type PlatformPermission } from '@hms/contracts-common';

/** A branch the user may act in, with what they may do there. */
export interface BranchGrant {
  id: string;
  code: string;
  permissions: string[];
}

/**
 * What an access token says about its holder. For a user of the gateway, `branches`, `platform`
 * and `homeBranchId` are replaced at every request by the user's live access (see
 * `Authenticator`), so a change of roles or memberships applies at once.
 */
export interface AccessClaims {
  sub: string;
  email: string;
  name: string;
  branches: BranchGrant[];
  /** Platform permissions (not tied to a branch). */
  platform: string[];
  /** The branch a request acts in when it names none and the user has several. */
  homeBranchId: string | null;
  jti: string;
  /** The sign-in session (refresh token family) the token belongs to; absent for outside issuers. */
  sid?: string;
  iat?: number;
  exp: number;
}

/** The caller of one request: a user acting in one branch. */
export interface Caller {
  userId: string;
  email: string;
  name: string;
  branchId: string;
  branchCode: string;
  permissions: ReadonlySet<string>;
  /** Permissions over the whole platform, e.g. `platform:audit`. */
  platformPermissions: ReadonlySet<string>;
  tokenId: string;
  correlationId: string | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Picks the branch a request acts in: the `X-Branch-Id` header, else the user's only branch,
 * else their home branch. A branch the user does not hold is a 403, never a silent fallback.
 */
export function resolveCaller(claims: AccessClaims, branchHeader: string | undefined, correlationId: string | null): Caller {
  let grant: BranchGrant | undefined;
  if (branchHeader) {
    if (!UUID.test(branchHeader)) throw new DomainError('validation', 'branch-header-invalid', 'X-Branch-Id must be a branch id (a UUID)');
    grant = claims.branches.find((b) => b.id === branchHeader.toLowerCase());
    if (!grant) throw new DomainError('forbidden', 'branch-not-granted', 'You are not a member of the branch named in X-Branch-Id');
  } else if (claims.branches.length === 1) {
    grant = claims.branches[0];
  } else if (claims.branches.length === 0) {
    throw new DomainError('forbidden', 'no-branch', 'Your account is not a member of any branch');
  } else {
    grant = claims.homeBranchId ? claims.branches.find((b) => b.id === claims.homeBranchId) : undefined;
    if (!grant) throw new DomainError('validation', 'branch-header-required', 'You belong to several branches and have no home branch: name one in the X-Branch-Id header');
  }
  return {
    userId: claims.sub,
    email: claims.email,
    name: claims.name,
    branchId: grant.id,
    branchCode: grant.code,
    permissions: new Set(grant.permissions),
    platformPermissions: new Set(claims.platform),
    tokenId: claims.jti,
    correlationId,
  };
}

export function assertPermissions(caller: Caller, required: readonly Permission[]): void {
  const missing = required.filter((p) => !caller.permissions.has(p));
  if (missing.length) {
    throw new DomainError('forbidden', 'permission-missing', `This action needs the ${missing.join(', ')} permission in this branch`, {
      missingPermissions: missing,
    });
  }
}

export function assertPlatformPermissions(caller: Pick<Caller, 'platformPermissions'>, required: readonly PlatformPermission[]): void {
  const missing = required.filter((p) => !caller.platformPermissions.has(p));
  if (missing.length) {
    throw new DomainError('forbidden', 'permission-missing', `This action needs the platform permission ${missing.join(', ')}, which no branch role grants`, {
      missingPermissions: missing,
    });
  }
}
