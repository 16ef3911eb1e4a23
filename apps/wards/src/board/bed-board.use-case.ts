import { Inject, Injectable } from '@nestjs/common';
import type { Caller } from '@hms/platform-auth';
import { Database } from '@hms/platform-persistence';
import { CLOCK, type Clock } from '@hms/platform-time';
import { BedBoardRepository } from '../data/bed-board.repository';
import { scopeOf } from '@hms/platform-service';

/** The live bed board: every bed, its state and since when, and who is in it. One query, indexed by branch and ward. */
@Injectable()
export class BedBoardUseCase {
  constructor(
    private readonly db: Database,
    private readonly board: BedBoardRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute(caller: Caller, wardId?: string) {
    const rows = await this.db.transaction(scopeOf(caller), (tx) => this.board.board(tx, caller.branchId, wardId ?? null), { readOnly: true });
    const wards = new Map<string, { id: string; code: string; name: string; floor: string | null; counts: Record<string, number>; beds: unknown[] }>();
    for (const r of rows) {
      let ward = wards.get(r.wardId);
      if (!ward) wards.set(r.wardId, (ward = { id: r.wardId, code: r.wardCode, name: r.wardName, floor: r.floor, counts: {}, beds: [] }));
      ward.counts[r.state] = (ward.counts[r.state] ?? 0) + 1;
      ward.beds.push({
        id: r.bedId,
        code: r.bedCode,
        room: r.roomCode,
        category: r.categoryCode,
        isCriticalCare: r.isCriticalCare,
        state: r.state,
        since: r.since.toISOString(),
        reservedForPatientId: r.reservedForPatientId,
        admission: r.admissionId
          ? {
              id: r.admissionId,
              ipNumber: r.ipNumber,
              patientId: r.patientId,
              uhid: r.uhid,
              name: r.patientName,
              expectedDischargeAt: r.expectedDischargeAt?.toISOString() ?? null,
            }
          : null,
      });
    }
    return { generatedAt: this.clock.now().toISOString(), wards: [...wards.values()] };
  }
}
