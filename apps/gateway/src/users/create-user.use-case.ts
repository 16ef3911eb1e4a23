import { Inject, Injectable } from '@nestjs/common';
import { UserCreated } from '@hms/contracts-gateway';
import type { AccessClaims } from '@hms/platform-auth';
import { Outbox } from '@hms/platform-messaging';
import { Database, PG, pgCode } from '@hms/platform-persistence';
import { ID_GENERATOR, type IdGenerator } from '@hms/platform-time';
import { MembershipsRepository } from '../data/memberships.repository';
import { UserAccessRepository } from '../data/user-access.repository';
import { UsersRepository } from '../data/users.repository';
import { assertHomeAmong, assertManagesMemberships, assertMayGrantPlatformRoles, normalisedPlatformRoles, type MembershipInput } from '../domain/administration';
import { assertAcceptablePassword, hashPassword } from '../domain/password';
import { MembershipChecks } from './membership-checks';
import { UserChanges } from './user-changes';
import { actorOf, userEvent, type UserView } from './user-view';
import { conflict } from '../domain/errors';

export interface NewUserInput {
  email: string;
  name: string;
  password: string;
  memberships: MembershipInput[];
  platformRoles?: string[];
  homeBranchId?: string;
}

/** Creates a user with memberships in branches the caller manages (platform roles with platform:manage). */
@Injectable()
export class CreateUserUseCase {
  constructor(
    private readonly db: Database,
    private readonly outbox: Outbox,
    private readonly users: UsersRepository,
    private readonly memberships: MembershipsRepository,
    private readonly access: UserAccessRepository,
    private readonly checks: MembershipChecks,
    private readonly changes: UserChanges,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
  ) {}

  async execute(claims: AccessClaims, input: NewUserInput): Promise<UserView> {
    assertAcceptablePassword(input.password, 'password');
    assertManagesMemberships(claims, input.memberships);
    assertMayGrantPlatformRoles(claims, input.platformRoles);
    const home = input.homeBranchId ?? input.memberships[0]?.branchId ?? null;
    assertHomeAmong(
      home,
      input.memberships.map((m) => m.branchId),
      'must be one of the memberships’ branches',
    );
    const passwordHash = await hashPassword(input.password);
    try {
      return await this.db.transaction('all', async (tx) => {
        await this.checks.assertExist(tx, input.memberships);
        const id = this.ids.next();
        await this.users.insert(tx, {
          id,
          email: input.email.trim().toLowerCase(),
          name: input.name.trim(),
          passwordHash,
          platformRoles: normalisedPlatformRoles(input.platformRoles ?? []),
          homeBranchId: home,
        });
        await this.memberships.replace(tx, id, input.memberships);
        const view = await this.changes.view(tx, id);
        await this.outbox.append(tx, UserCreated, userEvent(view), { key: id, branchId: input.memberships[0]?.branchId ?? null, actor: actorOf(claims) });
        await this.access.sync(tx, { users: [id] });
        return view;
      });
    } catch (error) {
      if (pgCode(error) === PG.uniqueViolation) throw conflict('email-taken', 'A user with this email exists already');
      throw error;
    }
  }
}
