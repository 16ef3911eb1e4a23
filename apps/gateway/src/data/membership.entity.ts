import { Entity, PrimaryColumn } from 'typeorm';

/** One role of a user in a branch (table `memberships`). */
@Entity({ name: 'memberships' })
export class MembershipEntity {
  @PrimaryColumn({ name: 'user_id', type: 'uuid' })
  userId!: string;

  @PrimaryColumn({ name: 'branch_id', type: 'uuid' })
  branchId!: string;

  @PrimaryColumn({ type: 'text' })
  role!: string;
}
