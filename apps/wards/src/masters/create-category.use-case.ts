import { Inject, Injectable } from '@nestjs/common';
import type { Caller } from '@hms/platform-auth';
import { Database, onUniqueViolation } from '@hms/platform-persistence';
import { BedCategoriesRepository } from '../data/bed-categories.repository';
import { categoryView, type CategoryView } from './category-view';
import { scopeOf } from '@hms/platform-service';
import { conflict } from '../domain/errors';
import { CLOCK, type Clock, ID_GENERATOR, type IdGenerator } from '@hms/platform-time';

@Injectable()
export class CreateCategoryUseCase {
  constructor(
    private readonly db: Database,
    private readonly categories: BedCategoriesRepository,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
  ) {}

  execute(caller: Caller, input: { code: string; name: string; isCriticalCare: boolean }): Promise<CategoryView> {
    return onUniqueViolation(
      () =>
        this.db.transaction(scopeOf(caller), async (tx) => {
          const id = this.ids.next();
          await this.categories.insert(tx, { id, branchId: caller.branchId, code: input.code, name: input.name, isCriticalCare: input.isCriticalCare });
          return categoryView(this.categories, tx, id, this.clock.now());
        }),
      () => conflict('already-exists', `A bed category ${input.code} exists already`),
    );
  }
}
