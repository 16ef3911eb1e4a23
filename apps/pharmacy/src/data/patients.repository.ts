import { Injectable } from '@nestjs/common';
import type { Tx } from '@hms/platform-persistence';
import { PatientEntity } from './patient.entity';

/**
 * The pharmacy's copy of the branch's patients (`patients`), kept from the patients service's
 * events. Each row keeps the version of the last event applied, so a late or repeated event
 * changes nothing; a merge is final, whatever order the events arrive in.
 */
@Injectable()
export class PatientsRepository {
  find(tx: Tx, branchId: string, patientId: string): Promise<PatientEntity | null> {
    return tx.manager.findOneBy(PatientEntity, { branchId, patientId });
  }

  /** A registration or change at `version`: applied only over an older version; a merged record stays merged. */
  async upsert(tx: Tx, branchId: string, p: { patientId: string; uhid: string; name: string; status: string; version: number }): Promise<void> {
    await tx.query(
      `INSERT INTO patients (patient_id, branch_id, uhid, name, status, version)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (patient_id) DO UPDATE SET uhid = EXCLUDED.uhid, name = EXCLUDED.name,
         status = CASE WHEN patients.status = 'merged' THEN 'merged' ELSE EXCLUDED.status END,
         version = EXCLUDED.version, updated_at = now()
       WHERE patients.version < EXCLUDED.version`,
      [p.patientId, branchId, p.uhid, p.name, p.status, p.version],
    );
  }

  /**
   * A record merged into another stays, pointing at the survivor. A merge announced before the
   * merged record's registration reached the pharmacy leaves a row of version 0 that the
   * registration fills in without reviving it. A record is merged once: a repeat changes nothing.
   */
  async merge(tx: Tx, branchId: string, m: { mergedPatientId: string; mergedUhid: string; survivorId: string; survivorUhid: string }): Promise<void> {
    await tx.query(
      `INSERT INTO patients (patient_id, branch_id, uhid, name, status, merged_into, merged_into_uhid, version)
       VALUES ($1, $2, $3, NULL, 'merged', $4, $5, 0)
       ON CONFLICT (patient_id) DO UPDATE SET status = 'merged', merged_into = EXCLUDED.merged_into, merged_into_uhid = EXCLUDED.merged_into_uhid, updated_at = now()
       WHERE patients.merged_into IS NULL`,
      [m.mergedPatientId, branchId, m.mergedUhid, m.survivorId, m.survivorUhid],
    );
  }

  /** A patient id and every record merged into it, directly or through others: one person's ids. */
  async idsOfPerson(tx: Tx, branchId: string, patientId: string): Promise<string[]> {
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
}
