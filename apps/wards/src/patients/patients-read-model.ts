import { Injectable, OnModuleInit } from '@nestjs/common';
import { PatientMerged, PatientRegistered, PatientUpdated, type PatientMergedData, type PatientSummary } from '@hms/contracts-patients';
import { EventConsumer } from '@hms/platform-messaging';
import type { Tx } from '@hms/platform-persistence';

/**
 * The wards service's own copy of the patients it may admit, fed by the patients service's
 * events (never a query across schemas). Versions make a late or replayed event harmless.
 */
@Injectable()
export class PatientsReadModel implements OnModuleInit {
  constructor(private readonly consumer: EventConsumer) {}

  onModuleInit(): void {
    this.consumer.on(PatientRegistered.type, (e, tx) => this.upsert(tx, e.branchId, e.data as PatientSummary));
    this.consumer.on(PatientUpdated.type, (e, tx) => this.upsert(tx, e.branchId, e.data as PatientSummary));
    this.consumer.on(PatientMerged.type, (e, tx) => this.merged(tx, e.data as PatientMergedData));
  }

  private async upsert(tx: Tx, branchId: string | null, p: PatientSummary): Promise<void> {
    if (!branchId) throw new Error('a patient event without a branch');
    await tx.query(
      `INSERT INTO patients (patient_id, branch_id, uhid, name, sex, date_of_birth, status, version, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, now())
       ON CONFLICT (patient_id) DO UPDATE SET uhid = EXCLUDED.uhid, name = EXCLUDED.name, sex = EXCLUDED.sex, date_of_birth = EXCLUDED.date_of_birth,
         status = EXCLUDED.status, version = EXCLUDED.version, updated_at = now()
       WHERE patients.version < EXCLUDED.version`,
      [p.patientId, branchId, p.uhid, p.name, p.sex, p.dateOfBirth, p.status, p.version],
    );
  }

  /**
   * The merged-away record's admissions become the survivor's: one person, one history. An open
   * admission moves only if the survivor holds none (two open stays of one person need a person
   * to decide which is real); it then stays under the merged record, which the desk can see.
   */
  private async merged(tx: Tx, m: PatientMergedData): Promise<void> {
    await tx.query(`UPDATE patients SET status = 'merged', merged_into = $2, updated_at = now() WHERE patient_id = $1`, [m.mergedPatientId, m.survivorId]);
    await tx.query(
      `UPDATE admissions SET patient_id = $2, version = version + 1, updated_at = now()
       WHERE patient_id = $1
         AND (status <> 'admitted' OR NOT EXISTS (SELECT 1 FROM admissions o WHERE o.patient_id = $2 AND o.status = 'admitted'))`,
      [m.mergedPatientId, m.survivorId],
    );
  }
}
