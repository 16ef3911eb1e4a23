import { Injectable, OnModuleInit } from '@nestjs/common';
import { PatientAdmitted, PatientDischarged, PatientTransferred, type BedPlacement, type PatientAdmittedData, type PatientDischargedData, type PatientTransferredData } from '@hms/contracts-wards';
import { EventConsumer } from '@hms/platform-messaging';
import type { Tx } from '@hms/platform-persistence';

/**
 * The pharmacy's own copy of the branch's admissions, fed by the wards service's events: an
 * in-patient supply is charged to an open admission of the same patient. The events carry no
 * version of the admission, so each row keeps the time of the last event applied (admitted,
 * transferred, discharged): an event no later than that changes nothing, and a discharge is final.
 */
@Injectable()
export class AdmissionsReadModel implements OnModuleInit {
  constructor(private readonly consumer: EventConsumer) {}

  onModuleInit(): void {
    this.consumer.on(PatientAdmitted.type, (e, tx) => admitted(tx, e.branchId, e.data as PatientAdmittedData));
    this.consumer.on(PatientTransferred.type, (e, tx) => transferred(tx, e.branchId, e.data as PatientTransferredData));
    this.consumer.on(PatientDischarged.type, (e, tx) => discharged(tx, e.branchId, e.data as PatientDischargedData));
  }
}

const COLUMNS = 'admission_id, branch_id, patient_id, ip_number, status, admitted_at, discharged_at, ward_id, ward_code, bed_code, event_at';
const placement = (bed: BedPlacement) => [bed.wardId, bed.wardCode, bed.bedCode];

function requireBranch(branchId: string | null): string {
  if (!branchId) throw new Error('an admission event without a branch');
  return branchId;
}

/** An admission is created once; a later copy of the event (or one after a transfer seen first) only fills in when it began. */
async function admitted(tx: Tx, branchId: string | null, a: PatientAdmittedData): Promise<void> {
  await tx.query(
    `INSERT INTO admissions (${COLUMNS}) VALUES ($1, $2, $3, $4, 'admitted', $5, NULL, $6, $7, $8, $5)
     ON CONFLICT (admission_id) DO UPDATE SET admitted_at = EXCLUDED.admitted_at, updated_at = now()
     WHERE admissions.admitted_at IS NULL`,
    [a.admissionId, requireBranch(branchId), a.patientId, a.ipNumber, a.admittedAt, ...placement(a.bed)],
  );
}

async function transferred(tx: Tx, branchId: string | null, t: PatientTransferredData): Promise<void> {
  await tx.query(
    `INSERT INTO admissions (${COLUMNS}) VALUES ($1, $2, $3, $4, 'admitted', NULL, NULL, $6, $7, $8, $5)
     ON CONFLICT (admission_id) DO UPDATE SET ward_id = EXCLUDED.ward_id, ward_code = EXCLUDED.ward_code, bed_code = EXCLUDED.bed_code,
       event_at = EXCLUDED.event_at, updated_at = now()
     WHERE admissions.status = 'admitted' AND admissions.event_at < EXCLUDED.event_at`,
    [t.admissionId, requireBranch(branchId), t.patientId, t.ipNumber, t.transferredAt, ...placement(t.to)],
  );
}

async function discharged(tx: Tx, branchId: string | null, d: PatientDischargedData): Promise<void> {
  await tx.query(
    `INSERT INTO admissions (${COLUMNS}) VALUES ($1, $2, $3, $4, 'discharged', $5, $6, $7, $8, $9, $6)
     ON CONFLICT (admission_id) DO UPDATE SET status = 'discharged', discharged_at = EXCLUDED.discharged_at, event_at = EXCLUDED.event_at, updated_at = now()
     WHERE admissions.status <> 'discharged'`,
    [d.admissionId, requireBranch(branchId), d.patientId, d.ipNumber, d.admittedAt, d.dischargedAt, ...placement(d.bed)],
  );
}
