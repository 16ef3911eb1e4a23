import { WARD_GENDER_POLICIES, type WardGenderPolicy } from '@hms/contracts-wards';
import { genderPlacement, genderPolicyMismatch, type GenderPlacement } from './gender-policy';

// Moved from categories.spec.ts (then `genderPolicyWarning`); the mismatch is now a refusal unless overridden.
describe('genderPolicyMismatch', () => {
  it('is silent on a mixed ward and where the sex matches', () => {
    for (const sex of ['M', 'F', 'O', 'U']) expect(genderPolicyMismatch('mixed', sex)).toBeNull();
    expect(genderPolicyMismatch('male', 'M')).toBeNull();
    expect(genderPolicyMismatch('female', 'F')).toBeNull();
  });

  it('describes the mismatch where it does not', () => {
    expect(genderPolicyMismatch('male', 'F')).toMatch(/male ward.*F/);
    expect(genderPolicyMismatch('female', 'M')).toMatch(/female ward.*M/);
    expect(genderPolicyMismatch('female', 'O')).not.toBeNull();
    expect(genderPolicyMismatch('male', 'U')).not.toBeNull();
  });
});

describe('genderPlacement', () => {
  // Every ward policy × recorded sex: does the patient fit? Then with or without an override.
  const fitsTable: [WardGenderPolicy, string, boolean][] = [
    ['male', 'M', true],
    ['male', 'F', false],
    ['male', 'O', false],
    ['male', 'U', false],
    ['female', 'M', false],
    ['female', 'F', true],
    ['female', 'O', false],
    ['female', 'U', false],
    ['mixed', 'M', true],
    ['mixed', 'F', true],
    ['mixed', 'O', true],
    ['mixed', 'U', true],
  ];
  const cases = fitsTable.flatMap(([policy, sex, fits]) => [
    [policy, sex, false, fits ? 'fits' : 'refused'] as const,
    [policy, sex, true, fits ? 'override-not-needed' : 'overridden'] as const,
  ]);

  it.each(cases)('a %s ward, a patient recorded %s, override %s: %s', (policy, sex, override, expected: GenderPlacement) => {
    expect(genderPlacement(policy, sex, override)).toBe(expected);
  });

  it('covers every policy the contract knows', () => {
    expect([...new Set(fitsTable.map(([policy]) => policy))]).toEqual([...WARD_GENDER_POLICIES]);
  });

  it('refuses exactly the single-sex wards for anyone not of that sex when nobody overrides', () => {
    const refused = cases.filter(([, , override, outcome]) => !override && outcome === 'refused').map(([policy, sex]) => `${policy}:${sex}`);
    expect(refused).toEqual(['male:F', 'male:O', 'male:U', 'female:M', 'female:O', 'female:U']);
  });
});
