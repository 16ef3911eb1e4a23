import { DomainError } from '@hms/contracts-common';
import {
  ageInDaysOn,
  ageInMonthsOn,
  ageOn,
  dateOfBirthFromAge,
  dateOfBirthFromAgeDays,
  dateOfBirthFromAgeMonths,
  displayAge,
  isMinorOn,
  kolkataDate,
  validateDateOfBirth,
  yearOfBirthMatches,
} from './age';

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

describe('infants: dateOfBirthFromAgeMonths', () => {
  it.each([
    [1, '2025-07-01'],
    [3, '2025-05-01'],
    [7, '2025-01-01'],
    [8, '2024-12-01'],
    [12, '2024-08-01'],
    [23, '2023-09-01'],
  ])('%i months on 14 Aug 2025 is estimated as %s', (months, expected) => {
    expect(dateOfBirthFromAgeMonths(months, today)).toBe(expected);
  });

  it('gives back exactly the months entered on every day of the month, and is stable through it', () => {
    for (const day of ['01', '14', '28', '31']) {
      const now = new Date(`2025-08-${day}T12:00:00+05:30`);
      for (const months of [1, 5, 11, 23]) {
        expect(ageInMonthsOn(dateOfBirthFromAgeMonths(months, now), now)).toBe(months);
        expect(dateOfBirthFromAgeMonths(months, now)).toBe(dateOfBirthFromAgeMonths(months, today));
      }
    }
  });

  it('takes the month in India, not in UTC', () => {
    // 31 Jul 2025 19:00 UTC is already 1 Aug in India.
    expect(dateOfBirthFromAgeMonths(1, new Date('2025-07-31T19:00:00Z'))).toBe('2025-07-01');
    expect(dateOfBirthFromAgeMonths(1, new Date('2025-07-31T18:00:00Z'))).toBe('2025-06-01');
  });

  it.each([0, 24, -1, 1.5, Number.NaN])('refuses %p months, naming ageMonths', (months) => {
    expect(() => dateOfBirthFromAgeMonths(months, today)).toThrow(DomainError);
    try {
      dateOfBirthFromAgeMonths(months, today);
    } catch (error) {
      expect(error).toMatchObject({ kind: 'validation', code: 'patient.age-invalid', errors: [{ field: 'ageMonths' }] });
    }
  });
});

describe('infants: dateOfBirthFromAgeDays', () => {
  it.each([
    [0, '2025-08-14'],
    [1, '2025-08-13'],
    [14, '2025-07-31'],
    [45, '2025-06-30'],
    [365, '2024-08-14'],
  ])('%i days on 14 Aug 2025 is %s', (days, expected) => {
    expect(dateOfBirthFromAgeDays(days, today)).toBe(expected);
    expect(ageInDaysOn(expected, today)).toBe(days);
  });

  it('counts from the Indian date', () => {
    expect(dateOfBirthFromAgeDays(0, new Date('2025-08-14T20:00:00Z'))).toBe('2025-08-15');
  });

  it.each([-1, 366, 2.5, Number.NaN])('refuses %p days, naming ageDays', (days) => {
    try {
      dateOfBirthFromAgeDays(days, today);
      throw new Error('accepted');
    } catch (error) {
      expect(error).toMatchObject({ kind: 'validation', code: 'patient.age-invalid', errors: [{ field: 'ageDays' }] });
    }
  });
});

describe('ageInMonthsOn', () => {
  it.each([
    ['2025-08-14', '2025-08-14', 0],
    ['2025-07-15', '2025-08-14', 0],
    ['2025-07-14', '2025-08-14', 1],
    ['2025-01-31', '2025-02-27', 0],
    ['2025-01-31', '2025-02-28', 1], // the short month's last day completes the month
    ['2024-01-31', '2024-02-29', 1],
    ['2023-08-15', '2025-08-14', 23],
    ['2023-08-14', '2025-08-14', 24],
  ])('born %s, on %s: %i completed months', (dob, on, months) => {
    expect(ageInMonthsOn(dob, new Date(`${on}T06:00:00Z`))).toBe(months);
  });
});

describe('displayAge', () => {
  it.each([
    ['2025-08-14', { value: 0, unit: 'days', text: '0 days' }],
    ['2025-08-13', { value: 1, unit: 'days', text: '1 day' }],
    ['2025-07-20', { value: 25, unit: 'days', text: '25 days' }],
    ['2025-07-14', { value: 1, unit: 'months', text: '1 month' }],
    ['2025-01-01', { value: 7, unit: 'months', text: '7 months' }],
    ['2023-08-15', { value: 23, unit: 'months', text: '23 months' }],
    ['2023-08-14', { value: 2, unit: 'years', text: '2 years' }],
    ['1985-01-01', { value: 40, unit: 'years', text: '40 years' }],
  ])('born %s: %o on 14 Aug 2025', (dob, expected) => {
    expect(displayAge(dob, today)).toEqual(expected);
  });
});

describe('isMinorOn', () => {
  it.each([
    ['2007-08-15', true], // 18 tomorrow
    ['2007-08-14', false], // 18 today
    ['2025-08-14', true],
    ['1985-08-14', false],
  ])('born %s: minor on 14 Aug 2025 is %p', (dob, minor) => {
    expect(isMinorOn(dob, today)).toBe(minor);
  });
});
