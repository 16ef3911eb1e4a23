import { PERMISSIONS, PLATFORM_ROLES, isPlatformRole } from '@hms/contracts-common';
import { conflict, gatewayError, notFound } from './errors';

/**
 * The rules of administration. A branch's admin (identity:manage there) manages memberships in
 * that branch; what applies to every branch (role definitions, new branches, platform roles,
 * accounts that work in branches they do not manage) needs the platform permission
 * platform:manage, which no branch role can hold.
 */

/** What the rules need to know of the administrator: their branches' permissions and their platform permissions. */
export interface Administrator {
  readonly branches: readonly { readonly id: string; readonly permissions: readonly string[] }[];
  readonly platform: readonly string[];
}

/** A user's roles in one branch. */
export interface MembershipInput {
  branchId: string;
  roles: string[];
}

export const isPlatformAdmin = (admin: Administrator): boolean => admin.platform.includes('platform:manage');

/** Branches the administrator manages: those where they hold identity:manage. */
export function managedBranches(admin: Administrator): Set<string> {
  return new Set(admin.branches.filter((b) => b.permissions.includes('identity:manage')).map((b) => b.id));
}

/** The branches whose memberships the administrator sees: all (null) with platform:manage. */
export function visibleBranches(admin: Administrator): Set<string> | null {
  return isPlatformAdmin(admin) ? null : managedBranches(admin);
}

const notYourBranch = () => gatewayError('forbidden', 'permission-missing', 'You do not manage this branch');

/** Listing a branch's users needs identity:manage there. */
export function assertManagesBranch(admin: Administrator, branchId: string): void {
  if (!managedBranches(admin).has(branchId)) throw notYourBranch();
}

/** Changing a branch needs identity:manage there, or platform:manage. */
export function assertMayChangeBranch(admin: Administrator, branchId: string): void {
  if (!managedBranches(admin).has(branchId) && !isPlatformAdmin(admin)) throw notYourBranch();
}

/** Memberships may be given only in branches the administrator manages (any, with platform:manage). */
export function assertManagesMemberships(admin: Administrator, memberships: MembershipInput[]): void {
  if (isPlatformAdmin(admin)) return;
  const managed = managedBranches(admin);
  const outside = memberships.filter((m) => !managed.has(m.branchId));
  if (outside.length) throw gatewayError('forbidden', 'permission-missing', `You do not manage branch ${outside[0].branchId}`);
}

/** Platform roles are granted with platform:manage only, and must be platform roles. */
export function assertMayGrantPlatformRoles(admin: Administrator, roles: string[] | undefined): void {
  if (roles === undefined) return;
  if (!isPlatformAdmin(admin)) throw gatewayError('forbidden', 'permission-missing', 'Granting platform roles needs the platform:manage permission');
  const unknown = roles.filter((r) => !isPlatformRole(r));
  if (unknown.length) {
    throw gatewayError('validation', 'validation-failed', `Unknown platform roles: ${unknown.join(', ')}`, {}, [{ field: 'platformRoles', message: `unknown ${unknown.join(', ')}` }]);
  }
}

/**
 * Changing someone else's user: the administrator must manage one of the user's branches (else
 * the user is not found, for them); the account itself (name, password, active, home branch)
 * belongs to every branch the user works in, so only someone who manages all of them may change
 * it, or one branch's admin could take over another branch's user.
 */
export function assertMayChangeUser(admin: Administrator, userBranches: string[], changesAccount: boolean): void {
  if (isPlatformAdmin(admin)) return;
  const managed = managedBranches(admin);
  if (!userBranches.some((b) => managed.has(b))) throw notFound('The user');
  if (changesAccount && !userBranches.every((b) => managed.has(b))) {
    throw gatewayError('forbidden', 'user-in-other-branches', 'This user also works in branches you do not manage; only memberships in your branches can change');
  }
}

/** The memberships of a changed user an administrator is shown: those in branches they manage (all, with platform:manage). */
export function shownMemberships<M extends { branchId: string }>(admin: Administrator, memberships: M[]): M[] {
  const visible = visibleBranches(admin);
  return visible ? memberships.filter((m) => visible.has(m.branchId)) : memberships;
}

/** Roles that a membership names but that do not exist. */
export function assertRolesExist(missing: string[]): void {
  if (missing.length) throw gatewayError('validation', 'validation-failed', `Unknown roles: ${missing.join(', ')}`, {}, [{ field: 'memberships', message: `unknown roles ${missing.join(', ')}` }]);
}

export function assertBranchesExist(allExist: boolean): void {
  if (!allExist) throw gatewayError('validation', 'validation-failed', 'A membership names a branch that does not exist', {}, [{ field: 'memberships', message: 'names a branch that does not exist' }]);
}

/** A home branch must be one of the user's branches; `message` says which (for the field error). */
export function assertHomeAmong(home: string | null, branches: string[], message: string): void {
  if (home !== null && !branches.includes(home)) {
    throw gatewayError('validation', 'validation-failed', 'homeBranchId must be one of the user’s branches', {}, [{ field: 'homeBranchId', message }]);
  }
}

/**
 * A role may be defined (created or changed) when its name is well formed, it is neither the
 * admin role (which always holds every permission) nor a platform role, and every permission is
 * a branch permission. The permissions as kept: each once, in order.
 */
export function definableRole(name: string, permissions: string[]): string[] {
  if (!/^[a-z][a-z0-9-]{1,39}$/.test(name)) {
    throw gatewayError('validation', 'validation-failed', 'A role name is 2–40 lower-case letters, digits or hyphens', {}, [{ field: 'name', message: 'must be 2–40 lower-case letters, digits or hyphens' }]);
  }
  if (name === 'admin') throw conflict('role-protected', 'The admin role always holds every permission');
  if (isPlatformRole(name)) throw conflict('role-protected', `${name} is a platform role: it is granted to users, not defined`);
  const unknown = permissions.filter((p) => !(PERMISSIONS as readonly string[]).includes(p));
  if (unknown.length) throw gatewayError('validation', 'validation-failed', `Unknown permissions: ${unknown.join(', ')}`, {}, [{ field: 'permissions', message: `unknown ${unknown.join(', ')}` }]);
  return [...new Set(permissions)].sort();
}

/** Platform roles as kept: each once, in order. */
export const normalisedPlatformRoles = (roles: string[]): string[] => [...new Set(roles)].sort();

/** The platform permissions that platform roles give. */
export const platformPermissions = (roles: string[]): string[] => [...new Set(roles.flatMap((r) => PLATFORM_ROLES[r] ?? []))].sort();
