import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A branch as the gateway's identity events describe it. */
@Entity({ name: 'branches' })
export class BranchEntity {
  @PrimaryColumn({ name: 'branch_id', type: 'uuid' }) branchId!: string;
  @Column({ type: 'text' }) code!: string;
  @Column({ type: 'text' }) name!: string;
  @Column({ type: 'boolean' }) active!: boolean;
  @Column({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}
