import { Injectable } from '@nestjs/common';
import type { Caller } from '@hms/platform-auth';
import { Database } from '@hms/platform-persistence';
import { BedCategoriesRepository } from '../data/bed-categories.repository';
import { categoryViews, type CategoryView } from './category-view';
import { scopeOf } from '@hms/platform-service';

@Injectable()
export class ListCategoriesUseCase {
  constructor(
    private readonly db: Database,
    private readonly categories: BedCategoriesRepository,
  ) {}

  execute(caller: Caller): Promise<CategoryView[]> {
    return this.db.transaction(scopeOf(caller), (tx) => categoryViews(this.categories, tx), { readOnly: true });
  }
}
