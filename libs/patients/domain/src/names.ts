/**
 * Names for search and duplicate checks. Patients are registered in Devanagari and in Latin
 * script, spelt many ways (Heena/Hina, Mohammed/Muhammad), so comparisons go through a
 * transliteration and a phonetic key rather than the raw text.
 */

// ---------------------------------------------------------------------------------------
// Devanagari → Latin (simplified, ASCII, lower case; vowel length is not marked)
// ---------------------------------------------------------------------------------------

const VIRAMA = '\u094d';
const NUKTA = '\u093c';
const ANUSVARA = '\u0902';
const CANDRABINDU = '\u0901';
const INVERTED_CANDRABINDU = '\u0900';
const VISARGA = '\u0903';
const AVAGRAHA = '\u093d';
const OM = '\u0950';
const HA = 'ह';

const CONSONANTS: Readonly<Record<string, string>> = {
  क: 'k', ख: 'kh', ग: 'g', घ: 'gh', ङ: 'n',
  च: 'ch', छ: 'chh', ज: 'j', झ: 'jh', ञ: 'n',
  ट: 't', ठ: 'th', ड: 'd', ढ: 'dh', ण: 'n',
  त: 't', थ: 'th', द: 'd', ध: 'dh', न: 'n',
  प: 'p', फ: 'ph', ब: 'b', भ: 'bh', म: 'm',
  य: 'y', र: 'r', ल: 'l', ळ: 'l', व: 'v',
  श: 'sh', ष: 'sh', स: 's', ह: 'h',
};

/** Consonant + nukta, mostly Perso-Arabic sounds. (NFKD splits the precomposed letters.) */
const NUKTA_CONSONANTS: Readonly<Record<string, string>> = {
  क: 'q', ख: 'kh', ग: 'gh', ज: 'z', ड: 'r', ढ: 'rh', फ: 'f', य: 'y', न: 'n', र: 'r', ळ: 'l',
};

const INDEPENDENT_VOWELS: Readonly<Record<string, string>> = {
  अ: 'a', आ: 'a', इ: 'i', ई: 'i', उ: 'u', ऊ: 'u', ऋ: 'ri', ॠ: 'ri', ऌ: 'li', ॡ: 'li',
  ए: 'e', ऐ: 'ai', ओ: 'o', औ: 'au', ऍ: 'e', ऎ: 'e', ऑ: 'o', ऒ: 'o', ॲ: 'e', ऄ: 'a',
};

const VOWEL_SIGNS: Readonly<Record<string, string>> = {
  '\u093e': 'a', '\u093f': 'i', '\u0940': 'i', '\u0941': 'u', '\u0942': 'u',
  '\u0943': 'ri', '\u0944': 'ri', '\u0962': 'li', '\u0963': 'li',
  '\u0945': 'e', '\u0946': 'e', '\u0947': 'e', '\u0948': 'ai',
  '\u0949': 'o', '\u094a': 'o', '\u094b': 'o', '\u094c': 'au',
  '\u093a': 'o', '\u093b': 'o', '\u094e': 'e', '\u094f': 'au', '\u0955': 'e', '\u0956': 'ue', '\u0957': 'ue',
};

const LABIALS = new Set(['प', 'फ', 'ब', 'भ', 'म']);
const STOPS = new Set([...'कखगघचछजझटठडढतथदधपफबभ']);
/** Final consonants of a cluster after which the inherent vowel is still spoken. */
const KEEPS_FINAL_SCHWA = new Set(['य', 'र', 'ल', 'व', 'न', 'म', 'ण', 'ञ']);

/** Latin letters that NFKD does not split into a base letter and a diacritic. */
const LATIN_SPECIALS: Readonly<Record<string, string>> = {
  ß: 'ss', æ: 'ae', œ: 'oe', ø: 'o', ł: 'l', đ: 'd', ð: 'd', þ: 'th', ı: 'i', ħ: 'h',
};

// Alternatives rather than one class: the lint rule misreads adjacent combining-mark ranges.
// Not \p{M}, which would also strip Devanagari vowel signs.
const COMBINING_DIACRITIC = /[\u0300-\u036f]|[\u1ab0-\u1aff]|[\u1dc0-\u1dff]|[\u20d0-\u20ff]|[\ufe20-\ufe2f]/;

function isDevanagari(ch: string | undefined): boolean {
  if (ch === undefined) return false;
  const code = ch.charCodeAt(0);
  return code >= 0x0900 && code <= 0x097f;
}

/** Letters and signs that continue a Devanagari word (not digits, dandas or the abbreviation sign). */
function continuesDevanagariWord(ch: string | undefined): boolean {
  if (!isDevanagari(ch)) return false;
  const code = (ch as string).charCodeAt(0);
  return !(code >= 0x0964 && code <= 0x0970);
}

/**
 * A readable, simplified transliteration for search: `अनीता देवी` → `anita devi`,
 * `मोहम्मद` → `mohammad`, `सिंह` → `singh`. Consonants carry an inherent 'a' unless a vowel
 * sign or virama follows. The word-final inherent vowel is dropped (`राम` → `ram`) except
 * in one-syllable words and after clusters where Hindi keeps it (`मित्र` → `mitra`,
 * `गुप्त` → `gupta`; but `अनन्त` → `anant`, `पार्थ` → `parth`). Medial schwa deletion is
 * not attempted. Latin text is lower-cased with diacritics stripped; other scripts pass
 * through lower-cased.
 */
export function transliterateToLatin(text: string): string {
  const chars = [...text.normalize('NFKD')];
  let out = '';

  // State of the Devanagari word being read.
  let pendingSchwa = false; // the last consonant has no vowel yet
  let afterVirama = false;
  let cluster: string[] = []; // consonants of the current cluster (base letters)
  let vowels = 0; // vowels written in this word

  const writeInherentVowel = (): void => {
    if (pendingSchwa) {
      out += 'a';
      vowels++;
      pendingSchwa = false;
    }
  };
  const endWord = (): void => {
    if (pendingSchwa && (vowels === 0 || keepsFinalSchwa(cluster))) out += 'a';
    pendingSchwa = false;
    afterVirama = false;
    cluster = [];
    vowels = 0;
  };

  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i];

    const consonant = CONSONANTS[ch];
    if (consonant !== undefined) {
      let value = consonant;
      if (chars[i + 1] === NUKTA) {
        value = NUKTA_CONSONANTS[ch] ?? consonant;
        i++;
      }
      writeInherentVowel();
      if (!afterVirama) cluster = [];
      cluster.push(ch);
      if (ch === 'ज' && chars[i + 1] === VIRAMA && chars[i + 2] === 'ञ') {
        value = 'gy'; // ज्ञ is said and written 'gy' in Hindi: ज्ञान → gyan
        cluster.push('ञ');
        i += 2;
      }
      out += value;
      pendingSchwa = true;
      afterVirama = false;
      continue;
    }

    const sign = VOWEL_SIGNS[ch];
    if (sign !== undefined) {
      out += sign;
      vowels++;
      pendingSchwa = false;
      afterVirama = false;
      continue;
    }

    const vowel = INDEPENDENT_VOWELS[ch];
    if (vowel !== undefined) {
      writeInherentVowel();
      out += vowel;
      vowels++;
      afterVirama = false;
      cluster = [];
      continue;
    }

    if (ch === VIRAMA) {
      pendingSchwa = false;
      afterVirama = true;
      continue;
    }
    if (ch === ANUSVARA || ch === CANDRABINDU || ch === INVERTED_CANDRABINDU) {
      writeInherentVowel();
      out += nasal(chars[i + 1], chars[i + 2]);
      afterVirama = false;
      continue;
    }
    if (ch === VISARGA) {
      writeInherentVowel();
      out += 'h';
      afterVirama = false;
      continue;
    }
    if (ch === OM) {
      writeInherentVowel();
      out += 'om';
      vowels++;
      continue;
    }
    if (ch === NUKTA || ch === AVAGRAHA || continuesDevanagariWord(ch)) {
      continue; // stray nukta, avagraha, accents: nothing to write
    }

    // Anything else ends a Devanagari word.
    endWord();
    if (isDevanagari(ch)) {
      const code = ch.charCodeAt(0);
      if (code >= 0x0966 && code <= 0x096f) out += String(code - 0x0966);
      else out += '.'; // danda, double danda, abbreviation sign
      continue;
    }
    if (COMBINING_DIACRITIC.test(ch)) continue;
    const lower = ch.toLowerCase();
    out += LATIN_SPECIALS[lower] ?? lower;
  }
  endWord();
  return out.normalize('NFC');
}

/** Anusvara: 'm' before labials, 'ng' in a word-final `ंह` (सिंह → singh), else 'n'. */
function nasal(next: string | undefined, afterNext: string | undefined): string {
  if (next !== undefined && LABIALS.has(next)) return 'm';
  if (next === HA && !continuesDevanagariWord(afterNext)) return 'ng';
  return 'n';
}

function keepsFinalSchwa(cluster: readonly string[]): boolean {
  if (cluster.length < 2) return false;
  const last = cluster[cluster.length - 1];
  const before = cluster[cluster.length - 2];
  if (KEEPS_FINAL_SCHWA.has(last)) return true; // मित्र, आदित्य, शुक्ल, कृष्ण, पद्म
  // Two different stops keep it (गुप्त, भक्त); a doubled stop does not (भट्ट → bhatt).
  return STOPS.has(last) && STOPS.has(before) && last !== before;
}

// ---------------------------------------------------------------------------------------
// Search form
// ---------------------------------------------------------------------------------------

/**
 * The form stored for trigram search: transliterated, lower case, letters and digits only,
 * single spaces. Apostrophes vanish (D'Souza → dsouza); other punctuation separates words.
 * Letters of scripts other than Latin and Devanagari are kept rather than erased, so a name
 * written only in, say, Tamil stays searchable.
 */
export function searchName(name: string): string {
  let out = '';
  for (const ch of transliterateToLatin(name)) {
    if (/[a-z0-9]/.test(ch)) out += ch;
    else if (/['’`]/.test(ch)) continue;
    else if (/[\p{L}\p{M}]/u.test(ch) && !/\p{Script=Latin}/u.test(ch)) out += ch;
    else out += ' ';
  }
  return out.replace(/\s+/g, ' ').trim();
}

// ---------------------------------------------------------------------------------------
// Phonetic key
// ---------------------------------------------------------------------------------------

/** Abbreviations written in place of a whole name. */
const ABBREVIATIONS: Readonly<Record<string, string>> = { md: 'mohammed', mohd: 'mohammed', mohmd: 'mohammed' };

/** Vowel runs, after consonant rules. Single vowels: a, e → a; i → i; o, u → u. */
const VOWEL_RUNS: Readonly<Record<string, string>> = {
  aa: 'a', ee: 'i', ii: 'i', ie: 'i', oo: 'u', uu: 'u',
  au: 'au', ou: 'au', ai: 'ai', ei: 'ai', ae: 'ai',
};
const SINGLE_VOWELS: Readonly<Record<string, string>> = { a: 'a', e: 'a', i: 'i', o: 'u', u: 'u' };

/**
 * A key under which common spellings of the same Indian name are equal, one per word,
 * words joined by single spaces. Rules, in order, on the search form of each word:
 *  1. md/mohd → mohammed; word-initial you → yu (Yousuf/Yusuf, Youvraj/Yuvraj).
 *  2. ph → f, x → ks, q → k, z → j.
 *  3. ow before a consonant → au (Chowdhury/Chaudhary, Chowhan/Chauhan).
 *  4. w, v and b are one letter, v (Vijay/Wijay/Bijay: Bengali and Odia write b for v).
 *  5. ch (and chh) is kept apart; any other c → k.
 *  6. h after a consonant is dropped (bh, dh, th, kh, gh, jh, sh → s, so Shrinivas/Srinivas,
 *     Sharma/Sarma, Lakshmi/Laxmi); a word-final h after a vowel is dropped (Shah/Sha).
 *  7. Doubled consonants collapse (Mohammed/Mohamed, Bhatt/Bhat).
 *  8. Final ey → e (Pandey/Pande), final y after a consonant → i (Chaudhary/Chaudhari),
 *     iya → ia (Riya/Ria).
 *  9. Vowel runs: aa → a, ee/ii → i (Heena/Hina, Devee/Devi), oo/uu → u (Pooja/Puja),
 *     ou → au, ei/ae → ai (Sheikh/Shaikh); single e → a (Ahmed/Ahmad, Rehman/Rahman),
 *     o → u (Mohammed/Muhammad). a, i and u stay apart (Kiran/Karan, Rekha/Rakhi,
 *     Kamal/Komal).
 * 10. A final -uri after an earlier vowel → -ari (Chowdhury/Chaudhary, Chaudhuri).
 * A final 'a' is kept: Amit and Amita are different people.
 */
export function phoneticKey(name: string): string {
  return searchName(name)
    .split(' ')
    .filter((word) => word !== '')
    .map(phoneticWord)
    .join(' ');
}

function phoneticWord(word: string): string {
  let w = ABBREVIATIONS[word] ?? word;
  w = w.replace(/^you/, 'yu');
  w = w.replace(/ph/g, 'f').replace(/x/g, 'ks').replace(/q/g, 'k').replace(/z/g, 'j');
  w = w.replace(/ow(?![aeiou])/g, 'au');
  w = w.replace(/[wb]/g, 'v');
  w = w.replace(/ch/g, 'C').replace(/c/g, 'k'); // 'C' marks ch until the end
  w = w.replace(/([^aeiouh])h+/g, '$1');
  w = w.replace(/([aeiou])h$/, '$1');
  w = w.replace(/([^aeiou])\1+/g, '$1');
  w = w.replace(/ey$/, 'e').replace(/([^aeiou])y$/, '$1i').replace(/iya/g, 'ia');
  w = w.replace(/[aeiou]+/g, vowelRun);
  w = w.replace(/([aiu][^aiu]+)uri$/, '$1ari');
  return w.replace(/(.)\1+/g, '$1').replace(/C/g, 'c');
}

function vowelRun(run: string): string {
  const known = VOWEL_RUNS[run];
  if (known !== undefined) return known;
  return [...run]
    .map((v) => SINGLE_VOWELS[v] ?? v)
    .join('')
    .replace(/(.)\1+/g, '$1');
}

// ---------------------------------------------------------------------------------------
// Similarity
// ---------------------------------------------------------------------------------------

/** Trigrams as PostgreSQL's pg_trgm makes them: each word padded with two spaces before and one after. */
function trigrams(text: string): Set<string> {
  const result = new Set<string>();
  for (const word of text.split(/\s+/)) {
    if (word === '') continue;
    const padded = `  ${word} `;
    for (let i = 0; i + 3 <= padded.length; i++) result.add(padded.slice(i, i + 3));
  }
  return result;
}

/** pg_trgm's `similarity()`: shared trigrams over all distinct trigrams, 0..1. */
export function trigramSimilarity(a: string, b: string): number {
  const left = trigrams(a);
  const right = trigrams(b);
  if (left.size === 0 || right.size === 0) return 0;
  let shared = 0;
  for (const t of left) if (right.has(t)) shared++;
  return shared / (left.size + right.size - shared);
}

/** Trigram similarity of the phonetic keys: 1 for Heena Patel / Hina Patel. */
export function nameSimilarity(a: string, b: string): number {
  return trigramSimilarity(phoneticKey(a), phoneticKey(b));
}
