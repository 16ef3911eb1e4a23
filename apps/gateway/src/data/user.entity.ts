import { Column, Entity, PrimaryColumn } from 'typeorm';

/** An account (table `users`). Emails are unique whatever their case (`users_email` on lower(email)). */
@Entity({ name: 'users' })
export class UserEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'text' })
  email!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ name: 'password_hash', type: 'text' })
  passwordHash!: string;

  @Column({ type: 'boolean', default: true })
  active!: boolean;

  /** Platform roles (platform-admin, platform-auditor): a user's own, never a branch role. */
  @Column({ name: 'platform_roles', type: 'text', array: true, default: () => `'{}'` })
  platformRoles!: string[];

  /** The branch a request acts in when a user of several branches names none. */
  @Column({ name: 'home_branch_id', type: 'uuid', nullable: true })
  homeBranchId!: string | null;

  @Column({ name: 'created_at', type: 'timestamptz', insert: false, update: false })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', insert: false })
  updatedAt!: Date;
}
