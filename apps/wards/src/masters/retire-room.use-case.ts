import { Inject, Injectable } from '@nestjs/common';
import type { Caller } from '@hms/platform-auth';
import { CLOCK, type Clock } from '@hms/platform-time';
import { Database } from '@hms/platform-persistence';
import { BedsRepository, type RetiredBed } from '../data/beds.repository';
import { WardsRepository } from '../data/wards.repository';
import { roomView, type RoomView } from './ward-view';
import { scopeOf } from '@hms/platform-service';
import { conflict, notFound } from '../domain/errors';

/** Retires a room with its beds; refused while any bed holds or awaits a patient. Lists the beds it retired. */
@Injectable()
export class RetireRoomUseCase {
  constructor(
    private readonly db: Database,
    private readonly wards: WardsRepository,
    private readonly beds: BedsRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  execute(caller: Caller, roomId: string): Promise<RoomView & { retiredBeds: RetiredBed[] }> {
    return this.db.transaction(scopeOf(caller), async (tx) => {
      if (!(await this.wards.lockRoom(tx, roomId))) throw notFound('The room', 'room-not-found');
      const busy = await this.beds.busy(tx, { roomId });
      if (busy.length) throw conflict('room-in-use', `Beds ${busy.map((b) => b.code).join(', ')} hold or await patients; the room cannot be retired`);
      const at = this.clock.now();
      const beds = await this.beds.lockInService(tx, { roomId });
      for (const bed of beds) await this.beds.retire(tx, bed.id, caller.userId, at);
      await this.wards.retireRoom(tx, roomId, at);
      return { ...(await roomView(this.wards, tx, roomId)), retiredBeds: beds };
    });
  }
}
