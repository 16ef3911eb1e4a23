import { looksLikeUhid, normalizeAbhaNumber, normalizeIndianMobile, phoneticKey, searchName } from '@hms/patients-domain';

/** pg_trgm's default similarity threshold: below it, two names are not taken as one. */
export const NAME_SIMILARITY = 0.3;

/** What the desk's one search box holds, once read: an exact identifier or a name. */
export type SearchLookup =
  | { kind: 'phone'; phone: string }
  | { kind: 'abha-number'; digits: string }
  | { kind: 'abha-address'; address: string }
  /** Fuzzy: the phonetic key (Hina and Heena share one) and the plain transliterated spelling. */
  | { kind: 'name'; phonetic: string; plain: string }
  /** Nothing a patient could match (a name without letters). */
  | { kind: 'nothing' };

export interface SearchPlan {
  /** A UHID to try first (upper case); when no record has it, `then` is searched instead. */
  uhid: string | null;
  then: SearchLookup;
}

/**
 * How a search text is looked up: a UHID exactly (first, when it looks like one), then a phone,
 * an ABHA number or an ABHA address exactly, and otherwise the name, fuzzily. `text` is the
 * query as validated (NFC, trimmed).
 */
export function planSearch(text: string): SearchPlan {
  return { uhid: looksLikeUhid(text) ? text.toUpperCase() : null, then: lookupOf(text) };
}

function lookupOf(text: string): SearchLookup {
  const compact = text.replace(/[\s()-]/g, '');
  if (/^\+?\d{10,12}$/.test(compact)) {
    const phone = normalizeIndianMobile(text);
    if (phone.ok) return { kind: 'phone', phone: phone.e164 };
  }
  const abha = normalizeAbhaNumber(text);
  if (abha.ok) return { kind: 'abha-number', digits: abha.digits };
  if (text.includes('@')) return { kind: 'abha-address', address: text.toLowerCase() };
  const phonetic = phoneticKey(text);
  if (!phonetic.trim()) return { kind: 'nothing' };
  return { kind: 'name', phonetic, plain: searchName(text) };
}
