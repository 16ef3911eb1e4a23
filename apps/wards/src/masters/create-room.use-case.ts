import { Inject, Injectable } from '@nestjs/common';
import type { Caller } from '@hms/platform-auth';
import { Database, onUniqueViolation } from '@hms/platform-persistence';
import { ID_GENERATOR, type IdGenerator } from '@hms/platform-time';
import { WardsRepository } from '../data/wards.repository';
import { roomView, type RoomView } from './ward-view';
import { scopeOf } from '@hms/platform-service';
import { conflict, notFound } from '../domain/errors';

@Injectable()
export class CreateRoomUseCase {
  constructor(
    private readonly db: Database,
    private readonly wards: WardsRepository,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
  ) {}

  execute(caller: Caller, wardId: string, code: string): Promise<RoomView> {
    return onUniqueViolation(
      () =>
        this.db.transaction(scopeOf(caller), async (tx) => {
          if (!(await this.wards.inService(tx, wardId))) throw notFound('The ward', 'ward-not-found');
          const id = this.ids.next();
          await this.wards.insertRoom(tx, { id, branchId: caller.branchId, wardId, code });
          return roomView(this.wards, tx, id);
        }),
      () => conflict('already-exists', `A room ${code} exists already in this ward`),
    );
  }
}
