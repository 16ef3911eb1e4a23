import { indianDate } from '@hms/platform-time';
import type { Tx } from '@hms/platform-persistence';
import type { BedCategoriesRepository } from '../data/bed-categories.repository';

export interface CategoryView {
  id: string;
  code: string;
  name: string;
  isCriticalCare: boolean;
  retired: boolean;
  currentDailyRatePaise: number | null;
  tariffs: { effectiveFrom: string; dailyRatePaise: number }[];
}

/** A category with its dated tariffs and the one in force today (India). */
export async function categoryView(categories: BedCategoriesRepository, tx: Tx, id: string, now: Date): Promise<CategoryView> {
  const c = await categories.find(tx, id);
  const tariffs = await categories.tariffs(tx, id);
  const today = indianDate(now);
  const current = [...tariffs].reverse().find((t) => t.effectiveFrom <= today);
  return {
    id: c.id,
    code: c.code,
    name: c.name,
    isCriticalCare: c.isCriticalCare,
    retired: c.retiredAt !== null,
    currentDailyRatePaise: current ? current.dailyRatePaise : null,
    tariffs: tariffs.map((t) => ({ effectiveFrom: t.effectiveFrom, dailyRatePaise: t.dailyRatePaise })),
  };
}

/** The branch's categories by code: a page of them, or all without one. */
export async function categoryViews(categories: BedCategoriesRepository, tx: Tx, now: Date, page?: { limit: number; offset: number }): Promise<CategoryView[]> {
  const ids = await categories.ids(tx, page);
  // One query at a time: a transaction is one connection, and pg refuses overlapping queries on it.
  const views: CategoryView[] = [];
  for (const id of ids) views.push(await categoryView(categories, tx, id, now));
  return views;
}
