import { Inject, Injectable } from '@nestjs/common';
import type { Caller } from '@hms/platform-auth';
import { CLOCK, type Clock } from '@hms/platform-time';
import { Database } from '@hms/platform-persistence';
import { BedsRepository } from '../data/beds.repository';
import { scopeOf } from '@hms/platform-service';
import { conflict, notFound } from '../domain/errors';

/** Retires a bed; refused while it is occupied or reserved. */
@Injectable()
export class RetireBedUseCase {
  constructor(
    private readonly db: Database,
    private readonly beds: BedsRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  execute(caller: Caller, bedId: string) {
    return this.db.transaction(scopeOf(caller), async (tx) => {
      const bed = await this.beds.lock(tx, bedId);
      if (!bed) throw notFound('The bed', 'bed-not-found');
      if (bed.state === 'occupied' || bed.state === 'reserved') {
        throw conflict('bed-in-use', `Bed ${bed.code} is ${bed.state}; transfer or discharge the patient (or release the reservation) first`);
      }
      if (!bed.retiredAt) await this.beds.retire(tx, bedId, caller.userId, this.clock.now());
      return { id: bedId, code: bed.code, retired: true };
    });
  }
}
