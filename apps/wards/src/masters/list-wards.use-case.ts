import { Injectable } from '@nestjs/common';
import type { Caller } from '@hms/platform-auth';
import { Database } from '@hms/platform-persistence';
import { WardsRepository } from '../data/wards.repository';
import type { WardView } from './ward-view';
import { scopeOf } from '@hms/platform-service';

@Injectable()
export class ListWardsUseCase {
  constructor(
    private readonly db: Database,
    private readonly wards: WardsRepository,
  ) {}

  execute(caller: Caller, includeRetired: boolean): Promise<WardView[]> {
    return this.db.transaction(scopeOf(caller), (tx) => this.wards.list(tx, includeRetired), { readOnly: true });
  }
}
