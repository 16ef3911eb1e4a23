import { Injectable, OnModuleInit } from '@nestjs/common';
import { PatientMerged, PatientRegistered, PatientUpdated, type PatientMergedData, type PatientSummary } from '@hms/contracts-patients';
import { EventConsumer } from '@hms/platform-messaging';
import type { Tx } from '@hms/platform-persistence';

/**
 * The pharmacy's own copy of the branch's patients, fed by the patients service's events (never a
 * query across schemas): a supply names a patient this table knows, and the H1 register takes the
 * patient's name from it. Each row keeps the version of the last event applied, so a late or
 * repeated event changes nothing; a merge is final, whatever order the events arrive in.
 */
@Injectable()
export class PatientsReadModel implements OnModuleInit {
  constructor(private readonly consumer: EventConsumer) {}

  onModuleInit(): void {
    this.consumer.on(PatientRegistered.type, (e, tx) => upsertPatient(tx, e.branchId, e.data as PatientSummary));
    this.consumer.on(PatientUpdated.type, (e, tx) => upsertPatient(tx, e.branchId, e.data as PatientSummary));
    this.consumer.on(PatientMerged.type, (e, tx) => mergePatient(tx, e.branchId, e.data as PatientMergedData));
  }
}

async function upsertPatient(tx: Tx, branchId: string | null, p: PatientSummary): Promise<void> {
  if (!branchId) throw new Error('a patient event without a branch');
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
async function mergePatient(tx: Tx, branchId: string | null, m: PatientMergedData): Promise<void> {
  if (!branchId) throw new Error('a patient event without a branch');
  await tx.query(
    `INSERT INTO patients (patient_id, branch_id, uhid, name, status, merged_into, merged_into_uhid, version)
     VALUES ($1, $2, $3, NULL, 'merged', $4, $5, 0)
     ON CONFLICT (patient_id) DO UPDATE SET status = 'merged', merged_into = EXCLUDED.merged_into, merged_into_uhid = EXCLUDED.merged_into_uhid, updated_at = now()
     WHERE patients.merged_into IS NULL`,
    [m.mergedPatientId, branchId, m.mergedUhid, m.survivorId, m.survivorUhid],
  );
}
