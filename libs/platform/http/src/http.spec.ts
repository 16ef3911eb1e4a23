import { DomainError } from '@hms/contracts-common';
import { versionFromIfMatch, etagOf } from './etag';
import { PageQuery } from './page-query';
import { pageRequest, toPage, MAX_PAGE_SIZE } from './paging';
import { problemFromDomainError } from './problem';
import { assertSafeInput } from './sanitize';
import { createValidationPipe } from './validation';
import { hasBidiControls, isCalendarDate, isNotBlank } from './validators';

describe('problem details', () => {
  it('maps a domain error to RFC 9457 fields with its code and extras', () => {
    const p = problemFromDomainError(new DomainError('conflict', 'patient-duplicate-suspected', 'Maybe a duplicate', { candidates: [1] }));
    expect(p).toMatchObject({ type: 'urn:hms:problem:patient-duplicate-suspected', title: 'Conflict', status: 409, detail: 'Maybe a duplicate', candidates: [1] });
  });
  it('lists field errors for validation', () => {
    const p = problemFromDomainError(new DomainError('validation', 'validation-failed', 'bad', {}, [{ field: 'phone', message: 'is not a mobile number' }]));
    expect(p.status).toBe(400);
    expect(p.errors).toEqual([{ field: 'phone', message: 'is not a mobile number' }]);
  });
});

describe('unsafe input', () => {
  it.each([
    ['a NUL byte', { name: 'a\u0000b' }],
    ['an escape character', { name: '\u001b[31m' }],
    ['a __proto__ key', JSON.parse('{"__proto__": {"x": 1}}')],
    ['deep nesting', JSON.parse(`${'{"a":'.repeat(20)}1${'}'.repeat(20)}`)],
    ['an unpaired high surrogate', JSON.parse('{"address":{"city":"ab\\ud800cd"}}')],
    ['an unpaired low surrogate', { name: 'x\udc00' }],
    ['a surrogate at the end', { list: ['ok', 'y\ud83d'] }],
  ])('refuses %s', (_label, value) => {
    expect(() => assertSafeInput(value)).toThrow(DomainError);
  });
  it('accepts any script, tabs, newlines and characters outside the BMP', () => {
    expect(() => assertSafeInput({ name: 'अनीता देवी', note: 'line one\nline\ttwo 🙂', list: ['ok'] })).not.toThrow();
  });
});

describe('paging', () => {
  it('defaults and enforces a hard maximum', () => {
    expect(pageRequest(undefined, undefined)).toEqual({ limit: 20, offset: 0 });
    expect(() => pageRequest(String(MAX_PAGE_SIZE + 1), '0')).toThrow(DomainError);
    expect(() => pageRequest('ten', '0')).toThrow(DomainError);
    expect(() => pageRequest('10', '-1')).toThrow(DomainError);
  });
  it('tells whether a next page exists from one extra row', () => {
    expect(toPage([1, 2, 3], { limit: 2, offset: 4 })).toEqual({ items: [1, 2], limit: 2, offset: 4, nextOffset: 6 });
    expect(toPage([1, 2], { limit: 2, offset: 0 }).nextOffset).toBeNull();
  });
});

describe('If-Match', () => {
  it('reads versions from ETags we issued', () => {
    expect(versionFromIfMatch(etagOf(7))).toBe(7);
    expect(versionFromIfMatch('W/"3"')).toBe(3);
  });
  it('requires the header and refuses other values', () => {
    expect(() => versionFromIfMatch(undefined)).toThrow(expect.objectContaining({ kind: 'precondition-required' }));
    expect(() => versionFromIfMatch('*')).toThrow(expect.objectContaining({ kind: 'validation' }));
  });
});

describe('field rules', () => {
  it.each([
    ['2026-02-28', true],
    ['2028-02-29', true],
    ['1900-01-01', true],
    ['2026-02-30', false],
    ['2027-02-29', false],
    ['0000-01-01', false],
    ['1899-12-31', false],
    ['2200-01-01', false],
    ['2026-1-01', false],
    ['2026-13-01', false],
  ])('calendar date %s → %s', (value, ok) => {
    expect(isCalendarDate(value)).toBe(ok);
  });
  it('tells blank strings from names', () => {
    expect(isNotBlank(' \t\n ')).toBe(false);
    expect(isNotBlank('')).toBe(false);
    expect(isNotBlank(' Asha ')).toBe(true);
    expect(isNotBlank(42)).toBe(false);
  });
  it('finds bidirectional controls that would spoof a name', () => {
    expect(hasBidiControls('Asha\u202eahsA')).toBe(true);
    expect(hasBidiControls('x\u2067y')).toBe(true);
    expect(hasBidiControls('محمد علی')).toBe(false);
  });
});

describe('PageQuery', () => {
  const pipe = createValidationPipe();
  const parse = (query: Record<string, string>) => pipe.transform(query, { type: 'query', metatype: PageQuery });

  it('defaults to the first page of 20 and reads numbers from the query string', async () => {
    expect(await parse({})).toMatchObject({ limit: 20, offset: 0 });
    expect(await parse({ limit: '', offset: '' })).toMatchObject({ limit: 20, offset: 0 });
    expect(await parse({ limit: '100', offset: '40' })).toMatchObject({ limit: 100, offset: 40 });
  });

  it.each([['0'], ['101'], ['1.5'], ['abc'], ['-3']])('refuses limit=%s with one message naming the range', async (limit) => {
    await expect(parse({ limit })).rejects.toMatchObject({ errors: [{ field: 'limit', message: 'must be a whole number from 1 to 100' }] });
  });

  it('refuses an offset out of range, and unknown parameters', async () => {
    await expect(parse({ offset: '1000001' })).rejects.toMatchObject({ errors: [{ field: 'offset', message: 'must be a whole number from 0 to 1000000' }] });
    await expect(parse({ page: '2' })).rejects.toMatchObject({ errors: [{ field: 'page' }] });
  });
});
