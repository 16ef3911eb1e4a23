import { Injectable } from '@nestjs/common';
import type { Tx } from '@hms/platform-persistence';
import { AdmissionEntity } from './admission.entity';

const COLUMNS = 'admission_id, branch_id, patient_id, ip_number, status, admitted_at, discharged_at, ward_id, ward_code, bed_code, event_at';

export interface AdmissionEvent {
  admissionId: string;
  patientId: string;
  ipNumber: string;
  at: string;
  bed: { wardId: string; wardCode: string; bedCode: string };
}

/**
 * The pharmacy's copy of the branch's admissions (`admissions`), kept from the wards service's
 * events. Each row keeps the time of the last event applied (admitted, transferred, discharged):
 * an event no later than that changes nothing, and a discharge is final.
 */
@Injectable()
export class AdmissionsRepository {
  find(tx: Tx, branchId: string, admissionId: string): Promise<AdmissionEntity | null> {
    return tx.manager.findOneBy(AdmissionEntity, { branchId, admissionId });
  }

  /** An admission is created once; a later copy of the event (or one after a transfer seen first) only fills in when it began. */
  async admitted(tx: Tx, branchId: string, a: AdmissionEvent): Promise<void> {
    await tx.query(
      `INSERT INTO admissions (${COLUMNS}) VALUES ($1, $2, $3, $4, 'admitted', $5, NULL, $6, $7, $8, $5)
       ON CONFLICT (admission_id) DO UPDATE SET admitted_at = EXCLUDED.admitted_at, updated_at = now()
       WHERE admissions.admitted_at IS NULL`,
      [a.admissionId, branchId, a.patientId, a.ipNumber, a.at, a.bed.wardId, a.bed.wardCode, a.bed.bedCode],
    );
  }

  async transferred(tx: Tx, branchId: string, t: AdmissionEvent): Promise<void> {
    await tx.query(
      `INSERT INTO admissions (${COLUMNS}) VALUES ($1, $2, $3, $4, 'admitted', NULL, NULL, $6, $7, $8, $5)
       ON CONFLICT (admission_id) DO UPDATE SET ward_id = EXCLUDED.ward_id, ward_code = EXCLUDED.ward_code, bed_code = EXCLUDED.bed_code,
         event_at = EXCLUDED.event_at, updated_at = now()
       WHERE admissions.status = 'admitted' AND admissions.event_at < EXCLUDED.event_at`,
      [t.admissionId, branchId, t.patientId, t.ipNumber, t.at, t.bed.wardId, t.bed.wardCode, t.bed.bedCode],
    );
  }

  async discharged(tx: Tx, branchId: string, d: AdmissionEvent & { admittedAt: string }): Promise<void> {
    await tx.query(
      `INSERT INTO admissions (${COLUMNS}) VALUES ($1, $2, $3, $4, 'discharged', $5, $6, $7, $8, $9, $6)
       ON CONFLICT (admission_id) DO UPDATE SET status = 'discharged', discharged_at = EXCLUDED.discharged_at, event_at = EXCLUDED.event_at, updated_at = now()
       WHERE admissions.status <> 'discharged'`,
      [d.admissionId, branchId, d.patientId, d.ipNumber, d.admittedAt, d.at, d.bed.wardId, d.bed.wardCode, d.bed.bedCode],
    );
  }
}
