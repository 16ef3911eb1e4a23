import { Injectable } from '@nestjs/common';
import type { Caller } from '@hms/platform-auth';
import { Database } from '@hms/platform-persistence';
import { BedsRepository } from '../data/beds.repository';
import { bedView } from './bed-view';
import { scopeOf } from '@hms/platform-service';

@Injectable()
export class GetBedUseCase {
  constructor(
    private readonly db: Database,
    private readonly beds: BedsRepository,
  ) {}

  execute(caller: Caller, bedId: string) {
    return this.db.transaction(scopeOf(caller), (tx) => bedView(this.beds, tx, bedId), { readOnly: true });
  }
}
