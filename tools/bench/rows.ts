import { formatUhid, phoneticKey, searchName } from '@hms/patients-domain';
import { uuidv7 } from '@hms/platform-persistence';
import { Random, randomAddress, randomDateOfBirth, randomName, uniqueAbha, uniquePhone, type PersonName } from './names';

/** One row of `patients.patients` as the service would write it (search keys from the domain functions). */
export interface PatientRowValues {
  id: string;
  uhid: string;
  name: string;
  givenName: string;
  familyName: string;
  searchName: string;
  phoneticName: string;
  sex: 'M' | 'F';
  dateOfBirth: string;
  dateOfBirthEstimated: boolean;
  phone: string | null;
  abhaNumber: string | null;
  abhaAddress: string | null;
  address: string;
  createdAt: Date;
}

export interface RowSeries {
  prefix: string;
  /** First digit of the phone numbers of this series (each series has its own). */
  phoneSeries: 6 | 7 | 8 | 9;
  /** ABHA number series (0–89), distinct per use. */
  abhaSeries: number;
}

const FIVE_YEARS_MS = 5 * 365 * 24 * 3600 * 1000;

function abhaAddressOf(person: PersonName, i: number): string {
  const ascii = `${person.givenName}.${person.familyName}`.toLowerCase().replace(/[^a-z.]/g, '');
  return `${person.devanagari || ascii.length < 3 ? 'patient' : ascii}${i}@abdm`;
}

/** The i-th patient of a series: unique UHID, phone and ABHA number; ~90% have a phone, ~30% an ABHA number. */
export function patientRow(rng: Random, series: RowSeries, i: number, now = Date.now()): PatientRowValues {
  const person = randomName(rng);
  const createdAt = new Date(now - Math.floor(rng.next() * FIVE_YEARS_MS));
  const hasAbha = rng.chance(0.3);
  return {
    id: uuidv7(createdAt.getTime()),
    uhid: formatUhid(series.prefix, i),
    name: person.name,
    givenName: person.givenName,
    familyName: person.familyName,
    searchName: searchName(person.name),
    phoneticName: phoneticKey(person.name),
    sex: person.sex,
    dateOfBirth: randomDateOfBirth(rng),
    dateOfBirthEstimated: rng.chance(0.1),
    phone: rng.chance(0.9) ? uniquePhone(series.phoneSeries, i) : null,
    abhaNumber: hasAbha ? uniqueAbha(series.abhaSeries, i) : null,
    abhaAddress: hasAbha && rng.chance(0.5) ? abhaAddressOf(person, i) : null,
    address: JSON.stringify(randomAddress(rng)),
    createdAt,
  };
}

export const INSERT_COLUMNS =
  'id, branch_id, uhid, name, given_name, family_name, search_name, phonetic_name, sex, date_of_birth, date_of_birth_estimated, phone, abha_number, abha_address, address, created_by, updated_by, created_at, updated_at';

/** Parameters for a single-row INSERT of INSERT_COLUMNS ($1..$17, created_by = updated_by, created_at = updated_at). */
export function singleRowParams(row: PatientRowValues, branchId: string, userId: string): unknown[] {
  return [
    row.id,
    branchId,
    row.uhid,
    row.name,
    row.givenName,
    row.familyName,
    row.searchName,
    row.phoneticName,
    row.sex,
    row.dateOfBirth,
    row.dateOfBirthEstimated,
    row.phone,
    row.abhaNumber,
    row.abhaAddress,
    row.address,
    userId,
    row.createdAt,
  ];
}

export function singleRowInsert(table: string): string {
  return `INSERT INTO ${table} (${INSERT_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $16, $17, $17)`;
}

/** One statement inserting a whole batch through unnest: one array parameter per column, any number of rows. */
export function batchInsert(table: string): string {
  return `INSERT INTO ${table} (${INSERT_COLUMNS})
    SELECT u.id, $1::uuid, u.uhid, u.name, u.given_name, u.family_name, u.search_name, u.phonetic_name, u.sex, u.dob, u.est,
           u.phone, u.abha, u.abha_address, u.address, $2, $2, u.created_at, u.created_at
    FROM unnest($3::uuid[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::date[],
                $12::bool[], $13::text[], $14::text[], $15::text[], $16::jsonb[], $17::timestamptz[])
      AS u(id, uhid, name, given_name, family_name, search_name, phonetic_name, sex, dob, est, phone, abha, abha_address, address, created_at)`;
}

export function batchParams(rows: readonly PatientRowValues[], branchId: string, userId: string): unknown[] {
  return [
    branchId,
    userId,
    rows.map((r) => r.id),
    rows.map((r) => r.uhid),
    rows.map((r) => r.name),
    rows.map((r) => r.givenName),
    rows.map((r) => r.familyName),
    rows.map((r) => r.searchName),
    rows.map((r) => r.phoneticName),
    rows.map((r) => r.sex),
    rows.map((r) => r.dateOfBirth),
    rows.map((r) => r.dateOfBirthEstimated),
    rows.map((r) => r.phone),
    rows.map((r) => r.abhaNumber),
    rows.map((r) => r.abhaAddress),
    rows.map((r) => r.address),
    rows.map((r) => r.createdAt),
  ];
}
