import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import type { PageRequest } from '@hms/platform-http';
import type { Tx } from '@hms/platform-persistence';
import { BranchEntity } from './branch.entity';

/** A branch as the API shows it. */
export type Branch = Pick<BranchEntity, 'id' | 'code' | 'name' | 'active'>;

const SHOWN = { id: true, code: true, name: true, active: true } as const;

/** Branches (table `branches`). */
@Injectable()
export class BranchesRepository {
  /** Branches by code, all or those with the ids given; one row more than the page (see `toPage`). */
  list(tx: Tx, only: string[] | null, page: PageRequest): Promise<Branch[]> {
    return tx.manager.find(BranchEntity, {
      select: SHOWN,
      where: only ? { id: In(only) } : {},
      order: { code: 'ASC' },
      take: page.limit + 1,
      skip: page.offset,
    });
  }

  async insert(tx: Tx, branch: Pick<BranchEntity, 'id' | 'code' | 'name'>): Promise<void> {
    await tx.manager.insert(BranchEntity, branch);
  }

  /** Renames or (de)activates a branch; null when there is no such branch. */
  async update(tx: Tx, id: string, patch: { name?: string; active?: boolean }): Promise<Branch | null> {
    const set: { name?: string; active?: boolean } = {};
    if (patch.name !== undefined) set.name = patch.name;
    if (patch.active !== undefined) set.active = patch.active;
    const result = await tx.manager
      .createQueryBuilder()
      .update(BranchEntity)
      .set({ ...set, updatedAt: () => 'now()' })
      .where('id = :id', { id })
      .returning(['id', 'code', 'name', 'active'])
      .execute();
    return (result.raw as Branch[])[0] ?? null;
  }

  /** How many of `ids` name a branch. */
  countExisting(tx: Tx, ids: string[]): Promise<number> {
    return tx.manager.countBy(BranchEntity, { id: In(ids) });
  }
}
