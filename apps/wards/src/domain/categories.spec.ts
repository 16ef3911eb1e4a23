import { DEFAULT_BED_CATEGORIES } from './categories';

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
