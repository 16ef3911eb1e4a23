import { BED_STATES, DISCHARGE_TYPES } from '@hms/contracts-wards';
import { BED_OPERATIONAL_STATUS, SYSTEMS, bedLocationFor, encounterFor, fhirDateTime, wardLocationFor, type BedFacts, type EncounterFacts } from './fhir';

const BRANCH = '01a20000-0000-7000-8000-000000000001';

/** Rules of FHIR R4 JSON and of the data types used here, checked by hand (no R4 validator is installed). */
const DATE_TIME =
  /^([0-9]([0-9]([0-9][1-9]|[1-9]0)|[1-9]00)|[1-9]000)(-(0[1-9]|1[0-2])(-(0[1-9]|[1-2][0-9]|3[0-1])(T([01][0-9]|2[0-3]):[0-5][0-9]:([0-5][0-9]|60)(\.[0-9]+)?(Z|(\+|-)((0[0-9]|1[0-3]):[0-5][0-9]|14:00)))?)?)?$/;
const ID = /^[A-Za-z0-9\-.]{1,64}$/;
const CODE = /^[^\s]+( [^\s]+)*$/;
const URI = /^(https?:\/\/|urn:)\S+$/;
const RELATIVE_REFERENCE = /^(Patient|Location|Organization|Practitioner)\/[A-Za-z0-9\-.]{1,64}$/;

function fhirJsonProblems(value: unknown, path = '$'): string[] {
  if (value === null || value === undefined) return [`${path} is ${value}`];
  if (typeof value === 'string') return value.trim() === '' || value !== value.trim() ? [`${path} is blank or padded`] : [];
  if (Array.isArray(value)) return value.length === 0 ? [`${path} is an empty array`] : value.flatMap((v, i) => fhirJsonProblems(v, `${path}[${i}]`));
  if (typeof value === 'object') {
    const entries = Object.entries(value);
    if (entries.length === 0) return [`${path} is an empty object`];
    const problems = entries.flatMap(([k, v]) => fhirJsonProblems(v, `${path}.${k}`));
    const o = value as Record<string, unknown>;
    if ('system' in o && typeof o.system === 'string' && !URI.test(o.system)) problems.push(`${path}.system is not a URI`);
    if ('code' in o && typeof o.code === 'string' && !CODE.test(o.code)) problems.push(`${path}.code is not a code`);
    if ('reference' in o && typeof o.reference === 'string' && !RELATIVE_REFERENCE.test(o.reference)) problems.push(`${path}.reference is not Type/id`);
    if ('start' in o || 'end' in o) {
      for (const k of ['start', 'end'] as const) if (k in o && !DATE_TIME.test(String(o[k]))) problems.push(`${path}.${k} is not a dateTime`);
      if (typeof o.start === 'string' && typeof o.end === 'string' && Date.parse(o.start) > Date.parse(o.end)) problems.push(`${path} ends before it starts (per-1)`);
    }
    return problems;
  }
  return [];
}

const stays: EncounterFacts['stays'] = [
  { bedId: '01a20000-0000-7000-8000-0000000000b1', bedCode: 'B1', roomCode: 'R1', wardCode: 'W1', startedAt: new Date('2026-04-01T04:30:00Z'), endedAt: new Date('2026-04-02T06:00:00Z') },
  { bedId: '01a20000-0000-7000-8000-0000000000b2', bedCode: 'I4', roomCode: null, wardCode: 'ICU', startedAt: new Date('2026-04-02T06:00:00Z'), endedAt: null },
];

const admission = (overrides: Partial<EncounterFacts> = {}): EncounterFacts => ({
  id: '01a20000-0000-7000-8000-0000000000a1',
  ipNumber: 'IP/26-27/000001',
  status: 'admitted',
  admissionType: 'emergency',
  admittedAt: new Date('2026-04-01T04:30:00Z'),
  dischargedAt: null,
  dischargeType: null,
  department: 'General medicine',
  reason: 'Fever for five days',
  doctor: { id: 'D-9', name: 'Dr. Meera Rao' },
  patient: { id: '01a20000-0000-7000-8000-0000000000p1', uhid: 'BLR00000042', name: 'Lakshmi Devi' },
  branch: { id: BRANCH, name: 'Bengaluru' },
  stays,
  ...overrides,
});

describe('fhirDateTime', () => {
  it('writes Indian time with its offset', () => {
    expect(fhirDateTime(new Date('2026-03-31T18:30:00.250Z'))).toBe('2026-04-01T00:00:00+05:30');
    expect(fhirDateTime(new Date('2026-04-01T04:30:00Z'))).toMatch(DATE_TIME);
    expect(() => fhirDateTime(new Date('x'))).toThrow(RangeError);
  });
});

describe('encounterFor', () => {
  it('describes an admission in progress: inpatient class, IP number, patient by UHID, bed history, branch', () => {
    const e = encounterFor(admission());
    expect(fhirJsonProblems(e)).toEqual([]);
    expect(e.resourceType).toBe('Encounter');
    expect(e.id).toMatch(ID);
    expect(e.status).toBe('in-progress');
    expect(e.class).toEqual({ system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'IMP', display: 'inpatient encounter' });
    expect(e.identifier).toEqual([expect.objectContaining({ system: `urn:hms:branch:${BRANCH}:ip-number`, value: 'IP/26-27/000001' })]);
    expect(e.identifier[0].type?.coding?.[0]).toMatchObject({ system: SYSTEMS.identifierType, code: 'VN' });
    expect(e.subject).toMatchObject({
      reference: 'Patient/01a20000-0000-7000-8000-0000000000p1',
      identifier: { system: `urn:hms:branch:${BRANCH}:uhid`, value: 'BLR00000042' },
    });
    expect(e.subject.identifier?.type?.coding?.[0].code).toBe('MR');
    expect(e.period).toEqual({ start: '2026-04-01T10:00:00+05:30' });
    expect(e.priority.coding?.[0]).toMatchObject({ system: SYSTEMS.actPriority, code: 'EM' });
    expect(e.participant.map((p) => p.type[0].coding?.[0].code)).toEqual(['ADM', 'ATND']);
    expect(e.participant[0].individual).toEqual({ display: 'Dr. Meera Rao', identifier: { system: `urn:hms:branch:${BRANCH}:practitioner`, value: 'D-9' } });
    expect(e.location).toEqual([
      {
        location: { reference: 'Location/01a20000-0000-7000-8000-0000000000b1', display: 'W1 / R1 / B1' },
        status: 'completed',
        period: { start: '2026-04-01T10:00:00+05:30', end: '2026-04-02T11:30:00+05:30' },
      },
      { location: { reference: 'Location/01a20000-0000-7000-8000-0000000000b2', display: 'ICU / I4' }, status: 'active', period: { start: '2026-04-02T11:30:00+05:30' } },
    ]);
    expect(e.hospitalization).toBeUndefined();
    expect(e.serviceProvider).toEqual({ reference: `Organization/${BRANCH}`, display: 'Bengaluru' });
    expect(e.reasonCode).toEqual([{ text: 'Fever for five days' }]);
  });

  it.each([
    ['normal', 'home'],
    ['against-medical-advice', 'aadvice'],
    ['referred', 'other-hcf'],
    ['absconded', 'oth'],
    ['death', 'exp'],
  ] as const)('finishes a %s discharge with disposition %s', (dischargeType, code) => {
    const dischargedAt = new Date('2026-04-05T09:15:00Z');
    const e = encounterFor(
      admission({ status: 'discharged', dischargedAt, dischargeType, stays: [stays[0], { ...stays[1], endedAt: dischargedAt }] }),
    );
    expect(fhirJsonProblems(e)).toEqual([]);
    expect(e.status).toBe('finished');
    expect(e.period).toEqual({ start: '2026-04-01T10:00:00+05:30', end: '2026-04-05T14:45:00+05:30' });
    expect(e.hospitalization?.dischargeDisposition.coding).toEqual([
      expect.objectContaining({ system: 'http://terminology.hl7.org/CodeSystem/discharge-disposition', code }),
      { system: SYSTEMS.localDischargeType, code: dischargeType },
    ]);
    expect(e.location.map((l) => l.status)).toEqual(['completed', 'completed']);
  });

  it('covers every discharge type and admission type', () => {
    for (const dischargeType of DISCHARGE_TYPES) {
      const e = encounterFor(admission({ status: 'discharged', dischargedAt: new Date('2026-04-05T09:15:00Z'), dischargeType }));
      expect(e.hospitalization?.dischargeDisposition.coding?.[0].code).toMatch(CODE);
    }
    expect(encounterFor(admission({ admissionType: 'elective' })).priority.coding?.[0].code).toBe('EL');
    expect(encounterFor(admission({ admissionType: 'day-care' })).priority.coding?.[0].code).toBe('R');
  });

  it('leaves out what it does not know rather than writing empty values', () => {
    const e = encounterFor(admission({ doctor: { id: null, name: 'Dr. X' }, branch: { id: BRANCH, name: null } }));
    expect(fhirJsonProblems(e)).toEqual([]);
    expect(e.participant[0].individual).toEqual({ display: 'Dr. X' });
    expect(e.serviceProvider).toEqual({ reference: `Organization/${BRANCH}` });
  });

  it('refuses a discharged admission that lacks its discharge', () => {
    expect(() => encounterFor(admission({ status: 'discharged' }))).toThrow(/discharge/);
  });
});

describe('bedLocationFor and wardLocationFor', () => {
  const bed = (overrides: Partial<BedFacts> = {}): BedFacts => ({
    id: '01a20000-0000-7000-8000-0000000000b1',
    code: 'B1',
    state: 'occupied',
    retired: false,
    roomCode: 'R1',
    categoryName: 'General ward',
    ward: { id: '01a20000-0000-7000-8000-0000000000w1', code: 'W1', name: 'Ward W1' },
    branchId: BRANCH,
    ...overrides,
  });

  it('describes a bed as an instance of physical type bd, part of its ward', () => {
    const l = bedLocationFor(bed());
    expect(fhirJsonProblems(l)).toEqual([]);
    expect(l).toMatchObject({
      resourceType: 'Location',
      id: '01a20000-0000-7000-8000-0000000000b1',
      identifier: [{ system: `urn:hms:branch:${BRANCH}:bed`, value: 'W1/B1' }],
      status: 'active',
      operationalStatus: { system: 'http://terminology.hl7.org/CodeSystem/v2-0116', code: 'O', display: 'Occupied' },
      mode: 'instance',
      physicalType: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/location-physical-type', code: 'bd', display: 'Bed' }] },
      partOf: { reference: 'Location/01a20000-0000-7000-8000-0000000000w1', display: 'Ward W1' },
      managingOrganization: { reference: `Organization/${BRANCH}` },
    });
  });

  it.each([
    ['occupied', 'O'],
    ['available', 'U'],
    ['reserved', 'U'],
    ['cleaning', 'H'],
    ['maintenance', 'C'],
    ['blocked', 'C'],
  ] as const)('shows a %s bed as operational status %s', (state, code) => {
    expect(bedLocationFor(bed({ state })).operationalStatus?.code).toBe(code);
  });

  it('has an operational status for every bed state', () => {
    for (const s of BED_STATES) expect(BED_OPERATIONAL_STATUS[s].code).toMatch(/^[CHOU]$/);
  });

  it('shows a retired bed as inactive and closed', () => {
    const l = bedLocationFor(bed({ retired: true, state: 'available', roomCode: null }));
    expect(fhirJsonProblems(l)).toEqual([]);
    expect(l.status).toBe('inactive');
    expect(l.operationalStatus?.code).toBe('C');
    expect(l.alias).toEqual(['W1 / B1']);
  });

  it('describes a ward as physical type wa', () => {
    const l = wardLocationFor({ id: '01a20000-0000-7000-8000-0000000000w1', code: 'W1', name: 'Ward W1', floor: null, retired: false, branchId: BRANCH });
    expect(fhirJsonProblems(l)).toEqual([]);
    expect(l).toMatchObject({ resourceType: 'Location', status: 'active', mode: 'instance', physicalType: { coding: [{ code: 'wa' }] } });
    expect(l.partOf).toBeUndefined();
    expect(l.description).toBeUndefined();
    expect(wardLocationFor({ id: 'w', code: 'W1', name: 'Ward W1', floor: '3', retired: true, branchId: BRANCH })).toMatchObject({ status: 'inactive', description: 'Floor 3' });
  });
});

describe('the hand-made R4 checks', () => {
  it('catch what they are for', () => {
    expect(fhirJsonProblems({ a: null, b: '', c: [], d: {}, e: ' x' })).toHaveLength(5);
    expect(fhirJsonProblems({ system: 'not a uri', code: ' bad' })).toHaveLength(3);
    expect(fhirJsonProblems({ reference: 'Patient/a b' })).toHaveLength(1);
    expect(fhirJsonProblems({ start: '2026-04-02T00:00:00+05:30', end: '2026-04-01T00:00:00+05:30' })).toEqual(['$ ends before it starts (per-1)']);
    expect(fhirJsonProblems({ start: '2026-04-02 00:00' })).toHaveLength(1);
  });
});
