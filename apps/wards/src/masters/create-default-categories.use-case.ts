import { Inject, Injectable } from '@nestjs/common';
import type { Caller } from '@hms/platform-auth';
import { Database } from '@hms/platform-persistence';
import { BedCategoriesRepository } from '../data/bed-categories.repository';
import { DEFAULT_BED_CATEGORIES } from '../domain';
import { categoryViews, type CategoryView } from './category-view';
import { scopeOf } from '@hms/platform-service';
import { CLOCK, type Clock, ID_GENERATOR, type IdGenerator } from '@hms/platform-time';

/** Creates the usual categories (general … day care) that the branch does not have yet. */
@Injectable()
export class CreateDefaultCategoriesUseCase {
  constructor(
    private readonly db: Database,
    private readonly categories: BedCategoriesRepository,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
  ) {}

  execute(caller: Caller): Promise<CategoryView[]> {
    return this.db.transaction(scopeOf(caller), async (tx) => {
      for (const c of DEFAULT_BED_CATEGORIES) {
        await this.categories.insertIfMissing(tx, { id: this.ids.next(), branchId: caller.branchId, code: c.code, name: c.name, isCriticalCare: c.isCriticalCare });
      }
      return categoryViews(this.categories, tx, this.clock.now());
    });
  }
}
