import { Injectable } from '@nestjs/common';
import { RoleChanged } from '@hms/contracts-gateway';
import type { AccessClaims } from '@hms/platform-auth';
import { Outbox } from '@hms/platform-messaging';
import { Database } from '@hms/platform-persistence';
import { RolesRepository, type Role } from '../data/roles.repository';
import { UserAccessRepository } from '../data/user-access.repository';
import { definableRole } from '../domain/administration';
import { actorOf } from '../users/user-view';

/**
 * Creates or changes a role (platform:manage: a role is the same in every branch). The users
 * holding it get their new permissions at once.
 */
@Injectable()
export class PutRoleUseCase {
  constructor(
    private readonly db: Database,
    private readonly outbox: Outbox,
    private readonly roles: RolesRepository,
    private readonly access: UserAccessRepository,
  ) {}

  async execute(claims: AccessClaims, name: string, input: { description?: string; permissions: string[] }): Promise<Role> {
    const permissions = definableRole(name, input.permissions);
    return this.db.transaction('all', async (tx) => {
      const before = await this.roles.lockPermissions(tx, name);
      const role = await this.roles.put(tx, name, input.description?.trim() ?? null, permissions);
      await this.outbox.append(
        tx,
        RoleChanged,
        { name, description: role.description, permissions: role.permissions, previousPermissions: before ?? [], created: before === null },
        { key: `role:${name}`, branchId: null, actor: actorOf(claims) },
      );
      await this.access.sync(tx, { role: name });
      return role;
    });
  }
}
