import { Injectable } from '@nestjs/common';
import type { Caller } from '@hms/platform-auth';
import { Database } from '@hms/platform-persistence';
import { WardsRepository } from '../data/wards.repository';
import { roomView, type RoomView } from './ward-view';
import { scopeOf } from '@hms/platform-service';

/** One room of the branch, retired or not. */
@Injectable()
export class GetRoomUseCase {
  constructor(
    private readonly db: Database,
    private readonly wards: WardsRepository,
  ) {}

  execute(caller: Caller, id: string): Promise<RoomView> {
    return this.db.transaction(scopeOf(caller), (tx) => roomView(this.wards, tx, id), { readOnly: true });
  }
}
