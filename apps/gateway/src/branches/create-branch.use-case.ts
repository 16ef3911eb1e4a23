import { Inject, Injectable } from '@nestjs/common';
import { BranchCreated } from '@hms/contracts-gateway';
import type { AccessClaims } from '@hms/platform-auth';
import { Outbox } from '@hms/platform-messaging';
import { Database, PG, pgCode } from '@hms/platform-persistence';
import { ID_GENERATOR, type IdGenerator } from '@hms/platform-time';
import { BranchesRepository, type Branch } from '../data/branches.repository';
import { MembershipsRepository } from '../data/memberships.repository';
import { UsersRepository } from '../data/users.repository';
import { UserChanges } from '../users/user-changes';
import { actorOf } from '../users/user-view';
import { conflict } from '../domain/errors';

/** A new branch (platform:manage); its creator administers it at once, without signing in again. */
@Injectable()
export class CreateBranchUseCase {
  constructor(
    private readonly db: Database,
    private readonly outbox: Outbox,
    private readonly branches: BranchesRepository,
    private readonly memberships: MembershipsRepository,
    private readonly users: UsersRepository,
    private readonly changes: UserChanges,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
  ) {}

  async execute(claims: AccessClaims, input: { code: string; name: string }): Promise<Branch> {
    const branch: Branch = { id: this.ids.next(), code: input.code, name: input.name.trim(), active: true };
    try {
      return await this.db.transaction('all', async (tx) => {
        await this.branches.insert(tx, { id: branch.id, code: branch.code, name: branch.name });
        await this.memberships.add(tx, claims.sub, branch.id, 'admin');
        await this.users.adoptHomeBranch(tx, claims.sub, branch.id);
        await this.outbox.append(tx, BranchCreated, { branchId: branch.id, code: branch.code, name: branch.name, active: true }, { key: branch.id, branchId: branch.id, actor: actorOf(claims) });
        await this.changes.changed(tx, claims, claims.sub);
        return branch;
      });
    } catch (error) {
      if (pgCode(error) === PG.uniqueViolation) throw conflict('branch-code-taken', `A branch with code ${input.code} exists already`);
      throw error;
    }
  }
}
