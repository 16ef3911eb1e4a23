import { ExistingPatientForDuplicateCheck, findLikelyDuplicates } from './duplicates';

let counter = 0;
function aPatient(overrides: Partial<ExistingPatientForDuplicateCheck> = {}): ExistingPatientForDuplicateCheck {
  counter++;
  return {
    id: `patient-${counter}`,
    uhid: `MAIN${String(counter).padStart(8, '0')}`,
    name: 'Someone Else',
    phone: null,
    dateOfBirth: null,
    abhaNumber: null,
    ...overrides,
  };
}

describe('WF-01 findLikelyDuplicates', () => {
  it('same-abha: the same ABHA digits, however written, whatever the name', () => {
    const existing = aPatient({ name: 'A. Devi', abhaNumber: '91377205864665' });
    const found = findLikelyDuplicates({ name: 'Anita Devi', abhaNumber: '91-3772-0586-4665' }, [existing]);
    expect(found).toHaveLength(1);
    expect(found[0].patient).toBe(existing);
    expect(found[0].reasons).toEqual(['same-abha']);
  });

  it('ignores ABHA numbers that do not parse on either side', () => {
    const existing = aPatient({ abhaNumber: '9137720586466' });
    expect(findLikelyDuplicates({ name: 'Anita Devi', abhaNumber: '9137720586466' }, [existing])).toEqual([]);
  });

  it('same-phone-similar-name: one phone written two ways and a spelling variant', () => {
    const existing = aPatient({ name: 'Hina Patel', phone: '+919812300001' });
    const found = findLikelyDuplicates({ name: 'Heena Patel', phone: '098123 00001' }, [existing]);
    expect(found).toEqual([{ patient: existing, reasons: ['same-phone-similar-name'], nameSimilarity: 1 }]);
  });

  it('same-phone-similar-name: across scripts', () => {
    const existing = aPatient({ name: 'अनीता देवी', phone: '+919812300001' });
    const found = findLikelyDuplicates({ name: 'Anita Devi', phone: '9812300001' }, [existing]);
    expect(found.map((d) => d.reasons)).toEqual([['same-phone-similar-name']]);
  });

  it('a family sharing one phone is not a duplicate', () => {
    const husband = aPatient({ name: 'Ramesh Kumar', phone: '+919812300001', dateOfBirth: '1980-01-01' });
    const brother = aPatient({ name: 'Suresh Kumar', phone: '+919812300001' });
    const daughter = aPatient({ name: 'Pooja Kumari', phone: '+919812300001' });
    const found = findLikelyDuplicates({ name: 'Sunita Devi', phone: '+91 98123 00001', dateOfBirth: '1982-05-01' }, [
      husband,
      brother,
      daughter,
    ]);
    expect(found).toEqual([]);
  });

  it('a similar name with a different phone is not enough', () => {
    const existing = aPatient({ name: 'Hina Patel', phone: '+919812300002' });
    expect(findLikelyDuplicates({ name: 'Heena Patel', phone: '+919812300001' }, [existing])).toEqual([]);
  });

  it('same-name-dob: equal phonetic keys and the same date of birth', () => {
    const existing = aPatient({ name: 'Mohammed Rafiq', dateOfBirth: '1975-03-10' });
    const found = findLikelyDuplicates({ name: 'Muhammad Rafiq', dateOfBirth: '1975-03-10' }, [existing]);
    expect(found.map((d) => d.reasons)).toEqual([['same-name-dob']]);
  });

  it('same-name-dob: a similar but not equal name (similarity ≥ 0.8)', () => {
    const existing = aPatient({ name: 'Srinivasa Rao Kondapalli', dateOfBirth: '1975-03-10' });
    const found = findLikelyDuplicates({ name: 'Shrinivas Rao Kondapalli', dateOfBirth: '1975-03-10' }, [existing]);
    expect(found).toHaveLength(1);
    expect(found[0].nameSimilarity).toBeGreaterThanOrEqual(0.8);
    expect(found[0].nameSimilarity).toBeLessThan(1);
  });

  it('same date of birth with a different name is not a duplicate', () => {
    const existing = aPatient({ name: 'Kiran Sharma', dateOfBirth: '1990-01-01' });
    expect(findLikelyDuplicates({ name: 'Karan Sharma', dateOfBirth: '1990-01-01' }, [existing])).toEqual([]);
  });

  it('the same name with a different or missing date of birth is not enough', () => {
    const other = aPatient({ name: 'Anita Devi', dateOfBirth: '1990-01-01' });
    const unknown = aPatient({ name: 'Anita Devi', dateOfBirth: null });
    expect(findLikelyDuplicates({ name: 'Anita Devi', dateOfBirth: '1991-01-01' }, [other, unknown])).toEqual([]);
    expect(findLikelyDuplicates({ name: 'Anita Devi' }, [other, unknown])).toEqual([]);
  });

  it('lists every reason that applies', () => {
    const existing = aPatient({
      name: 'Heena Patel',
      phone: '+919812300001',
      dateOfBirth: '1980-06-01',
      abhaNumber: '91-3772-0586-4665',
    });
    const [found] = findLikelyDuplicates(
      { name: 'Hina Patel', phone: '9812300001', dateOfBirth: '1980-06-01', abhaNumber: '91377205864665' },
      [existing],
    );
    expect(found.reasons).toEqual(['same-abha', 'same-phone-similar-name', 'same-name-dob']);
  });

  it('orders a shared ABHA first, then more reasons, then more similar names', () => {
    const byPhoneOnly = aPatient({ name: 'Heena Patil', phone: '+919812300001' });
    const byPhoneExact = aPatient({ name: 'Heena Patel', phone: '+919812300001' });
    const byPhoneAndDob = aPatient({ name: 'Hina Patel', phone: '+919812300001', dateOfBirth: '1980-06-01' });
    const byAbha = aPatient({ name: 'H. Patel', abhaNumber: '91377205864665' });
    const found = findLikelyDuplicates(
      { name: 'Hina Patel', phone: '+919812300001', dateOfBirth: '1980-06-01', abhaNumber: '91377205864665' },
      [byPhoneOnly, byPhoneExact, byPhoneAndDob, byAbha],
    );
    expect(found.map((d) => d.patient)).toEqual([byAbha, byPhoneAndDob, byPhoneExact, byPhoneOnly]);
  });

  it('never matches on empty names', () => {
    const existing = aPatient({ name: '', phone: '+919812300001', dateOfBirth: '1980-06-01' });
    expect(findLikelyDuplicates({ name: '', phone: '+919812300001', dateOfBirth: '1980-06-01' }, [existing])).toEqual([]);
  });

  it('takes configured thresholds', () => {
    const existing = aPatient({ name: 'Sunita Devi', phone: '+919812300001' });
    const registration = { name: 'Anita Devi', phone: '+919812300001' };
    expect(findLikelyDuplicates(registration, [existing], { samePhone: 0.9, sameDateOfBirth: 0.9 })).toEqual([]);
    expect(findLikelyDuplicates(registration, [existing], { samePhone: 0.3, sameDateOfBirth: 0.9 })).toHaveLength(1);
  });

  it('keeps extra fields of the candidate type', () => {
    const existing = { ...aPatient({ name: 'Hina Patel', phone: '+919812300001' }), sex: 'F' as const };
    const [found] = findLikelyDuplicates({ name: 'Heena Patel', phone: '+919812300001' }, [existing]);
    expect(found.patient.sex).toBe('F');
  });
});
