import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A hospital branch (table `branches`). */
@Entity({ name: 'branches' })
export class BranchEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  /** 2–8 capital letters or digits, unique; also the default UHID prefix. */
  @Column({ type: 'text' })
  code!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'boolean', default: true })
  active!: boolean;

  @Column({ name: 'created_at', type: 'timestamptz', insert: false, update: false })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', insert: false })
  updatedAt!: Date;
}
