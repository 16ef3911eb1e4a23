import { DomainError } from '@hms/contracts-common';
import { ageOn, dateOfBirthFromAge, kolkataDate, validateDateOfBirth, yearOfBirthMatches } from './age';

const today = new Date('2025-08-14T06:00:00Z'); // 14 Aug 2025, 11:30 in India

describe('kolkataDate', () => {
  it('uses the Indian date, which starts 5h30 before the UTC one', () => {
    expect(kolkataDate(new Date('2024-12-31T18:29:59Z'))).toBe('2024-12-31');
    expect(kolkataDate(new Date('2024-12-31T18:30:00Z'))).toBe('2025-01-01');
  });
});

describe('dateOfBirthFromAge', () => {
  it('estimates 1 January of (this year − age)', () => {
    expect(dateOfBirthFromAge(40, today)).toBe('1985-01-01');
    expect(dateOfBirthFromAge(0, today)).toBe('2025-01-01');
    expect(dateOfBirthFromAge(130, today)).toBe('1895-01-01');
  });

  it('gives back exactly the age entered, on any day of the year', () => {
    for (const instant of ['2025-01-01T00:00:00+05:30', '2025-06-30T12:00:00Z', '2025-12-31T23:59:00+05:30']) {
      const now = new Date(instant);
      expect(ageOn(dateOfBirthFromAge(33, now), now)).toBe(33);
    }
  });

  it('is stable through a calendar year, so repeat registrations agree', () => {
    expect(dateOfBirthFromAge(60, new Date('2025-02-01T00:00:00Z'))).toBe(
      dateOfBirthFromAge(60, new Date('2025-11-30T00:00:00Z')),
    );
  });

  it('takes the year in India, not in UTC', () => {
    // 31 Dec 2024 19:00 UTC is already 1 Jan 2025 in India.
    expect(dateOfBirthFromAge(40, new Date('2024-12-31T19:00:00Z'))).toBe('1985-01-01');
    expect(dateOfBirthFromAge(40, new Date('2024-12-31T18:00:00Z'))).toBe('1984-01-01');
  });

  it.each([-1, 131, 2.5, Number.NaN])('refuses the age %p with a validation error', (age) => {
    expect(() => dateOfBirthFromAge(age, today)).toThrow(DomainError);
    try {
      dateOfBirthFromAge(age, today);
    } catch (error) {
      expect(error).toMatchObject({ kind: 'validation', code: 'patient.age-invalid' });
    }
  });
});

describe('ageOn', () => {
  it('counts completed years', () => {
    expect(ageOn('1985-08-14', today)).toBe(40); // birthday today
    expect(ageOn('1985-08-15', today)).toBe(39); // birthday tomorrow
    expect(ageOn('1985-09-01', today)).toBe(39);
    expect(ageOn('2025-08-14', today)).toBe(0);
  });
});

describe('validateDateOfBirth', () => {
  it.each(['1985-08-14', '2025-08-14', '2024-02-29', '1895-08-14'])('accepts %s', (iso) => {
    expect(validateDateOfBirth(iso, today)).toBeNull();
  });

  it.each(['2023-02-30', '2023-02-29', '2025-04-31', '2025-13-01', '2025-00-10', '2025-01-00'])(
    'rejects the impossible date %s',
    (iso) => {
      expect(validateDateOfBirth(iso, today)).toBe(`${iso} is not a date on the calendar.`);
    },
  );

  it.each(['14-08-1985', '1985-8-14', '1985/08/14', '', '1985-08-14T00:00:00Z'])('rejects the format %p', (iso) => {
    expect(validateDateOfBirth(iso, today)).toBe('A date of birth is written YYYY-MM-DD, e.g. 1984-07-15.');
  });

  it('rejects a future date, judged by the Indian date', () => {
    expect(validateDateOfBirth('2025-08-15', today)).toBe('The date of birth 2025-08-15 is in the future.');
    // 14 Aug 2025 20:00 UTC is already 15 Aug in India.
    expect(validateDateOfBirth('2025-08-15', new Date('2025-08-14T20:00:00Z'))).toBeNull();
  });

  it('rejects ages over 130, and accepts 130 itself', () => {
    expect(validateDateOfBirth('1894-08-15', today)).toBeNull(); // 130 until tomorrow
    expect(validateDateOfBirth('1894-08-14', today)).toBe(
      'A date of birth of 1894-08-14 makes the patient 131, above the limit of 130.',
    );
  });

  it('takes a configured maximum age', () => {
    expect(validateDateOfBirth('1900-01-01', today, 150)).toBeNull();
  });
});

describe('ABDM-14 yearOfBirthMatches', () => {
  it('matches within ±2 years', () => {
    expect(yearOfBirthMatches(1980, 1982)).toBe(true);
    expect(yearOfBirthMatches(1982, 1980)).toBe(true);
    expect(yearOfBirthMatches(1980, 1980)).toBe(true);
    expect(yearOfBirthMatches(1980, 1983)).toBe(false);
    expect(yearOfBirthMatches(1983, 1980)).toBe(false);
  });
});
