import type { AdmissionType, DischargeType } from '@hms/contracts-wards';
import { istDateTime } from '@hms/platform-time';

/**
 * HL7 v2.5 ADT messages (A01 admit, A02 transfer, A03 discharge) built from plain values.
 * Pure: no clock, no database; the caller passes every fact, the control id included.
 */

export type AdtTrigger = 'A01' | 'A02' | 'A03';

export const ADT_MESSAGE_STRUCTURE: Record<AdtTrigger, string> = { A01: 'ADT_A01', A02: 'ADT_A02', A03: 'ADT_A03' };

/** The sending application: this platform, qualified by the branch (MSH-3 `HMS^<branch code>`). */
export const SENDING_APPLICATION = 'HMS';
/**
 * MSH-5. A message is built once and read by every subscribed system, so it cannot name one
 * receiver; subscribers are told apart by their subscription, not by the message.
 */
export const RECEIVING_APPLICATION = 'ADT-SUBSCRIBERS';

/** HL7 table 0007 (admission type): elective C, emergency E; a day-care stay is a routine, planned one. */
export const HL7_ADMISSION_TYPE: Record<AdmissionType, string> = { elective: 'C', emergency: 'E', 'day-care': 'R' };

/**
 * HL7 user-defined table 0112 (discharge disposition), with the UB-04 patient status codes the
 * standard suggests, since that is what receiving systems map: 01 home or self care, 02 another
 * short-term hospital, 07 left against medical advice or discontinued care (absconding is
 * discontinuing care without notice), 20 expired.
 */
export const HL7_DISCHARGE_DISPOSITION: Record<DischargeType, string> = {
  normal: '01',
  'against-medical-advice': '07',
  referred: '02',
  absconded: '07',
  death: '20',
};

/** Where a patient lies: PL `ward^room^bed`. */
export interface Hl7Location {
  ward: string;
  room: string | null;
  bed: string;
}

export interface AdtMessageInput {
  trigger: AdtTrigger;
  /** MSH-10: unique per message, at most 20 characters. */
  controlId: string;
  /** MSH-7: when the message was built. */
  createdAt: Date;
  branchCode: string;
  event: {
    /** EVN-2: when the change was recorded. */
    recordedAt: Date;
    /** EVN-6: when it happened. */
    occurredAt: Date;
    /** EVN-5: who recorded it. */
    operator: { id: string; name: string | null } | null;
  };
  patient: {
    uhid: string;
    name: string;
    /** M, F, O or U (HL7 table 0001 uses the same letters). */
    sex: string;
    /** `YYYY-MM-DD`. */
    dateOfBirth: string | null;
  };
  visit: {
    ipNumber: string;
    admissionType: AdmissionType;
    attendingDoctor: { id: string | null; name: string };
    reason: string;
    admittedAt: Date;
    expectedDischargeAt: Date | null;
    location: Hl7Location;
    /** A02 only: the bed the patient left (PV1-6). */
    priorLocation?: Hl7Location | null;
    /** A03 only. */
    discharge?: { at: Date; type: DischargeType } | null;
  };
}

const SEGMENT_SEPARATOR = '\r';
const ENCODING_CHARACTERS = '^~\\&';
const ESCAPES: Record<string, string> = {
  '|': '\\F\\',
  '^': '\\S\\',
  '~': '\\R\\',
  '\\': '\\E\\',
  '&': '\\T\\',
  '\r': '\\X0D\\',
  '\n': '\\X0A\\',
};

/**
 * Escapes text for any position in a message: the five delimiters become `\F\ \S\ \R\ \E\ \T\`,
 * and line breaks, which would otherwise end the segment, become hexadecimal escapes.
 */
export function escapeHl7(text: string): string {
  return text.replace(/[|^~\\&\r\n]/g, (c) => ESCAPES[c]);
}

/** TS in Indian time, which has kept +05:30 all year since 1945: `YYYYMMDDHHMMSS+0530`. */
export function hl7Timestamp(instant: Date): string {
  if (Number.isNaN(instant.getTime())) throw new RangeError('an HL7 timestamp needs a valid instant');
  const ist = istDateTime(instant); // `2026-04-01T10:30:00+05:30`, re-punctuated for HL7
  return `${ist.slice(0, 4)}${ist.slice(5, 7)}${ist.slice(8, 10)}${ist.slice(11, 13)}${ist.slice(14, 16)}${ist.slice(17, 19)}+0530`;
}

/** DT from an ISO calendar date: `1980-01-31` → `19800131`. */
export function hl7Date(isoDate: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(isoDate)) throw new RangeError(`${isoDate} is not a calendar date`);
  return isoDate.replaceAll('-', '');
}

/** MSH-10 from the feed's sequence: fits the 20 characters HL7 v2.5 allows. */
export function controlIdFor(seq: number): string {
  if (!Number.isSafeInteger(seq) || seq < 1) throw new RangeError('a feed sequence starts at 1');
  return `HMS${String(seq).padStart(12, '0')}`;
}

export function hl7Sex(sex: string): string {
  return sex === 'M' || sex === 'F' || sex === 'O' ? sex : 'U';
}

/** Joins already-encoded parts with a delimiter, dropping empty trailing ones. */
function join(parts: readonly string[], delimiter: string): string {
  let end = parts.length;
  while (end > 0 && parts[end - 1] === '') end--;
  return parts.slice(0, end).join(delimiter);
}

/** A composite of text values: each escaped, joined by `^`. */
const components = (...values: (string | null | undefined)[]) => join(values.map((v) => escapeHl7(v ?? '')), '^');
/** A composite inside a component: each escaped, joined by `&`. */
const subcomponents = (...values: (string | null | undefined)[]) => join(values.map((v) => escapeHl7(v ?? '')), '&');

/** A segment from its fields, numbered from 1; fields are already encoded. */
function segment(name: string, fields: Record<number, string | undefined>): string {
  const last = Math.max(0, ...Object.keys(fields).map(Number));
  const values = Array.from({ length: last }, (_, i) => fields[i + 1] ?? '');
  return join([name, ...values], '|');
}

const location = (l: Hl7Location) => components(l.ward, l.room, l.bed);
const assigningAuthority = (branchCode: string) => subcomponents(SENDING_APPLICATION, branchCode);
/** XCN with the whole name in the family-name component: Indian names do not split reliably. */
const person = (p: { id: string | null; name: string | null }) => components(p.id, p.name);

export function buildAdtMessage(input: AdtMessageInput): string {
  const { trigger, visit, patient, event } = input;
  if (trigger === 'A02' && !visit.priorLocation) throw new Error('an A02 transfer needs the prior location');
  if (trigger === 'A03' && !visit.discharge) throw new Error('an A03 discharge needs the discharge');
  if (input.controlId.length > 20) throw new RangeError('MSH-10 holds at most 20 characters');

  // MSH-1 is the field separator itself, so MSH-2 is the first field after the name.
  const msh = `MSH|${ENCODING_CHARACTERS}|${join(
    [
      components(SENDING_APPLICATION, input.branchCode), // MSH-3
      components(input.branchCode), // MSH-4 sending facility
      components(RECEIVING_APPLICATION), // MSH-5
      components(input.branchCode), // MSH-6 receiving facility
      hl7Timestamp(input.createdAt), // MSH-7
      '', // MSH-8 security
      components('ADT', trigger, ADT_MESSAGE_STRUCTURE[trigger]), // MSH-9
      escapeHl7(input.controlId), // MSH-10
      'P', // MSH-11 production
      '2.5', // MSH-12
      '', // MSH-13 sequence number
      '', // MSH-14 continuation pointer
      '', // MSH-15 accept acknowledgment type
      '', // MSH-16 application acknowledgment type
      'IND', // MSH-17 country (ISO 3166 alpha-3)
      'UNICODE UTF-8', // MSH-18 character set (table 0211)
    ],
    '|',
  )}`;

  const evn = segment('EVN', {
    1: trigger,
    2: hl7Timestamp(event.recordedAt),
    5: event.operator ? person(event.operator) : undefined,
    6: hl7Timestamp(event.occurredAt),
  });

  const pid = segment('PID', {
    1: '1',
    3: join([escapeHl7(patient.uhid), '', '', assigningAuthority(input.branchCode), 'MR'], '^'),
    5: components(patient.name),
    7: patient.dateOfBirth ? hl7Date(patient.dateOfBirth) : undefined,
    8: hl7Sex(patient.sex),
  });

  const pv1 = segment('PV1', {
    1: '1',
    2: 'I',
    3: location(visit.location),
    4: HL7_ADMISSION_TYPE[visit.admissionType],
    6: trigger === 'A02' && visit.priorLocation ? location(visit.priorLocation) : undefined,
    7: person(visit.attendingDoctor),
    17: person(visit.attendingDoctor),
    19: join([escapeHl7(visit.ipNumber), '', '', assigningAuthority(input.branchCode), 'VN'], '^'),
    36: trigger === 'A03' && visit.discharge ? HL7_DISCHARGE_DISPOSITION[visit.discharge.type] : undefined,
    44: hl7Timestamp(visit.admittedAt),
    45: trigger === 'A03' && visit.discharge ? hl7Timestamp(visit.discharge.at) : undefined,
  });

  const pv2 = segment('PV2', {
    3: components('', visit.reason),
    9: visit.expectedDischargeAt ? hl7Timestamp(visit.expectedDischargeAt) : undefined,
  });

  return [msh, evn, pid, pv1, pv2].join(SEGMENT_SEPARATOR) + SEGMENT_SEPARATOR;
}
