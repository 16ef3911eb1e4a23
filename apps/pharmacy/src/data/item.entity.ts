import { Column, Entity, PrimaryColumn } from 'typeorm';

/** The item master (table `items`): a drug or consumable of a branch. */
@Entity({ name: 'items' })
export class ItemEntity {
  @PrimaryColumn({ type: 'uuid' }) id!: string;
  @Column({ name: 'branch_id', type: 'uuid' }) branchId!: string;
  @Column({ type: 'text' }) code!: string;
  @Column({ type: 'text' }) kind!: 'drug' | 'consumable';
  @Column({ name: 'generic_name', type: 'text' }) genericName!: string;
  @Column({ name: 'brand_name', type: 'text', nullable: true }) brandName!: string | null;
  @Column({ type: 'text' }) form!: string;
  @Column({ type: 'text', nullable: true }) strength!: string | null;
  @Column({ type: 'text' }) unit!: string;
  @Column({ name: 'pack_size', type: 'int' }) packSize!: number;
  @Column({ type: 'text' }) hsn!: string;
  @Column({ type: 'text' }) schedule!: string;
  @Column({ name: 'retired_at', type: 'timestamptz', nullable: true }) retiredAt!: Date | null;
  @Column({ name: 'created_at', type: 'timestamptz', insert: false, update: false }) createdAt!: Date;
  @Column({ type: 'int', insert: false }) version!: number;
}
