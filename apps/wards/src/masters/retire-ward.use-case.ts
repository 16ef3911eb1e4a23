import { Inject, Injectable } from '@nestjs/common';
import type { Caller } from '@hms/platform-auth';
import { CLOCK, type Clock } from '@hms/platform-time';
import { Database } from '@hms/platform-persistence';
import { BedsRepository, type RetiredBed } from '../data/beds.repository';
import { WardsRepository } from '../data/wards.repository';
import { wardView, type WardView } from './ward-view';
import { scopeOf } from '@hms/platform-service';
import { conflict, notFound } from '../domain/errors';

/** Retires a ward with its rooms and beds; refused while any bed holds or awaits a patient. Lists the beds it retired. */
@Injectable()
export class RetireWardUseCase {
  constructor(
    private readonly db: Database,
    private readonly wards: WardsRepository,
    private readonly beds: BedsRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  execute(caller: Caller, id: string): Promise<WardView & { retiredBeds: RetiredBed[] }> {
    return this.db.transaction(scopeOf(caller), async (tx) => {
      if (!(await this.wards.lock(tx, id))) throw notFound('The ward', 'ward-not-found');
      const busy = await this.beds.busy(tx, { wardId: id });
      if (busy.length) throw conflict('ward-in-use', `Beds ${busy.map((b) => `${b.code} (${b.state})`).join(', ')} hold or await patients; the ward cannot be retired`);
      const at = this.clock.now();
      const beds = await this.beds.lockInService(tx, { wardId: id });
      for (const bed of beds) await this.beds.retire(tx, bed.id, caller.userId, at);
      await this.wards.retire(tx, id, at);
      return { ...(await wardView(this.wards, tx, id)), retiredBeds: beds };
    });
  }
}
