import { Inject, Injectable } from '@nestjs/common';
import type { Caller } from '@hms/platform-auth';
import { Database, onUniqueViolation } from '@hms/platform-persistence';
import { BedCategoriesRepository } from '../data/bed-categories.repository';
import { categoryView, type CategoryView } from './category-view';
import { scopeOf } from '@hms/platform-service';
import { conflict, notFound } from '../domain/errors';
import { CLOCK, type Clock, ID_GENERATOR, type IdGenerator } from '@hms/platform-time';

/** A per-day tariff taking effect on a date; earlier versions stay for past stays. */
@Injectable()
export class AddTariffUseCase {
  constructor(
    private readonly db: Database,
    private readonly categories: BedCategoriesRepository,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
  ) {}

  /** `effectiveFrom` is a calendar date the request DTO has checked (IsCalendarDate). */
  execute(caller: Caller, categoryId: string, input: { effectiveFrom: string; dailyRatePaise: number }): Promise<CategoryView> {
    return onUniqueViolation(
      () =>
        this.db.transaction(scopeOf(caller), async (tx) => {
          if (!(await this.categories.inService(tx, categoryId))) throw notFound('The bed category', 'category-not-found');
          await this.categories.insertTariff(tx, {
            id: this.ids.next(),
            branchId: caller.branchId,
            categoryId,
            effectiveFrom: input.effectiveFrom,
            dailyRatePaise: input.dailyRatePaise,
            createdBy: caller.userId,
          });
          return categoryView(this.categories, tx, categoryId, this.clock.now());
        }),
      () => conflict('already-exists', `A tariff effective from ${input.effectiveFrom} exists already for this category; tariffs are versions, add one with another date`),
    );
  }
}
