import { Injectable } from '@nestjs/common';
import type { PatientSummary } from '@hms/contracts-patients';
import type { Tx } from '@hms/platform-persistence';
import { PatientEntity } from './patients.entity';

/** The wards service's copy of the patients it may admit, kept from the patients service's events. */
@Injectable()
export class PatientsRepository {
  /** What an admission checks of the patient. */
  find(tx: Tx, patientId: string): Promise<Pick<PatientEntity, 'uhid' | 'name' | 'sex' | 'status' | 'mergedInto'> | null> {
    // Plain SQL on the admission's hot path (see insertRows in columns.ts).
    return tx.maybeOne<Pick<PatientEntity, 'uhid' | 'name' | 'sex' | 'status' | 'mergedInto'>>('SELECT uhid, name, sex, status, merged_into AS "mergedInto" FROM patients WHERE patient_id = $1', [patientId]);
  }

  async uhid(tx: Tx, patientId: string): Promise<string | null> {
    return (await tx.manager.findOne(PatientEntity, { select: { uhid: true }, where: { patientId } }))?.uhid ?? null;
  }

  async sex(tx: Tx, patientId: string): Promise<string | null> {
    return (await tx.manager.findOne(PatientEntity, { select: { sex: true }, where: { patientId } }))?.sex ?? null;
  }

  async status(tx: Tx, patientId: string): Promise<string | null> {
    return (await tx.manager.findOne(PatientEntity, { select: { status: true }, where: { patientId } }))?.status ?? null;
  }

  /**
   * Writes the patient as an event describes them, unless a later version is known already: a
   * conditional upsert, which stays SQL (the query builder's upsert cannot say "only if newer").
   */
  async upsert(tx: Tx, branchId: string, p: PatientSummary): Promise<void> {
    await tx.query(
      `INSERT INTO patients (patient_id, branch_id, uhid, name, sex, date_of_birth, status, version, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, now())
       ON CONFLICT (patient_id) DO UPDATE SET uhid = EXCLUDED.uhid, name = EXCLUDED.name, sex = EXCLUDED.sex, date_of_birth = EXCLUDED.date_of_birth,
         status = EXCLUDED.status, version = EXCLUDED.version, updated_at = now()
       WHERE patients.version < EXCLUDED.version`,
      [p.patientId, branchId, p.uhid, p.name, p.sex, p.dateOfBirth, p.status, p.version],
    );
  }

  async markMerged(tx: Tx, mergedPatientId: string, survivorId: string): Promise<void> {
    await tx.manager.update(PatientEntity, { patientId: mergedPatientId }, { status: 'merged', mergedInto: survivorId, updatedAt: () => 'now()' });
  }
}
