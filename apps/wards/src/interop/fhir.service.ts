import { Injectable } from '@nestjs/common';
import { notFound } from '@hms/contracts-common';
import type { AdmissionType, BedState, DischargeType } from '@hms/contracts-wards';
import type { Caller } from '@hms/platform-auth';
import { Database } from '@hms/platform-persistence';
import { bedLocationFor, encounterFor, wardLocationFor, type EncounterResource, type LocationResource } from './domain/fhir';

const scopeOf = (caller: Caller) => ({ branchId: caller.branchId });

/** Reads what the FHIR mappings need; the mapping itself is in `domain/fhir.ts`. */
@Injectable()
export class FhirService {
  constructor(private readonly db: Database) {}

  encounter(caller: Caller, admissionId: string): Promise<EncounterResource> {
    return this.db.transaction(
      scopeOf(caller),
      async (tx) => {
        const a = await tx.maybeOne<{
          id: string;
          ip_number: string;
          status: 'admitted' | 'discharged';
          admission_type: AdmissionType;
          admitted_at: Date;
          discharged_at: Date | null;
          discharge_type: DischargeType | null;
          department: string;
          reason: string;
          admitting_doctor_id: string | null;
          admitting_doctor_name: string;
          patient_id: string;
          uhid: string;
          patient_name: string;
          branch_name: string | null;
        }>(
          `SELECT a.id, a.ip_number, a.status, a.admission_type, a.admitted_at, a.discharged_at, a.discharge_type, a.department, a.reason,
                  a.admitting_doctor_id, a.admitting_doctor_name, a.patient_id, p.uhid, p.name AS patient_name, br.name AS branch_name
           FROM admissions a JOIN patients p ON p.patient_id = a.patient_id LEFT JOIN branches br ON br.branch_id = a.branch_id
           WHERE a.id = $1 AND a.branch_id = $2`,
          [admissionId, caller.branchId],
        );
        if (!a) throw notFound('The admission', 'admission-not-found');
        const stays = await tx.query<{ bed_id: string; bed_code: string; room_code: string | null; ward_code: string; started_at: Date; ended_at: Date | null }>(
          `SELECT s.bed_id, b.code AS bed_code, r.code AS room_code, w.code AS ward_code, s.started_at, s.ended_at
           FROM bed_stays s JOIN beds b ON b.id = s.bed_id JOIN wards w ON w.id = s.ward_id LEFT JOIN rooms r ON r.id = b.room_id
           WHERE s.admission_id = $1 ORDER BY s.started_at, s.id`,
          [admissionId],
        );
        return encounterFor({
          id: a.id,
          ipNumber: a.ip_number,
          status: a.status,
          admissionType: a.admission_type,
          admittedAt: a.admitted_at,
          dischargedAt: a.discharged_at,
          dischargeType: a.discharge_type,
          department: a.department,
          reason: a.reason,
          doctor: { id: a.admitting_doctor_id, name: a.admitting_doctor_name },
          patient: { id: a.patient_id, uhid: a.uhid, name: a.patient_name },
          branch: { id: caller.branchId, name: a.branch_name },
          stays: stays.map((s) => ({
            bedId: s.bed_id,
            bedCode: s.bed_code,
            roomCode: s.room_code,
            wardCode: s.ward_code,
            startedAt: s.started_at,
            endedAt: s.ended_at,
          })),
        });
      },
      { readOnly: true },
    );
  }

  async bed(caller: Caller, bedId: string): Promise<LocationResource> {
    const b = await this.db.transaction(
      scopeOf(caller),
      (tx) =>
        tx.maybeOne<{
          id: string;
          code: string;
          state: BedState;
          retired_at: Date | null;
          room_code: string | null;
          category_name: string;
          ward_id: string;
          ward_code: string;
          ward_name: string;
        }>(
          `SELECT b.id, b.code, b.state, b.retired_at, r.code AS room_code, c.name AS category_name, w.id AS ward_id, w.code AS ward_code, w.name AS ward_name
           FROM beds b JOIN wards w ON w.id = b.ward_id JOIN bed_categories c ON c.id = b.category_id LEFT JOIN rooms r ON r.id = b.room_id
           WHERE b.id = $1 AND b.branch_id = $2`,
          [bedId, caller.branchId],
        ),
      { readOnly: true },
    );
    if (!b) throw notFound('The bed', 'bed-not-found');
    return bedLocationFor({
      id: b.id,
      code: b.code,
      state: b.state,
      retired: b.retired_at !== null,
      roomCode: b.room_code,
      categoryName: b.category_name,
      ward: { id: b.ward_id, code: b.ward_code, name: b.ward_name },
      branchId: caller.branchId,
    });
  }

  async ward(caller: Caller, wardId: string): Promise<LocationResource> {
    const w = await this.db.transaction(
      scopeOf(caller),
      (tx) =>
        tx.maybeOne<{ id: string; code: string; name: string; floor: string | null; retired_at: Date | null }>(
          'SELECT id, code, name, floor, retired_at FROM wards WHERE id = $1 AND branch_id = $2',
          [wardId, caller.branchId],
        ),
      { readOnly: true },
    );
    if (!w) throw notFound('The ward', 'ward-not-found');
    return wardLocationFor({ id: w.id, code: w.code, name: w.name, floor: w.floor, retired: w.retired_at !== null, branchId: caller.branchId });
  }
}
