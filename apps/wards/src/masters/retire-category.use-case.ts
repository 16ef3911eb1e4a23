import { Injectable } from '@nestjs/common';
import type { Caller } from '@hms/platform-auth';
import { Database } from '@hms/platform-persistence';
import { BedCategoriesRepository } from '../data/bed-categories.repository';
import { BedsRepository } from '../data/beds.repository';
import { categoryView, type CategoryView } from './category-view';
import { scopeOf } from '@hms/platform-service';
import { conflict, notFound } from '../domain/errors';

@Injectable()
export class RetireCategoryUseCase {
  constructor(
    private readonly db: Database,
    private readonly categories: BedCategoriesRepository,
    private readonly beds: BedsRepository,
  ) {}

  execute(caller: Caller, categoryId: string): Promise<CategoryView> {
    return this.db.transaction(scopeOf(caller), async (tx) => {
      if (await this.beds.categoryInUse(tx, categoryId)) throw conflict('category-in-use', 'Beds of this category are in service; move or retire them first');
      if (!(await this.categories.retire(tx, categoryId))) throw notFound('The bed category', 'category-not-found');
      return categoryView(this.categories, tx, categoryId);
    });
  }
}
