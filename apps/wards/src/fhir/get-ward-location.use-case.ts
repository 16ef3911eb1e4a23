import { Injectable } from '@nestjs/common';
import type { Caller } from '@hms/platform-auth';
import { Database } from '@hms/platform-persistence';
import { WardsRepository } from '../data/wards.repository';
import { wardLocationFor, type LocationResource } from '../domain/fhir';
import { scopeOf } from '@hms/platform-service';
import { notFound } from '../domain/errors';

/** The ward as a FHIR R4 Location, which its beds are part of. */
@Injectable()
export class GetWardLocationUseCase {
  constructor(
    private readonly db: Database,
    private readonly wards: WardsRepository,
  ) {}

  async execute(caller: Caller, wardId: string): Promise<LocationResource> {
    const w = await this.db.transaction(scopeOf(caller), (tx) => this.wards.find(tx, wardId, caller.branchId), { readOnly: true });
    if (!w) throw notFound('The ward', 'ward-not-found');
    return wardLocationFor({ id: w.id, code: w.code, name: w.name, floor: w.floor, retired: w.retiredAt !== null, branchId: caller.branchId });
  }
}
