import { luhnValid } from '@hms/patients-domain';

/**
 * Synthetic but realistic Indian patients for the bench: names with the spelling variants the
 * search must bridge (Heena/Hina, Mohammed/Muhammad, Laxmi/Lakshmi), a share written in
 * Devanagari, plausible dates of birth, unique phones and ABHA numbers.
 */

/** A small, fast, seedable PRNG (mulberry32) so runs draw the same data. */
export class Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(min: number, maxInclusive: number): number {
    return min + Math.floor(this.next() * (maxInclusive - min + 1));
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }

  chance(p: number): boolean {
    return this.next() < p;
  }
}

const MALE = [
  'Mohammed', 'Muhammad', 'Mohamed', 'Mohd', 'Rahul', 'Rajesh', 'Suresh', 'Ramesh', 'Amit', 'Vijay', 'Sanjay', 'Anil', 'Manoj',
  'Arjun', 'Aarav', 'Vivaan', 'Aditya', 'Ishaan', 'Kabir', 'Rohan', 'Farhan', 'Imran', 'Salman', 'Abdul', 'Yusuf', 'Yousuf',
  'Srinivas', 'Shrinivas', 'Venkatesh', 'Ganesh', 'Prakash', 'Deepak', 'Sunil', 'Ravi', 'Krishna', 'Gopal', 'Harish', 'Karthik',
  'Arun', 'Ajay', 'Vikram', 'Sandeep', 'Pradeep', 'Naveen', 'Ashok', 'Rakesh', 'Mukesh', 'Dinesh', 'Mahesh', 'Sachin', 'Nitin',
  'Gaurav', 'Saurabh', 'Abhishek', 'Ankit', 'Gurpreet', 'Harpreet', 'Manpreet', 'Sukhwinder', 'Ahmed', 'Ahmad', 'Iqbal',
  'Subramanian', 'Murugan', 'Senthil', 'Balaji', 'Raghav', 'Raghu', 'Kiran', 'Sameer', 'Shyam', 'Ram', 'Lakshman', 'Bhaskar',
];

const FEMALE = [
  'Heena', 'Hina', 'Anita', 'Anitha', 'Sunita', 'Sunitha', 'Pooja', 'Puja', 'Priya', 'Lakshmi', 'Laxmi', 'Kavita', 'Kavitha',
  'Rekha', 'Geeta', 'Gita', 'Seema', 'Sima', 'Neha', 'Divya', 'Ananya', 'Diya', 'Saanvi', 'Meera', 'Mira', 'Kavya', 'Fatima',
  'Ayesha', 'Aisha', 'Zainab', 'Shabana', 'Nasreen', 'Radha', 'Sita', 'Savitri', 'Kamala', 'Shanti', 'Shanthi', 'Parvati',
  'Sarita', 'Savita', 'Asha', 'Usha', 'Manju', 'Anjali', 'Sneha', 'Swati', 'Riya', 'Ria', 'Shreya', 'Nisha', 'Komal', 'Rani',
  'Sushila', 'Jyoti', 'Kiran', 'Preeti', 'Deepa', 'Bhavna', 'Bhavana', 'Simran', 'Gurleen', 'Farzana', 'Rukhsar', 'Meenakshi',
  'Padma', 'Vasanthi', 'Vijaya', 'Shobha', 'Suman', 'Mamta', 'Mamata',
];

const SURNAMES = [
  'Sharma', 'Sarma', 'Verma', 'Iyer', 'Iyengar', 'Reddy', 'Nair', 'Patel', 'Khan', 'Singh', 'Das', 'Mukherjee', 'Chatterjee',
  'Banerjee', 'Menon', 'Gupta', 'Joshi', 'Kulkarni', 'Deshpande', 'Pandey', 'Pande', 'Mishra', 'Tiwari', 'Yadav', 'Kumar',
  'Chaudhary', 'Chowdhury', 'Chaudhari', 'Shaikh', 'Sheikh', 'Ansari', 'Qureshi', 'Siddiqui', 'Rao', 'Naidu', 'Pillai',
  'Shetty', 'Bhat', 'Bhatt', 'Hegde', 'Jain', 'Agarwal', 'Aggarwal', 'Mehta', 'Shah', 'Desai', 'Thakur', 'Rathore', 'Chauhan',
  'Chowhan', 'Malik', 'Gill', 'Sandhu', 'Dhillon', 'Bose', 'Ghosh', 'Sen', 'Roy', 'Dutta', 'Mahato', 'Murmu', 'Fernandes',
  "D'Souza", 'Pereira', 'Rahman', 'Rehman', 'Hussain', 'Husain', 'Krishnan', 'Subramaniam', 'Naik', 'Pawar', 'Jadhav',
];

/** Female-only family names (Devi is used as one across North India). */
const FEMALE_SURNAMES = ['Devi', 'Kumari', 'Begum', 'Bai'];
const MALE_MIDDLE = ['Kumar', 'Prasad', 'Lal', 'Chand'];

const DEV_MALE = ['राम', 'मोहम्मद', 'राजेश', 'सुरेश', 'अमित', 'विजय', 'संजय', 'अनिल', 'रमेश', 'मनोज', 'कृष्ण', 'गणेश', 'दिनेश', 'महेश'];
const DEV_FEMALE = ['अनीता', 'सुनीता', 'पूजा', 'हीना', 'प्रिया', 'लक्ष्मी', 'कविता', 'रेखा', 'गीता', 'सीमा', 'राधा', 'सीता', 'ज्योति', 'आशा'];
const DEV_SURNAMES = ['शर्मा', 'वर्मा', 'सिंह', 'यादव', 'गुप्ता', 'कुमार', 'पटेल', 'खान', 'मिश्रा', 'तिवारी', 'पाण्डेय', 'चौधरी', 'जोशी', 'प्रसाद'];
const DEV_FEMALE_SURNAMES = ['देवी', 'कुमारी'];

const PLACES: readonly { city: string; state: string; pin: number }[] = [
  { city: 'Mumbai', state: 'Maharashtra', pin: 400 },
  { city: 'Pune', state: 'Maharashtra', pin: 411 },
  { city: 'Delhi', state: 'Delhi', pin: 110 },
  { city: 'Lucknow', state: 'Uttar Pradesh', pin: 226 },
  { city: 'Patna', state: 'Bihar', pin: 800 },
  { city: 'Kolkata', state: 'West Bengal', pin: 700 },
  { city: 'Chennai', state: 'Tamil Nadu', pin: 600 },
  { city: 'Bengaluru', state: 'Karnataka', pin: 560 },
  { city: 'Hyderabad', state: 'Telangana', pin: 500 },
  { city: 'Ahmedabad', state: 'Gujarat', pin: 380 },
  { city: 'Jaipur', state: 'Rajasthan', pin: 302 },
  { city: 'Kochi', state: 'Kerala', pin: 682 },
];

export interface PersonName {
  name: string;
  givenName: string;
  familyName: string;
  sex: 'M' | 'F';
  devanagari: boolean;
}

/** A full name; about 15% in Devanagari, some men with a middle name (Rajesh Kumar Sharma). */
export function randomName(rng: Random): PersonName {
  const sex: 'M' | 'F' = rng.chance(0.5) ? 'M' : 'F';
  if (rng.chance(0.15)) {
    const given = rng.pick(sex === 'M' ? DEV_MALE : DEV_FEMALE);
    const family = sex === 'F' && rng.chance(0.3) ? rng.pick(DEV_FEMALE_SURNAMES) : rng.pick(DEV_SURNAMES);
    return { name: `${given} ${family}`, givenName: given, familyName: family, sex, devanagari: true };
  }
  const given = rng.pick(sex === 'M' ? MALE : FEMALE);
  const family = sex === 'F' && rng.chance(0.12) ? rng.pick(FEMALE_SURNAMES) : rng.pick(SURNAMES);
  const middle = sex === 'M' && rng.chance(0.15) ? ` ${rng.pick(MALE_MIDDLE)}` : '';
  return { name: `${given}${middle} ${family}`, givenName: given, familyName: family, sex, devanagari: false };
}

/** Date of birth between 1935 and 2024, as YYYY-MM-DD. */
export function randomDateOfBirth(rng: Random): string {
  const start = Date.UTC(1935, 0, 1);
  const end = Date.UTC(2024, 11, 31);
  return new Date(start + Math.floor(rng.next() * (end - start))).toISOString().slice(0, 10);
}

export function randomAddress(rng: Random): { line: string; city: string; state: string; pincode: string } {
  const place = rng.pick(PLACES);
  return {
    line: `${rng.int(1, 400)}, ${rng.pick(['MG Road', 'Station Road', 'Gandhi Nagar', 'Nehru Street', 'Main Bazaar', 'Civil Lines'])}`,
    city: place.city,
    state: place.state,
    pincode: `${place.pin}${String(rng.int(1, 999)).padStart(3, '0')}`,
  };
}

/**
 * Unique Indian mobile numbers: series `s` (6–9, the first digit) and index `i` map one to one
 * onto the nine remaining digits (an affine permutation mod 10^9), so numbers look scattered.
 */
export function uniquePhone(series: 6 | 7 | 8 | 9, i: number): string {
  const rest = (BigInt(i) * 48271n + 1234567n) % 1_000_000_000n;
  return `+91${series}${rest.toString().padStart(9, '0')}`;
}

/**
 * Unique 14-digit ABHA numbers with a valid Luhn check digit, one series (0–89) per use so
 * seeded and registered numbers never collide.
 */
export function uniqueAbha(series: number, i: number): string {
  const rest = (BigInt(i) * 7919n + 104729n) % 100_000_000_000n;
  const body = `${10 + series}${rest.toString().padStart(11, '0')}`;
  for (let d = 0; d <= 9; d++) if (luhnValid(`${body}${d}`)) return `${body}${d}`;
  throw new Error('no Luhn check digit');
}

/** Misspelt and transliterated names as a desk types them, for fuzzy search. */
export const MISSPELT_QUERIES = [
  'Hina Patel', 'Mohamad Khan', 'Anita Devi', 'Muhammed Shaikh', 'Laxmi Iyer', 'Puja Sarma', 'Shrinivas Rao', 'Yousuf Ansari',
  'Kavita Chaudhari', 'Sunita Yadaw', 'Rajesh Kumar', 'Geeta Pandey', 'Chowdhury', 'Mohd Rehman', 'Seema Guptha', 'Aisha Siddiqi',
  'Ramesh Nayar', 'Priya Mukerjee', 'Deepa Nair', 'Sanjai Singh', 'Jyothi Mishra', 'Vijai Verma', 'Fathima Begum', 'Gurprit Gill',
];

/** Names of no seeded patient, mostly from outside India: few or no trigram neighbours in the register. */
export const RARE_NAMES = [
  'Thomas Jefferson', 'Wolfgang Schmidt', 'Oluwaseun Adeyemi', 'Bjorn Lindqvist', 'Hiroshi Tanaka', 'Giuseppe Verdi',
  'Zbigniew Kowalczyk', 'Chidinma Okafor', 'Siobhan Gallagher', 'Xochitl Quispe', 'Eduardo Gonzalez', 'Nguyen Van Thanh',
];

/** A seeded name with one letter changed (replaced, dropped or doubled), as typos go. */
export function withTypo(rng: Random, name: string): string {
  const letters = [...name];
  const positions = letters.map((c, i) => (/\p{L}/u.test(c) && i > 0 ? i : -1)).filter((i) => i >= 0);
  if (!positions.length) return name;
  const at = rng.pick(positions);
  const kind = rng.int(0, 2);
  const devanagari = /[\u0900-\u097f]/.test(name);
  if (kind === 0) letters[at] = devanagari ? rng.pick([...'अइउएकगतनमरलसह']) : rng.pick([...'aeiouhnrstyk']);
  else if (kind === 1) letters.splice(at, 1);
  else letters.splice(at, 0, letters[at]);
  const typo = letters.join('');
  return typo.trim().length >= 2 ? typo : name;
}
