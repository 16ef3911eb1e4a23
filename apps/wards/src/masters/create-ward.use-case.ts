import { Inject, Injectable } from '@nestjs/common';
import type { WardGenderPolicy } from '@hms/contracts-wards';
import type { Caller } from '@hms/platform-auth';
import { Database, onUniqueViolation } from '@hms/platform-persistence';
import { ID_GENERATOR, type IdGenerator } from '@hms/platform-time';
import { WardsRepository } from '../data/wards.repository';
import { wardView, type WardView } from './ward-view';
import { scopeOf } from '@hms/platform-service';
import { conflict } from '../domain/errors';

@Injectable()
export class CreateWardUseCase {
  constructor(
    private readonly db: Database,
    private readonly wards: WardsRepository,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
  ) {}

  execute(caller: Caller, input: { code: string; name: string; floor?: string; genderPolicy: WardGenderPolicy; speciality?: string }): Promise<WardView> {
    return onUniqueViolation(
      () =>
        this.db.transaction(scopeOf(caller), async (tx) => {
          const id = this.ids.next();
          await this.wards.insert(tx, {
            id,
            branchId: caller.branchId,
            code: input.code,
            name: input.name,
            floor: input.floor ?? null,
            genderPolicy: input.genderPolicy,
            speciality: input.speciality ?? null,
          });
          return wardView(this.wards, tx, id);
        }),
      () => conflict('already-exists', `A ward ${input.code} exists already`),
    );
  }
}
