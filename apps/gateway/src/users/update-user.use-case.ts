import { Injectable } from '@nestjs/common';
import { PasswordChanged } from '@hms/contracts-gateway';
import type { AccessClaims } from '@hms/platform-auth';
import { Outbox } from '@hms/platform-messaging';
import { Database } from '@hms/platform-persistence';
import { MembershipsRepository } from '../data/memberships.repository';
import { UsersRepository } from '../data/users.repository';
import { assertHomeAmong, assertManagesMemberships, assertMayChangeUser, assertMayGrantPlatformRoles, normalisedPlatformRoles, shownMemberships, type MembershipInput } from '../domain/administration';
import { assertAcceptablePassword, hashPassword } from '../domain/password';
import { SessionTokens } from '../sign-in/session-tokens';
import { MembershipChecks } from './membership-checks';
import { UserChanges } from './user-changes';
import { actorOf, type UserView } from './user-view';
import { notFound } from '../domain/errors';

export interface UserPatchInput {
  name?: string;
  active?: boolean;
  password?: string;
  memberships?: MembershipInput[];
  platformRoles?: string[];
  homeBranchId?: string | null;
}

/**
 * Renames, (de)activates, resets the password of, or changes the memberships of a user. A
 * deactivated user or one whose password was reset is signed out everywhere at once.
 */
@Injectable()
export class UpdateUserUseCase {
  constructor(
    private readonly db: Database,
    private readonly outbox: Outbox,
    private readonly users: UsersRepository,
    private readonly memberships: MembershipsRepository,
    private readonly checks: MembershipChecks,
    private readonly changes: UserChanges,
    private readonly tokens: SessionTokens,
  ) {}

  async execute(claims: AccessClaims, id: string, patch: UserPatchInput): Promise<UserView> {
    if (patch.password !== undefined) assertAcceptablePassword(patch.password, 'password');
    if (patch.memberships) assertManagesMemberships(claims, patch.memberships);
    assertMayGrantPlatformRoles(claims, patch.platformRoles);
    const passwordHash = patch.password !== undefined ? await hashPassword(patch.password) : null;
    return this.db.transaction('all', async (tx) => {
      const current = await this.memberships.ofUser(tx, id);
      const changesAccount = patch.name !== undefined || patch.active !== undefined || passwordHash !== null || patch.homeBranchId !== undefined;
      assertMayChangeUser(
        claims,
        current.map((m) => m.branchId),
        changesAccount,
      );
      if (patch.memberships) await this.checks.assertExist(tx, patch.memberships);
      const found = await this.users.update(tx, id, {
        name: patch.name?.trim(),
        active: patch.active,
        passwordHash: passwordHash ?? undefined,
        platformRoles: patch.platformRoles ? normalisedPlatformRoles(patch.platformRoles) : undefined,
      });
      if (!found) throw notFound('The user');
      if (patch.memberships) await this.memberships.replace(tx, id, patch.memberships);
      if (patch.homeBranchId !== undefined) {
        const all = await this.memberships.ofUser(tx, id);
        assertHomeAmong(
          patch.homeBranchId,
          all.map((m) => m.branchId),
          'must be one of the user’s branches',
        );
        await this.users.setHomeBranch(tx, id, patch.homeBranchId);
      } else {
        // A home branch the user no longer belongs to falls back to one they do.
        await this.users.settleHomeBranch(tx, id);
      }
      if (patch.active === false || passwordHash) await this.tokens.endAll(tx, id);
      if (passwordHash) await this.outbox.append(tx, PasswordChanged, { userId: id, by: 'administrator' }, { key: id, branchId: null, actor: actorOf(claims) });
      const view = await this.changes.changed(tx, claims, id);
      return { ...view, memberships: shownMemberships(claims, view.memberships) };
    });
  }
}
