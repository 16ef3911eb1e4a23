import { Inject, Injectable } from '@nestjs/common';
import type { BedState } from '@hms/contracts-wards';
import type { Caller } from '@hms/platform-auth';
import { Database, onUniqueViolation } from '@hms/platform-persistence';
import { CLOCK, ID_GENERATOR, type IdGenerator, type Clock } from '@hms/platform-time';
import { BedStateRecorder } from '../beds/bed-state-recorder';
import { BedCategoriesRepository } from '../data/bed-categories.repository';
import { BedsRepository } from '../data/beds.repository';
import { WardsRepository } from '../data/wards.repository';
import { scopeOf } from '@hms/platform-service';
import { conflict, notFound } from '../domain/errors';

@Injectable()
export class CreateBedUseCase {
  constructor(
    private readonly db: Database,
    private readonly wards: WardsRepository,
    private readonly categories: BedCategoriesRepository,
    private readonly beds: BedsRepository,
    private readonly bedStates: BedStateRecorder,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  execute(caller: Caller, input: { wardId: string; roomId?: string; code: string; categoryId: string }) {
    return onUniqueViolation(
      () =>
        this.db.transaction(scopeOf(caller), async (tx) => {
          if (!(await this.wards.inService(tx, input.wardId))) throw notFound('The ward', 'ward-not-found');
          if (input.roomId && !(await this.wards.roomInServiceInWard(tx, input.roomId, input.wardId))) throw notFound('The room (in this ward)', 'room-not-found');
          if (!(await this.categories.inService(tx, input.categoryId))) throw notFound('The bed category', 'category-not-found');
          const id = this.ids.next();
          const at = this.clock.now();
          await this.beds.insert(tx, { id, branchId: caller.branchId, wardId: input.wardId, roomId: input.roomId ?? null, code: input.code, categoryId: input.categoryId, stateSince: at });
          await this.bedStates.record(tx, caller, { bedId: id, from: null, to: 'available', reason: 'bed created', admission: null, at });
          return { id, wardId: input.wardId, roomId: input.roomId ?? null, code: input.code, categoryId: input.categoryId, state: 'available' as BedState };
        }),
      () => conflict('already-exists', `A bed ${input.code} exists already in this ward`),
    );
  }
}
