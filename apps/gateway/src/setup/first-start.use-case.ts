import { Inject, Injectable } from '@nestjs/common';
import { BUILT_IN_ROLES } from '@hms/contracts-common';
import { BranchCreated, UserCreated } from '@hms/contracts-gateway';
import { ConfigError } from '@hms/platform-config';
import { Outbox } from '@hms/platform-messaging';
import type { Logger } from '@hms/platform-observability';
import { Database } from '@hms/platform-persistence';
import { ID_GENERATOR, type IdGenerator } from '@hms/platform-time';
import { LOGGER } from '@hms/platform-service';
import { BranchesRepository } from '../data/branches.repository';
import { MembershipsRepository } from '../data/memberships.repository';
import { RolesRepository } from '../data/roles.repository';
import { UserAccessRepository } from '../data/user-access.repository';
import { UsersRepository } from '../data/users.repository';
import { hashPassword, passwordProblem } from '../domain/password';

export interface FirstStartSettings {
  adminEmail: string;
  /** Required on the very first start; there is no default password. */
  adminPassword: string | undefined;
  branchCode: string;
  branchName: string;
}

/**
 * Keeps built-in roles current and everyone's live access in step with the identity tables, and,
 * on the very first start (no users yet), creates one branch and an administrator (who also
 * administers the platform) from HMS_ADMIN_EMAIL / HMS_ADMIN_PASSWORD. Later starts create nothing.
 */
@Injectable()
export class FirstStartUseCase {
  constructor(
    private readonly db: Database,
    private readonly outbox: Outbox,
    private readonly roles: RolesRepository,
    private readonly users: UsersRepository,
    private readonly branches: BranchesRepository,
    private readonly memberships: MembershipsRepository,
    private readonly access: UserAccessRepository,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
  ) {}

  async execute(settings: FirstStartSettings): Promise<void> {
    await this.db.transaction('all', async (tx) => {
      await this.users.lockFirstStart(tx);
      // Built-in roles are kept current at every start; the admin role always holds every branch permission.
      for (const [name, permissions] of Object.entries(BUILT_IN_ROLES)) await this.roles.seedBuiltIn(tx, name, [...permissions]);
      if ((await this.users.count(tx)) === 0) {
        const password = settings.adminPassword;
        if (!password) throw new ConfigError(['HMS_ADMIN_PASSWORD is required on the first start (no users exist yet): it is the first administrator’s password']);
        const problem = passwordProblem(password);
        if (problem) throw new ConfigError([`HMS_ADMIN_PASSWORD ${problem}`]);
        const branchId = this.ids.next();
        const userId = this.ids.next();
        const email = settings.adminEmail.trim().toLowerCase();
        await this.branches.insert(tx, { id: branchId, code: settings.branchCode, name: settings.branchName });
        await this.users.insert(tx, { id: userId, email, name: 'Administrator', passwordHash: await hashPassword(password), platformRoles: ['platform-admin'], homeBranchId: branchId });
        await this.memberships.add(tx, userId, branchId, 'admin');
        const actor = { type: 'system' as const, id: 'gateway' };
        await this.outbox.append(tx, BranchCreated, { branchId, code: settings.branchCode, name: settings.branchName, active: true }, { key: branchId, branchId, actor });
        await this.outbox.append(tx, UserCreated, { userId, email, active: true, memberships: [{ branchId, roles: ['admin'] }], platformRoles: ['platform-admin'], homeBranchId: branchId }, { key: userId, branchId, actor });
        this.logger.info({ branch: settings.branchCode }, 'first start: created the first branch and the administrator account');
      }
      // Built-in roles may have changed, and an older version kept no live access: rewrite it all.
      await this.access.sync(tx, 'all');
    });
  }
}
