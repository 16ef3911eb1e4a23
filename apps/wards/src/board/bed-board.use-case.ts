import { Injectable } from '@nestjs/common';
import type { Caller } from '@hms/platform-auth';
import { Database } from '@hms/platform-persistence';
import { BedBoardRepository } from '../data/bed-board.repository';
import { scopeOf } from '@hms/platform-service';

/** The live bed board: every bed, its state and since when, and who is in it. One query, indexed by branch and ward. */
@Injectable()
export class BedBoardUseCase {
  constructor(
    private readonly db: Database,
    private readonly board: BedBoardRepository,
  ) {}

  async execute(caller: Caller, wardId?: string) {
    const rows = await this.db.transaction(scopeOf(caller), (tx) => this.board.board(tx, caller.branchId, wardId ?? null), { readOnly: true });
    const wards = new Map<string, { id: string; code: string; name: string; floor: string | null; counts: Record<string, number>; beds: unknown[] }>();
    for (const r of rows) {
      let ward = wards.get(r.ward_id);
      if (!ward) wards.set(r.ward_id, (ward = { id: r.ward_id, code: r.ward_code, name: r.ward_name, floor: r.floor, counts: {}, beds: [] }));
      ward.counts[r.state] = (ward.counts[r.state] ?? 0) + 1;
      ward.beds.push({
        id: r.bed_id,
        code: r.bed_code,
        room: r.room_code,
        category: r.category_code,
        isCriticalCare: r.is_critical_care,
        state: r.state,
        since: r.since.toISOString(),
        reservedForPatientId: r.reserved_for_patient_id,
        admission: r.admission_id
          ? {
              id: r.admission_id,
              ipNumber: r.ip_number,
              patientId: r.patient_id,
              uhid: r.uhid,
              name: r.patient_name,
              expectedDischargeAt: r.expected_discharge_at?.toISOString() ?? null,
            }
          : null,
      });
    }
    return { generatedAt: new Date().toISOString(), wards: [...wards.values()] };
  }
}
