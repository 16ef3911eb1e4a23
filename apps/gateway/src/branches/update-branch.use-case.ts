import { Injectable } from '@nestjs/common';
import { BranchUpdated } from '@hms/contracts-gateway';
import type { AccessClaims } from '@hms/platform-auth';
import { Outbox } from '@hms/platform-messaging';
import { Database } from '@hms/platform-persistence';
import { BranchesRepository, type Branch } from '../data/branches.repository';
import { UserAccessRepository } from '../data/user-access.repository';
import { assertMayChangeBranch } from '../domain/administration';
import { actorOf } from '../users/user-view';
import { notFound } from '../domain/errors';

/** Renames or (de)activates a branch the caller manages (any branch, with platform:manage). */
@Injectable()
export class UpdateBranchUseCase {
  constructor(
    private readonly db: Database,
    private readonly outbox: Outbox,
    private readonly branches: BranchesRepository,
    private readonly access: UserAccessRepository,
  ) {}

  async execute(claims: AccessClaims, id: string, patch: { name?: string; active?: boolean }): Promise<Branch> {
    assertMayChangeBranch(claims, id);
    return this.db.transaction('all', async (tx) => {
      const branch = await this.branches.update(tx, id, { name: patch.name?.trim(), active: patch.active });
      if (!branch) throw notFound('The branch');
      await this.outbox.append(tx, BranchUpdated, { branchId: id, code: branch.code, name: branch.name, active: branch.active }, { key: id, branchId: id, actor: actorOf(claims) });
      // A branch taken out of service takes its grants with it, for everyone, at once.
      if (patch.active !== undefined) await this.access.sync(tx, { branch: id });
      return branch;
    });
  }
}
