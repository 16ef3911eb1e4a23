import type { Tx } from '@hms/platform-persistence';
import type { KnownAdmission, KnownPatient } from '../domain';

interface PatientRow {
  patient_id: string;
  uhid: string | null;
  name: string | null;
  status: 'active' | 'merged';
  merged_into: string | null;
  merged_into_uhid: string | null;
}

/** Merge chains are short (a duplicate of a duplicate); a loop in bad data must not spin forever. */
const MAX_MERGE_HOPS = 10;

const patientRow = (tx: Tx, branchId: string, patientId: string) =>
  tx.maybeOne<PatientRow>('SELECT patient_id, uhid, name, status, merged_into, merged_into_uhid FROM patients WHERE branch_id = $1 AND patient_id = $2', [branchId, patientId]);

/**
 * The patient as the read model knows them, in the caller's branch, or null. A merged-away record
 * comes with the record at the end of its merge chain (a survivor merged away later points on).
 */
export async function findPatient(tx: Tx, branchId: string, patientId: string): Promise<KnownPatient | null> {
  const row = await patientRow(tx, branchId, patientId);
  if (!row) return null;
  if (row.status !== 'merged') return { patientId: row.patient_id, uhid: row.uhid, name: row.name, status: 'active', survivor: null };
  let survivor = row.merged_into ? { patientId: row.merged_into, uhid: row.merged_into_uhid } : null;
  for (let hop = 0; survivor && hop < MAX_MERGE_HOPS; hop++) {
    const next = await patientRow(tx, branchId, survivor.patientId);
    if (!next) break;
    survivor = { patientId: next.patient_id, uhid: next.uhid ?? survivor.uhid };
    if (next.status !== 'merged' || !next.merged_into) break;
    survivor = { patientId: next.merged_into, uhid: next.merged_into_uhid };
  }
  return { patientId: row.patient_id, uhid: row.uhid, name: row.name, status: 'merged', survivor };
}

/** The record a patient id lives on now: itself, or the end of its merge chain. */
async function survivingId(tx: Tx, branchId: string, patientId: string): Promise<string> {
  const patient = await findPatient(tx, branchId, patientId);
  return patient?.survivor?.patientId ?? patientId;
}

/**
 * The admission as the read model knows it, in the caller's branch, or null; its patient is
 * followed through merges, as the wards service moves a merged-away record's stays to the survivor.
 */
export async function findAdmission(tx: Tx, branchId: string, admissionId: string): Promise<KnownAdmission | null> {
  const row = await tx.maybeOne<{ admission_id: string; ip_number: string; status: 'admitted' | 'discharged'; discharged_at: Date | null; patient_id: string }>(
    'SELECT admission_id, ip_number, status, discharged_at, patient_id FROM admissions WHERE branch_id = $1 AND admission_id = $2',
    [branchId, admissionId],
  );
  if (!row) return null;
  return {
    admissionId: row.admission_id,
    ipNumber: row.ip_number,
    status: row.status,
    dischargedAt: row.discharged_at?.toISOString() ?? null,
    patientId: await survivingId(tx, branchId, row.patient_id),
  };
}

/** A patient id and every record merged into it, directly or through others: one person's ids. */
export async function idsOfPerson(tx: Tx, branchId: string, patientId: string): Promise<string[]> {
  const rows = await tx.query<{ patient_id: string }>(
    `WITH RECURSIVE person(patient_id) AS (
       SELECT $2::uuid
       UNION
       SELECT p.patient_id FROM patients p JOIN person ON p.merged_into = person.patient_id WHERE p.branch_id = $1
     )
     SELECT patient_id FROM person`,
    [branchId, patientId],
  );
  return rows.map((r) => r.patient_id);
}
