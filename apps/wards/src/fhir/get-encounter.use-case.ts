import { Injectable } from '@nestjs/common';
import type { Caller } from '@hms/platform-auth';
import { Database } from '@hms/platform-persistence';
import { AdmissionsRepository } from '../data/admissions.repository';
import { encounterFor, type EncounterResource } from '../domain/fhir';
import { scopeOf } from '@hms/platform-service';
import { notFound } from '../domain/errors';

/** The admission as a FHIR R4 Encounter, with its bed history; the mapping itself is in `domain/fhir.ts`. */
@Injectable()
export class GetEncounterUseCase {
  constructor(
    private readonly db: Database,
    private readonly admissions: AdmissionsRepository,
  ) {}

  execute(caller: Caller, admissionId: string): Promise<EncounterResource> {
    return this.db.transaction(
      scopeOf(caller),
      async (tx) => {
        const a = await this.admissions.forInterop(tx, admissionId, caller.branchId);
        if (!a) throw notFound('The admission', 'admission-not-found');
        const stays = await this.admissions.stays(tx, admissionId);
        return encounterFor({
          id: a.id,
          ipNumber: a.ipNumber,
          status: a.status,
          admissionType: a.admissionType,
          admittedAt: a.admittedAt,
          dischargedAt: a.dischargedAt,
          dischargeType: a.dischargeType,
          department: a.department,
          reason: a.reason,
          doctor: { id: a.admittingDoctorId, name: a.admittingDoctorName },
          patient: { id: a.patientId, uhid: a.patientUhid, name: a.patientName },
          branch: { id: caller.branchId, name: a.branchName },
          stays: stays.map((s) => ({
            bedId: s.bedId,
            bedCode: s.bedCode,
            roomCode: s.roomCode,
            wardCode: s.wardCode,
            startedAt: s.startedAt,
            endedAt: s.endedAt,
          })),
        });
      },
      { readOnly: true },
    );
  }
}
