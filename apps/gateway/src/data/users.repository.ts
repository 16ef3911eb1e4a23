import { Injectable } from '@nestjs/common';
import { IsNull } from 'typeorm';
import type { PageRequest } from '@hms/platform-http';
import type { Tx } from '@hms/platform-persistence';
import { UserEntity } from './user.entity';

/** What a new account is made of. */
export type NewUser = Pick<UserEntity, 'id' | 'email' | 'name' | 'passwordHash' | 'platformRoles' | 'homeBranchId'>;

/** The account fields an administrator may change; absent fields stay as they are. */
export type UserPatch = Partial<Pick<UserEntity, 'name' | 'active' | 'passwordHash' | 'platformRoles'>>;

/** Accounts (table `users`). */
@Injectable()
export class UsersRepository {
  /** Holds the first-start lock until the transaction ends: one process looks for (and creates) the first account. */
  async lockFirstStart(tx: Tx): Promise<void> {
    await tx.query(`SELECT pg_advisory_xact_lock(hashtext('hms-gateway-first-start'))`);
  }

  byEmail(tx: Tx, email: string): Promise<UserEntity | null> {
    return tx.manager.createQueryBuilder(UserEntity, 'u').where('lower(u.email) = lower(:email)', { email }).getOne();
  }

  byId(tx: Tx, id: string): Promise<UserEntity | null> {
    return tx.manager.findOneBy(UserEntity, { id });
  }

  count(tx: Tx): Promise<number> {
    return tx.manager.count(UserEntity);
  }

  async insert(tx: Tx, user: NewUser): Promise<void> {
    await tx.manager.insert(UserEntity, user);
  }

  /** Changes the fields given (and `updated_at`); false when there is no such user. */
  async update(tx: Tx, id: string, patch: UserPatch): Promise<boolean> {
    const set = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) as UserPatch;
    const result = await tx.manager.update(UserEntity, { id }, { ...set, updatedAt: () => 'now()' });
    return (result.affected ?? 0) > 0;
  }

  async setPassword(tx: Tx, id: string, passwordHash: string): Promise<void> {
    await tx.manager.update(UserEntity, { id }, { passwordHash, updatedAt: () => 'now()' });
  }

  async setHomeBranch(tx: Tx, id: string, homeBranchId: string | null): Promise<void> {
    await tx.manager.update(UserEntity, { id }, { homeBranchId, updatedAt: () => 'now()' });
  }

  /** Makes `branchId` the user's home branch if they have none. */
  async adoptHomeBranch(tx: Tx, id: string, branchId: string): Promise<void> {
    await tx.manager.update(UserEntity, { id, homeBranchId: IsNull() }, { homeBranchId: branchId });
  }

  /** A home branch the user no longer belongs to falls back to one they do (the first by id), or none. */
  async settleHomeBranch(tx: Tx, id: string): Promise<void> {
    await tx.query(
      `UPDATE users SET home_branch_id = (SELECT branch_id FROM memberships WHERE user_id = $1 ORDER BY branch_id LIMIT 1)
       WHERE id = $1 AND (home_branch_id IS NULL OR home_branch_id NOT IN (SELECT branch_id FROM memberships WHERE user_id = $1))`,
      [id],
    );
  }

  /** The users with a membership in `branchId`, by email; one row more than the page (see `toPage`). */
  inBranch(tx: Tx, branchId: string, page: PageRequest): Promise<UserEntity[]> {
    return tx.manager
      .createQueryBuilder(UserEntity, 'u')
      .where('EXISTS (SELECT 1 FROM memberships m WHERE m.user_id = u.id AND m.branch_id = :branchId)', { branchId })
      .orderBy('lower(u.email)')
      .addOrderBy('u.id')
      .limit(page.limit + 1)
      .offset(page.offset)
      .getMany();
  }
}
