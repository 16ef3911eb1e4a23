import { Injectable } from '@nestjs/common';
import type { Caller } from '@hms/platform-auth';
import { Database } from '@hms/platform-persistence';
import { BedsRepository } from '../data/beds.repository';
import { bedLocationFor, type LocationResource } from '../domain/fhir';
import { scopeOf } from '@hms/platform-service';
import { notFound } from '../domain/errors';

/** The bed as a FHIR R4 Location, with its occupancy (HL7 table 0116). */
@Injectable()
export class GetBedLocationUseCase {
  constructor(
    private readonly db: Database,
    private readonly beds: BedsRepository,
  ) {}

  async execute(caller: Caller, bedId: string): Promise<LocationResource> {
    const b = await this.db.transaction(scopeOf(caller), (tx) => this.beds.withPlace(tx, bedId, caller.branchId), { readOnly: true });
    if (!b) throw notFound('The bed', 'bed-not-found');
    return bedLocationFor({
      id: b.id,
      code: b.code,
      state: b.state,
      retired: b.retiredAt !== null,
      roomCode: b.room?.code ?? null,
      categoryName: b.category.name,
      ward: { id: b.ward.id, code: b.ward.code, name: b.ward.name },
      branchId: caller.branchId,
    });
  }
}
