import type { EventActor } from '@hms/contracts-common';
import type { UserChangedData } from '@hms/contracts-gateway';
import type { AccessClaims } from '@hms/platform-auth';
import type { Membership } from '../data/memberships.repository';
import type { UserEntity } from '../data/user.entity';

/** A user as the administration API shows it. */
export interface UserView {
  id: string;
  email: string;
  name: string;
  active: boolean;
  memberships: Membership[];
  platformRoles: string[];
  homeBranchId: string | null;
}

export function userView(u: UserEntity, memberships: Membership[]): UserView {
  return { id: u.id, email: u.email, name: u.name, active: u.active, memberships, platformRoles: u.platformRoles, homeBranchId: u.homeBranchId };
}

/** What the UserCreated and UserUpdated events say of a user. */
export function userEvent(view: UserView): UserChangedData {
  return { userId: view.id, email: view.email, active: view.active, memberships: view.memberships, platformRoles: view.platformRoles, homeBranchId: view.homeBranchId };
}

/** Who made a change, for the audit trail. */
export const actorOf = (claims: AccessClaims): EventActor => ({ type: 'user', id: claims.sub, name: claims.name });
