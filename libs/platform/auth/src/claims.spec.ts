import { DomainError } from '@hms/contracts-common';
import { assertPermissions, assertPlatformPermissions, resolveCaller, type AccessClaims } from './claims';

const A = '01a20000-0000-7000-8000-00000000000a';
const B = '01a20000-0000-7000-8000-00000000000b';
const claims = (branches: AccessClaims['branches'], homeBranchId: string | null = null): AccessClaims => ({
  sub: 'u1',
  email: 'u@x',
  name: 'U',
  branches,
  platform: [],
  homeBranchId,
  jti: 'j',
  exp: 0,
});

describe('resolveCaller', () => {
  it('uses the only branch when no header names one', () => {
    const c = resolveCaller(claims([{ id: A, code: 'AAA', permissions: ['patients:read'] }]), undefined, 'corr');
    expect(c).toMatchObject({ userId: 'u1', branchId: A, branchCode: 'AAA', correlationId: 'corr' });
  });
  it('uses the branch named in X-Branch-Id and refuses one not granted', () => {
    const two = claims([
      { id: A, code: 'AAA', permissions: [] },
      { id: B, code: 'BBB', permissions: ['audit:read'] },
    ]);
    expect(resolveCaller(two, B.toUpperCase(), null).branchCode).toBe('BBB');
    expect(() => resolveCaller(two, '01a20000-0000-7000-8000-00000000000c', null)).toThrow(expect.objectContaining({ kind: 'forbidden' }));
    expect(() => resolveCaller(two, undefined, null)).toThrow(expect.objectContaining({ code: 'branch-header-required' }));
    expect(() => resolveCaller(two, 'not-a-uuid', null)).toThrow(expect.objectContaining({ kind: 'validation' }));
  });
  it('acts in the home branch when a user of several branches names none', () => {
    const branches = [
      { id: A, code: 'AAA', permissions: [] },
      { id: B, code: 'BBB', permissions: ['audit:read'] },
    ];
    expect(resolveCaller(claims(branches, B), undefined, null).branchCode).toBe('BBB');
    expect(resolveCaller(claims(branches, B), A, null).branchCode).toBe('AAA');
    // A home branch the user no longer belongs to is no fallback.
    expect(() => resolveCaller(claims(branches, '01a20000-0000-7000-8000-00000000000c'), undefined, null)).toThrow(
      expect.objectContaining({ code: 'branch-header-required' }),
    );
  });
  it('checks platform permissions apart from any branch', () => {
    const caller = resolveCaller({ ...claims([{ id: A, code: 'AAA', permissions: ['identity:manage'] }]), platform: ['platform:audit'] }, undefined, null);
    expect(() => assertPlatformPermissions(caller, ['platform:audit'])).not.toThrow();
    expect(() => assertPlatformPermissions(caller, ['platform:manage'])).toThrow(expect.objectContaining({ kind: 'forbidden' }));
  });
  it('checks permissions in the acting branch only', () => {
    const two = claims([
      { id: A, code: 'AAA', permissions: ['patients:read'] },
      { id: B, code: 'BBB', permissions: ['patients:read', 'patients:merge'] },
    ]);
    expect(() => assertPermissions(resolveCaller(two, A, null), ['patients:merge'])).toThrow(DomainError);
    expect(() => assertPermissions(resolveCaller(two, B, null), ['patients:merge'])).not.toThrow();
  });
});
