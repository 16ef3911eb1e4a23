import { DomainError } from '@hms/contracts-common';
import { assertChangeable } from './record-change';
import { prefixLocked, uhidSettingsOf } from './uhid-series';

const codeOf = (run: () => void): string | null => {
  try {
    run();
    return null;
  } catch (error) {
    if (error instanceof DomainError) return error.code;
    throw error;
  }
};

describe('assertChangeable', () => {
  const record = { status: 'active' as const, mergedInto: null, version: 3 };
  it('lets a change through at the version the caller saw', () => expect(codeOf(() => assertChangeable(record, 3))).toBeNull());
  it('a missing record is not found', () => expect(codeOf(() => assertChangeable(null, 1))).toBe('patient-not-found'));
  it('a merged record takes no change', () => expect(codeOf(() => assertChangeable({ ...record, status: 'merged', mergedInto: 'x' }, 3))).toBe('patient-merged'));
  it('another version is a lost update', () => expect(codeOf(() => assertChangeable(record, 2))).toBe('version-mismatch'));
});

describe('UHID series', () => {
  it('before the first registration the branch code is the prefix and it can still change', () => {
    expect(uhidSettingsOf(null, 'PUNE')).toEqual({ prefix: 'PUNE', nextValue: 1, locked: false });
    expect(prefixLocked(null)).toBe(false);
  });
  it('once a UHID was issued the prefix is locked', () => {
    expect(uhidSettingsOf({ prefix: 'PN', nextValue: 2 }, 'PUNE')).toEqual({ prefix: 'PN', nextValue: 2, locked: true });
    expect(prefixLocked({ nextValue: 2 })).toBe(true);
  });
});
