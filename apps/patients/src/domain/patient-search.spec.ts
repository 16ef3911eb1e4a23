import { planSearch } from './patient-search';

describe('planSearch: what the one search box looks up', () => {
  it('tries a UHID first (upper case) and falls back to the name', () => {
    const plan = planSearch('bra00000042');
    expect(plan.uhid).toBe('BRA00000042');
    expect(plan.then.kind).toBe('name');
  });

  it.each<[string, string, Record<string, string>]>([
    ['98123 00001', 'phone', { phone: '+919812300001' }],
    ['+91 98123-00001', 'phone', { phone: '+919812300001' }],
    ['91-3772-0586-4665', 'abha-number', { digits: '91377205864665' }],
    ['Heena.Patel@ABDM', 'abha-address', { address: 'heena.patel@abdm' }],
  ])('reads %s as a %s, exactly', (text, kind, value) => {
    expect(planSearch(text)).toEqual({ uhid: null, then: { kind, ...value } });
  });

  it('reads a name as its phonetic key and plain spelling, so Hina and Heena meet', () => {
    const hina = planSearch('Hina Patel').then;
    const heena = planSearch('Heena Patel').then;
    expect(hina.kind).toBe('name');
    expect(hina).toEqual(expect.objectContaining({ phonetic: expect.any(String), plain: expect.any(String) }));
    if (hina.kind === 'name' && heena.kind === 'name') expect(hina.phonetic).toBe(heena.phonetic);
  });

  it('finds nothing for a text without letters or digits to match', () => {
    expect(planSearch('--').then).toEqual({ kind: 'nothing' });
  });
});
