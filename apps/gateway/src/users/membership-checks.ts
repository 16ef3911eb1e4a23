import { Injectable } from '@nestjs/common';
import type { Tx } from '@hms/platform-persistence';
import { BranchesRepository } from '../data/branches.repository';
import { RolesRepository } from '../data/roles.repository';
import { assertBranchesExist, assertRolesExist, type MembershipInput } from '../domain/administration';

/** Memberships may name only roles and branches that exist. */
@Injectable()
export class MembershipChecks {
  constructor(
    private readonly roles: RolesRepository,
    private readonly branches: BranchesRepository,
  ) {}

  async assertExist(tx: Tx, memberships: MembershipInput[]): Promise<void> {
    const names = [...new Set(memberships.flatMap((m) => m.roles))];
    const known = await this.roles.existing(tx, names);
    assertRolesExist(names.filter((n) => !known.has(n)));
    const branchIds = [...new Set(memberships.map((m) => m.branchId))];
    assertBranchesExist((await this.branches.countExisting(tx, branchIds)) === branchIds.length);
  }
}
