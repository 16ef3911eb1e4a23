import { DEFAULT_BED_CATEGORIES, genderPolicyWarning } from './categories';

describe('default bed categories (WF-03)', () => {
  it('are the usual Indian categories, each once', () => {
    expect(DEFAULT_BED_CATEGORIES.map((c) => c.code)).toEqual(['GENERAL', 'SEMI_PRIVATE', 'PRIVATE', 'DELUXE', 'ICU', 'CCU', 'ICCU', 'NICU', 'HDU', 'DAY_CARE']);
  });

  it('mark exactly ICU, CCU, ICCU and NICU as critical care (GST-02 exempts their room rent)', () => {
    expect(DEFAULT_BED_CATEGORIES.filter((c) => c.isCriticalCare).map((c) => c.code)).toEqual(['ICU', 'CCU', 'ICCU', 'NICU']);
  });

  it('have codes the category code rule accepts', () => {
    for (const c of DEFAULT_BED_CATEGORIES) expect(c.code).toMatch(/^[A-Z][A-Z0-9_-]{1,19}$/);
  });
});

describe('genderPolicyWarning', () => {
  it('is silent on a mixed ward and where the sex matches', () => {
    for (const sex of ['M', 'F', 'O', 'U']) expect(genderPolicyWarning('mixed', sex)).toBeNull();
    expect(genderPolicyWarning('male', 'M')).toBeNull();
    expect(genderPolicyWarning('female', 'F')).toBeNull();
  });

  it('warns (never refuses) where it does not', () => {
    expect(genderPolicyWarning('male', 'F')).toMatch(/male ward.*F/);
    expect(genderPolicyWarning('female', 'M')).toMatch(/female ward.*M/);
    expect(genderPolicyWarning('female', 'O')).not.toBeNull();
    expect(genderPolicyWarning('male', 'U')).not.toBeNull();
  });
});
