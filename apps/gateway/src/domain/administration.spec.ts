import { DomainError } from '@hms/contracts-common';
import { assertManagesMemberships, assertMayChangeUser, assertMayGrantPlatformRoles, definableRole, managedBranches, platformPermissions, shownMemberships, type Administrator } from './administration';

const A = '01a20000-0000-7000-8000-00000000000a';
const B = '01a20000-0000-7000-8000-00000000000b';

const branchAdmin: Administrator = { branches: [{ id: A, permissions: ['identity:manage', 'patients:read'] }, { id: B, permissions: ['patients:read'] }], platform: [] };
const platformAdmin: Administrator = { branches: [], platform: ['platform:manage'] };

const codeOf = (work: () => unknown): string | undefined => {
  try {
    work();
    return undefined;
  } catch (error) {
    return error instanceof DomainError ? error.code : 'not-a-domain-error';
  }
};

describe('administration rules', () => {
  it('a branch admin manages the branches where they hold identity:manage, and gives memberships only there', () => {
    expect([...managedBranches(branchAdmin)]).toEqual([A]);
    expect(codeOf(() => assertManagesMemberships(branchAdmin, [{ branchId: A, roles: ['nurse'] }]))).toBeUndefined();
    expect(codeOf(() => assertManagesMemberships(branchAdmin, [{ branchId: B, roles: ['nurse'] }]))).toBe('permission-missing');
    expect(codeOf(() => assertManagesMemberships(platformAdmin, [{ branchId: B, roles: ['nurse'] }]))).toBeUndefined();
  });

  it('never lets one branch’s admin change the account of a user who also works elsewhere', () => {
    expect(codeOf(() => assertMayChangeUser(branchAdmin, [A, B], false))).toBeUndefined();
    expect(codeOf(() => assertMayChangeUser(branchAdmin, [A, B], true))).toBe('user-in-other-branches');
    expect(codeOf(() => assertMayChangeUser(branchAdmin, [B], false))).toBe('not-found');
    expect(codeOf(() => assertMayChangeUser(platformAdmin, [B], true))).toBeUndefined();
  });

  it('grants platform roles with platform:manage only', () => {
    expect(codeOf(() => assertMayGrantPlatformRoles(branchAdmin, undefined))).toBeUndefined();
    expect(codeOf(() => assertMayGrantPlatformRoles(branchAdmin, ['platform-auditor']))).toBe('permission-missing');
    expect(codeOf(() => assertMayGrantPlatformRoles(platformAdmin, ['platform-auditor']))).toBeUndefined();
    expect(codeOf(() => assertMayGrantPlatformRoles(platformAdmin, ['nurse']))).toBe('validation-failed');
  });

  it('shows a branch admin only the memberships in their branches', () => {
    const memberships = [
      { branchId: A, roles: ['nurse'] },
      { branchId: B, roles: ['nurse'] },
    ];
    expect(shownMemberships(branchAdmin, memberships)).toEqual([memberships[0]]);
    expect(shownMemberships(platformAdmin, memberships)).toEqual(memberships);
  });

  it('defines roles with well-formed names and branch permissions only; never admin or a platform role', () => {
    expect(definableRole('lab-tech', ['patients:read', 'patients:read'])).toEqual(['patients:read']);
    expect(codeOf(() => definableRole('Lab Tech', []))).toBe('validation-failed');
    expect(codeOf(() => definableRole('admin', []))).toBe('role-protected');
    expect(codeOf(() => definableRole('platform-admin', []))).toBe('role-protected');
    expect(codeOf(() => definableRole('lab-tech', ['platform:manage']))).toBe('validation-failed');
  });

  it('derives platform permissions from platform roles', () => {
    expect(platformPermissions(['platform-auditor', 'platform-auditor'])).toEqual(['platform:audit']);
    expect(platformPermissions([])).toEqual([]);
  });
});
