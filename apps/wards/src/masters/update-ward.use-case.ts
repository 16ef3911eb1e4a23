import { Injectable } from '@nestjs/common';
import type { WardGenderPolicy } from '@hms/contracts-wards';
import type { Caller } from '@hms/platform-auth';
import { Database } from '@hms/platform-persistence';
import { WardsRepository } from '../data/wards.repository';
import { wardView, type WardView } from './ward-view';
import { scopeOf } from '@hms/platform-service';
import { notFound } from '../domain/errors';

@Injectable()
export class UpdateWardUseCase {
  constructor(
    private readonly db: Database,
    private readonly wards: WardsRepository,
  ) {}

  execute(caller: Caller, id: string, patch: { name?: string; floor?: string; genderPolicy?: WardGenderPolicy; speciality?: string }): Promise<WardView> {
    return this.db.transaction(scopeOf(caller), async (tx) => {
      if (!(await this.wards.update(tx, id, patch))) throw notFound('The ward', 'ward-not-found');
      return wardView(this.wards, tx, id);
    });
  }
}
