import type { AdmissionType, BedState, DischargeType } from '@hms/contracts-wards';
import { istDateTime } from '@hms/platform-time';

/**
 * FHIR R4 JSON for an admission (Encounter) and for wards and beds (Location), from plain values.
 * Only the elements this service fills are typed; the shapes follow the R4 resource definitions.
 */

export const FHIR_CONTENT_TYPE = 'application/fhir+json';

export interface Coding {
  system: string;
  code: string;
  display?: string;
}
export interface CodeableConcept {
  coding?: Coding[];
  text?: string;
}
export interface Identifier {
  use?: 'usual' | 'official' | 'temp' | 'secondary' | 'old';
  type?: CodeableConcept;
  system: string;
  value: string;
}
export interface Reference {
  reference?: string;
  identifier?: Identifier;
  display?: string;
}
export interface Period {
  start?: string;
  end?: string;
}

export interface EncounterResource {
  resourceType: 'Encounter';
  id: string;
  identifier: Identifier[];
  status: 'in-progress' | 'finished';
  class: Coding;
  priority: CodeableConcept;
  serviceType: CodeableConcept;
  subject: Reference;
  participant: { type: CodeableConcept[]; individual: Reference }[];
  period: Period;
  reasonCode: CodeableConcept[];
  hospitalization?: { dischargeDisposition: CodeableConcept };
  location: { location: Reference; status: 'active' | 'completed'; period: Period }[];
  serviceProvider: Reference;
}

export interface LocationResource {
  resourceType: 'Location';
  id: string;
  identifier: Identifier[];
  status: 'active' | 'inactive';
  operationalStatus?: Coding;
  name: string;
  alias?: string[];
  description?: string;
  mode: 'instance';
  physicalType: CodeableConcept;
  partOf?: Reference;
  managingOrganization: Reference;
}

export const SYSTEMS = {
  actCode: 'http://terminology.hl7.org/CodeSystem/v3-ActCode',
  actPriority: 'http://terminology.hl7.org/CodeSystem/v3-ActPriority',
  participationType: 'http://terminology.hl7.org/CodeSystem/v3-ParticipationType',
  identifierType: 'http://terminology.hl7.org/CodeSystem/v2-0203',
  dischargeDisposition: 'http://terminology.hl7.org/CodeSystem/discharge-disposition',
  bedStatus: 'http://terminology.hl7.org/CodeSystem/v2-0116',
  locationPhysicalType: 'http://terminology.hl7.org/CodeSystem/location-physical-type',
  /** This platform's own discharge types, kept beside the standard code that loses detail. */
  localDischargeType: 'urn:hms:discharge-type',
} as const;

/** Identifier namespaces. UHIDs, IP numbers and codes are issued per branch, so the branch is in the system. */
export const identifierSystem = {
  uhid: (branchId: string) => `urn:hms:branch:${branchId}:uhid`,
  ipNumber: (branchId: string) => `urn:hms:branch:${branchId}:ip-number`,
  ward: (branchId: string) => `urn:hms:branch:${branchId}:ward`,
  bed: (branchId: string) => `urn:hms:branch:${branchId}:bed`,
  practitioner: (branchId: string) => `urn:hms:branch:${branchId}:practitioner`,
};

/** A FHIR dateTime in Indian time, to the second: `2026-04-01T10:30:00+05:30`. */
export function fhirDateTime(instant: Date): string {
  if (Number.isNaN(instant.getTime())) throw new RangeError('a FHIR dateTime needs a valid instant');
  return istDateTime(instant);
}

const PRIORITY: Record<AdmissionType, Coding> = {
  emergency: { system: SYSTEMS.actPriority, code: 'EM', display: 'emergency' },
  elective: { system: SYSTEMS.actPriority, code: 'EL', display: 'elective' },
  'day-care': { system: SYSTEMS.actPriority, code: 'R', display: 'routine' },
};

const DISPOSITION: Record<DischargeType, { code: string; display: string; text: string }> = {
  normal: { code: 'home', display: 'Home', text: 'Discharged home' },
  'against-medical-advice': { code: 'aadvice', display: 'Left against advice', text: 'Discharged against medical advice' },
  referred: { code: 'other-hcf', display: 'Other healthcare facility', text: 'Referred to another facility' },
  absconded: { code: 'oth', display: 'Other', text: 'Absconded' },
  death: { code: 'exp', display: 'Expired', text: 'Died' },
};

/** HL7 table 0116 (bed status): what a bed board state means to another system. */
export const BED_OPERATIONAL_STATUS: Record<BedState, Coding> = {
  occupied: { system: SYSTEMS.bedStatus, code: 'O', display: 'Occupied' },
  available: { system: SYSTEMS.bedStatus, code: 'U', display: 'Unoccupied' },
  // Held for a patient on the way, but nobody is in it yet.
  reserved: { system: SYSTEMS.bedStatus, code: 'U', display: 'Unoccupied' },
  cleaning: { system: SYSTEMS.bedStatus, code: 'H', display: 'Housekeeping' },
  maintenance: { system: SYSTEMS.bedStatus, code: 'C', display: 'Closed' },
  blocked: { system: SYSTEMS.bedStatus, code: 'C', display: 'Closed' },
};

const CLOSED: Coding = { system: SYSTEMS.bedStatus, code: 'C', display: 'Closed' };

export interface EncounterFacts {
  id: string;
  ipNumber: string;
  status: 'admitted' | 'discharged';
  admissionType: AdmissionType;
  admittedAt: Date;
  dischargedAt: Date | null;
  dischargeType: DischargeType | null;
  department: string;
  reason: string;
  doctor: { id: string | null; name: string };
  patient: { id: string; uhid: string; name: string };
  branch: { id: string; name: string | null };
  /** Bed stays in the order they began. */
  stays: { bedId: string; bedCode: string; roomCode: string | null; wardCode: string; startedAt: Date; endedAt: Date | null }[];
}

const period = (start: Date, end: Date | null): Period => (end ? { start: fhirDateTime(start), end: fhirDateTime(end) } : { start: fhirDateTime(start) });
const placeName = (wardCode: string, roomCode: string | null, bedCode: string) => [wardCode, roomCode, bedCode].filter((p) => p !== null).join(' / ');

export function encounterFor(a: EncounterFacts): EncounterResource {
  const finished = a.status === 'discharged';
  if (finished && (!a.dischargedAt || !a.dischargeType)) throw new Error('a discharged admission without its discharge');
  const doctor: Reference = {
    display: a.doctor.name,
    ...(a.doctor.id ? { identifier: { system: identifierSystem.practitioner(a.branch.id), value: a.doctor.id } } : {}),
  };
  const encounter: EncounterResource = {
    resourceType: 'Encounter',
    id: a.id,
    identifier: [
      {
        use: 'official',
        type: { coding: [{ system: SYSTEMS.identifierType, code: 'VN', display: 'Visit number' }], text: 'IP number' },
        system: identifierSystem.ipNumber(a.branch.id),
        value: a.ipNumber,
      },
    ],
    status: finished ? 'finished' : 'in-progress',
    class: { system: SYSTEMS.actCode, code: 'IMP', display: 'inpatient encounter' },
    priority: { coding: [PRIORITY[a.admissionType]], text: a.admissionType },
    serviceType: { text: a.department },
    subject: {
      reference: `Patient/${a.patient.id}`,
      identifier: {
        type: { coding: [{ system: SYSTEMS.identifierType, code: 'MR', display: 'Medical record number' }], text: 'UHID' },
        system: identifierSystem.uhid(a.branch.id),
        value: a.patient.uhid,
      },
      display: a.patient.name,
    },
    participant: [
      { type: [{ coding: [{ system: SYSTEMS.participationType, code: 'ADM', display: 'admitter' }] }], individual: doctor },
      { type: [{ coding: [{ system: SYSTEMS.participationType, code: 'ATND', display: 'attender' }] }], individual: doctor },
    ],
    period: period(a.admittedAt, finished ? a.dischargedAt : null),
    reasonCode: [{ text: a.reason }],
    location: a.stays.map((s) => ({
      location: { reference: `Location/${s.bedId}`, display: placeName(s.wardCode, s.roomCode, s.bedCode) },
      status: s.endedAt ? 'completed' : 'active',
      period: period(s.startedAt, s.endedAt),
    })),
    serviceProvider: { reference: `Organization/${a.branch.id}`, ...(a.branch.name ? { display: a.branch.name } : {}) },
  };
  if (finished && a.dischargeType) {
    const d = DISPOSITION[a.dischargeType];
    encounter.hospitalization = {
      dischargeDisposition: {
        coding: [
          { system: SYSTEMS.dischargeDisposition, code: d.code, display: d.display },
          { system: SYSTEMS.localDischargeType, code: a.dischargeType },
        ],
        text: d.text,
      },
    };
  }
  return encounter;
}

export interface WardFacts {
  id: string;
  code: string;
  name: string;
  floor: string | null;
  retired: boolean;
  branchId: string;
}

export interface BedFacts {
  id: string;
  code: string;
  state: BedState;
  retired: boolean;
  roomCode: string | null;
  categoryName: string;
  ward: { id: string; code: string; name: string };
  branchId: string;
}

const physicalType = (code: 'bd' | 'wa', display: string): CodeableConcept => ({ coding: [{ system: SYSTEMS.locationPhysicalType, code, display }] });

export function bedLocationFor(b: BedFacts): LocationResource {
  return {
    resourceType: 'Location',
    id: b.id,
    identifier: [{ system: identifierSystem.bed(b.branchId), value: `${b.ward.code}/${b.code}` }],
    status: b.retired ? 'inactive' : 'active',
    // A retired bed takes no patient, whatever state it was left in.
    operationalStatus: b.retired ? CLOSED : BED_OPERATIONAL_STATUS[b.state],
    name: `Bed ${b.code}, ${b.ward.name}`,
    alias: [placeName(b.ward.code, b.roomCode, b.code)],
    description: b.categoryName,
    mode: 'instance',
    physicalType: physicalType('bd', 'Bed'),
    partOf: { reference: `Location/${b.ward.id}`, display: b.ward.name },
    managingOrganization: { reference: `Organization/${b.branchId}` },
  };
}

export function wardLocationFor(w: WardFacts): LocationResource {
  return {
    resourceType: 'Location',
    id: w.id,
    identifier: [{ system: identifierSystem.ward(w.branchId), value: w.code }],
    status: w.retired ? 'inactive' : 'active',
    name: w.name,
    alias: [w.code],
    ...(w.floor ? { description: `Floor ${w.floor}` } : {}),
    mode: 'instance',
    physicalType: physicalType('wa', 'Ward'),
    managingOrganization: { reference: `Organization/${w.branchId}` },
  };
}
