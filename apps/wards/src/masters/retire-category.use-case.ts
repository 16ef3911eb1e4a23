import { Inject, Injectable } from '@nestjs/common';
import type { Caller } from '@hms/platform-auth';
import { Database } from '@hms/platform-persistence';
import { BedCategoriesRepository } from '../data/bed-categories.repository';
import { BedsRepository } from '../data/beds.repository';
import { categoryView, type CategoryView } from './category-view';
import { scopeOf } from '@hms/platform-service';
import { conflict, notFound } from '../domain/errors';
import { CLOCK, type Clock } from '@hms/platform-time';

@Injectable()
export class RetireCategoryUseCase {
  constructor(
    private readonly db: Database,
    private readonly categories: BedCategoriesRepository,
    private readonly beds: BedsRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  execute(caller: Caller, categoryId: string): Promise<CategoryView> {
    return this.db.transaction(scopeOf(caller), async (tx) => {
      if (await this.beds.categoryInUse(tx, categoryId)) throw conflict('category-in-use', 'Beds of this category are in service; move or retire them first');
      if (!(await this.categories.retire(tx, categoryId, this.clock.now()))) throw notFound('The bed category', 'category-not-found');
      return categoryView(this.categories, tx, categoryId, this.clock.now());
    });
  }
}
