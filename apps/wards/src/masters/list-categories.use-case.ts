import { Inject, Injectable } from '@nestjs/common';
import type { Caller } from '@hms/platform-auth';
import { toPage, type Page, type PageRequest } from '@hms/platform-http';
import { Database } from '@hms/platform-persistence';
import { BedCategoriesRepository } from '../data/bed-categories.repository';
import { categoryViews, type CategoryView } from './category-view';
import { scopeOf } from '@hms/platform-service';
import { CLOCK, type Clock } from '@hms/platform-time';

@Injectable()
export class ListCategoriesUseCase {
  constructor(
    private readonly db: Database,
    private readonly categories: BedCategoriesRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** The branch's categories by code, a page at a time, each with its tariff in force today. */
  async execute(caller: Caller, page: PageRequest): Promise<Page<CategoryView>> {
    const views = await this.db.transaction(scopeOf(caller), (tx) => categoryViews(this.categories, tx, this.clock.now(), { limit: page.limit + 1, offset: page.offset }), { readOnly: true });
    return toPage(views, page);
  }
}
