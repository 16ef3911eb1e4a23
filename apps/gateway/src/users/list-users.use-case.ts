import { Injectable } from '@nestjs/common';
import type { AccessClaims } from '@hms/platform-auth';
import { toPage, type Page, type PageRequest } from '@hms/platform-http';
import { Database } from '@hms/platform-persistence';
import { MembershipsRepository } from '../data/memberships.repository';
import { UsersRepository } from '../data/users.repository';
import { assertManagesBranch, visibleBranches } from '../domain/administration';
import { userView, type UserView } from './user-view';

/** The users of a branch the caller manages, by email; each with the memberships the caller may see. */
@Injectable()
export class ListUsersUseCase {
  constructor(
    private readonly db: Database,
    private readonly users: UsersRepository,
    private readonly memberships: MembershipsRepository,
  ) {}

  async execute(claims: AccessClaims, branchId: string, page: PageRequest): Promise<Page<UserView>> {
    assertManagesBranch(claims, branchId);
    const visible = visibleBranches(claims);
    return this.db.transaction('all', async (tx) => {
      const rows = await this.users.inBranch(tx, branchId, page);
      const memberships = await this.memberships.ofUsers(tx, rows.slice(0, page.limit).map((u) => u.id));
      const views = rows.map((u) => userView(u, (memberships.get(u.id) ?? []).filter((m) => !visible || visible.has(m.branchId))));
      return toPage(views, page);
    });
  }
}
