import { Injectable } from '@nestjs/common';
import type { Caller } from '@hms/platform-auth';
import { Database } from '@hms/platform-persistence';
import { WardsRepository } from '../data/wards.repository';
import { wardView, type WardView } from './ward-view';
import { scopeOf } from '@hms/platform-service';

/** One ward of the branch, retired or not. */
@Injectable()
export class GetWardUseCase {
  constructor(
    private readonly db: Database,
    private readonly wards: WardsRepository,
  ) {}

  execute(caller: Caller, id: string): Promise<WardView> {
    return this.db.transaction(scopeOf(caller), (tx) => wardView(this.wards, tx, id), { readOnly: true });
  }
}
