import { nameSimilarity, phoneticKey, searchName, transliterateToLatin, trigramSimilarity } from './names';

describe('transliterateToLatin', () => {
  it.each([
    ['अनीता देवी', 'anita devi'], // long vowels, matras
    ['राम', 'ram'], // word-final schwa dropped
    ['कमल', 'kamal'], // inherent vowels inside the word kept
    ['न', 'na'], // a one-syllable word keeps its vowel
    ['अंजलि', 'anjali'], // independent vowel, anusvara → n
    ['अंबिका', 'ambika'], // anusvara before a labial → m
    ['सिंह', 'singh'], // word-final ंह
    ['दुःख', 'duhkh'], // visarga → h
    ['मोहम्मद', 'mohammad'], // virama inside a word
    ['जगत्', 'jagat'], // explicit final virama
    ['लक्ष्मी', 'lakshmi'],
    ['श्रीनिवास', 'shrinivas'],
    ['ऋषि', 'rishi'],
    ['कृष्ण', 'krishna'], // vocalic r matra; schwa kept after a nasal cluster
    ['मित्र', 'mitra'], // schwa kept after a cluster ending in r
    ['आदित्य', 'aditya'],
    ['गुप्त', 'gupta'], // two different stops keep it
    ['भट्ट', 'bhatt'], // a doubled stop does not
    ['अनन्त', 'anant'], // nasal + stop does not
    ['पार्थ', 'parth'], // nor a reph cluster
    ['ज्ञान', 'gyan'],
    ['चौधरी', 'chaudhari'],
    ['कई', 'kai'], // inherent vowel before an independent vowel
    ['ॐ', 'om'],
  ])('%s → %s', (devanagari, latin) => {
    expect(transliterateToLatin(devanagari)).toBe(latin);
  });

  it('reads nukta consonants, precomposed or not', () => {
    expect(transliterateToLatin('ज़ैनब')).toBe('zainab');
    expect(transliterateToLatin('\u095eातिमा')).toBe('fatima'); // precomposed फ़
    expect(transliterateToLatin('फ\u093cातिमा')).toBe('fatima'); // फ + nukta
    expect(transliterateToLatin('\u0958ासिम')).toBe('qasim');
  });

  it('converts digits and dandas and ends words at them', () => {
    expect(transliterateToLatin('वार्ड १२')).toBe('vard 12');
    expect(transliterateToLatin('राम। श्याम')).toBe('ram. shyam');
  });

  it('passes Latin through lower-cased without diacritics', () => {
    expect(transliterateToLatin('José Núñez')).toBe('jose nunez');
    expect(transliterateToLatin('Ānanda Kṛṣṇa')).toBe('ananda krsna');
    expect(transliterateToLatin('Straße')).toBe('strasse');
  });

  it('handles mixed scripts word by word', () => {
    expect(transliterateToLatin('Dr. राम Kumar')).toBe('dr. ram kumar');
  });

  it('passes unknown scripts through lower-cased', () => {
    expect(transliterateToLatin('முருகன்')).toBe('முருகன்');
    expect(transliterateToLatin('ΑΝΝΑ')).toBe('αννα');
  });
});

describe('searchName', () => {
  it('keeps only lower-case letters, digits and single spaces', () => {
    expect(searchName('  Anita   DEVI ')).toBe('anita devi');
    expect(searchName('Kumar, Ramesh (Jr.)')).toBe('kumar ramesh jr');
    expect(searchName('Ram-Prakash')).toBe('ram prakash');
  });

  it('removes apostrophes inside names', () => {
    expect(searchName("D'Souza")).toBe('dsouza');
    expect(searchName('O’Brien')).toBe('obrien');
  });

  it('transliterates Devanagari', () => {
    expect(searchName('अनीता  देवी')).toBe('anita devi');
  });

  it('keeps letters of scripts it cannot transliterate rather than erasing the name', () => {
    expect(searchName('முருகன், Raja')).toBe('முருகன் raja');
  });

  it('is empty for punctuation only', () => {
    expect(searchName(' .,- ')).toBe('');
  });
});

describe('phoneticKey', () => {
  it.each([
    ['Heena Patel', 'Hina Patel'],
    ['Mohammed', 'Muhammad'],
    ['Mohammad', 'Muhammad'],
    ['Mohamed', 'Muhammed'],
    ['Md Rafiq', 'Mohammed Rafiq'],
    ['Mohd. Rafiq', 'Muhammad Rafiq'],
    ['Lakshmi', 'Laxmi'],
    ['Shrinivas', 'Srinivas'],
    ['Pooja', 'Puja'],
    ['Devi', 'Devee'],
    ['Sharma', 'Sarma'],
    ['Chaudhary', 'Choudhary'],
    ['Chaudhary', 'Chowdhury'],
    ['Chaudhari', 'Chaudhuri'],
    ['Vijay', 'Wijay'],
    ['Vikas', 'Bikas'],
    ['Philip', 'Filip'],
    ['Anitha', 'Anita'],
    ['Ahmed', 'Ahmad'],
    ['Rehman', 'Rahman'],
    ['Sheikh', 'Shaikh'],
    ['Pandey', 'Pande'],
    ['Riya', 'Ria'],
    ['Yousuf', 'Yusuf'],
    ['Zainab', 'Jainab'],
    ['Qasim', 'Kasim'],
    ['Bhatt', 'Bhat'],
    ['Chhaya', 'Chaya'],
    ['अनीता देवी', 'Anita Devi'],
    ['हिना पटेल', 'Heena Patel'],
    ['मोहम्मद', 'Mohammed'],
    ['लक्ष्मी', 'Laxmi'],
    ['सिंह', 'Singh'],
    ['चौधरी', 'Chowdhury'],
  ])('%s = %s', (a, b) => {
    expect(phoneticKey(a)).toBe(phoneticKey(b));
  });

  it.each([
    ['Kiran', 'Karan'],
    ['Kamal', 'Komal'],
    ['Rekha', 'Rakhi'],
    ['Amit', 'Amita'],
    ['Sunil', 'Sonal'],
    ['Chandan', 'Candan'],
    ['Ramesh', 'Suresh'],
  ])('%s ≠ %s', (a, b) => {
    expect(phoneticKey(a)).not.toBe(phoneticKey(b));
  });

  it('gives one key per word, joined by single spaces, in [a-z0-9 ]', () => {
    expect(phoneticKey('  Heena   Patel ')).toBe('hina patal');
    expect(phoneticKey('Chowdhury')).toBe('caudari');
    expect(phoneticKey('Lakshmi Devi')).toMatch(/^[a-z0-9]+ [a-z0-9]+$/);
  });

  it('x becomes ks and ph becomes f', () => {
    expect(phoneticKey('Laxman')).toBe('laksman');
    expect(phoneticKey('Phoolan')).toBe('fulan');
  });

  it('is empty for an empty name', () => {
    expect(phoneticKey('')).toBe('');
  });
});

describe('trigramSimilarity (pg_trgm)', () => {
  it('pads words with two spaces in front and one behind', () => {
    // "  cat " → "  c", " ca", "cat", "at "; "  cap " → "  c", " ca", "cap", "ap ": 2 shared of 6
    expect(trigramSimilarity('cat', 'cap')).toBeCloseTo(2 / 6);
  });

  it('is 1 for identical text, 0 for nothing shared or nothing at all', () => {
    expect(trigramSimilarity('anita devi', 'anita devi')).toBe(1);
    expect(trigramSimilarity('abc', 'xyz')).toBe(0);
    expect(trigramSimilarity('', '')).toBe(0);
  });

  it('counts each distinct trigram once and ignores word order', () => {
    expect(trigramSimilarity('devi anita', 'anita devi')).toBe(1);
    expect(trigramSimilarity('aaaa', 'aa')).toBeCloseTo(trigramSimilarity('aaa', 'aa'));
  });
});

describe('nameSimilarity', () => {
  it('ABDM-14: Heena Patel and Hina Patel match fully', () => {
    expect(nameSimilarity('Heena Patel', 'Hina Patel')).toBe(1);
  });

  it('matches across scripts', () => {
    expect(nameSimilarity('अनीता देवी', 'Anita Devi')).toBe(1);
  });

  it('is symmetric and within 0..1', () => {
    const ab = nameSimilarity('Srinivasa Rao', 'Shrinivas Rao');
    expect(ab).toBe(nameSimilarity('Shrinivas Rao', 'Srinivasa Rao'));
    expect(ab).toBeGreaterThan(0.5);
    expect(ab).toBeLessThan(1);
  });

  it('is low for clearly different names that share a surname', () => {
    expect(nameSimilarity('Ramesh Kumar', 'Suresh Kumar')).toBeLessThan(0.5);
    expect(nameSimilarity('Ramesh Kumar', 'Sunita Devi')).toBe(0);
  });
});
