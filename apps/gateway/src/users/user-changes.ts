import { Injectable } from '@nestjs/common';
import { UserUpdated } from '@hms/contracts-gateway';
import type { AccessClaims } from '@hms/platform-auth';
import { Outbox } from '@hms/platform-messaging';
import type { Tx } from '@hms/platform-persistence';
import { MembershipsRepository } from '../data/memberships.repository';
import { UserAccessRepository } from '../data/user-access.repository';
import { UsersRepository } from '../data/users.repository';
import { actorOf, userEvent, userView, type UserView } from './user-view';

/**
 * What follows any change to a user, in the changing use case's transaction: the UserUpdated
 * event for the audit trail and the user's live access, so the change applies at once, everywhere.
 */
@Injectable()
export class UserChanges {
  constructor(
    private readonly users: UsersRepository,
    private readonly memberships: MembershipsRepository,
    private readonly access: UserAccessRepository,
    private readonly outbox: Outbox,
  ) {}

  /** The user as they are now, every membership included. */
  async view(tx: Tx, id: string): Promise<UserView> {
    const user = await this.users.byId(tx, id);
    if (!user) throw new Error(`user ${id} vanished inside its own transaction`);
    return userView(user, await this.memberships.ofUser(tx, id));
  }

  async changed(tx: Tx, claims: AccessClaims, id: string): Promise<UserView> {
    const view = await this.view(tx, id);
    await this.outbox.append(tx, UserUpdated, userEvent(view), { key: id, branchId: null, actor: actorOf(claims) });
    await this.access.sync(tx, { users: [id] });
    return view;
  }
}
