import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A store of a branch (table `stores`): main store, pharmacy or ward sub-store. */
@Entity({ name: 'stores' })
export class StoreEntity {
  @PrimaryColumn({ type: 'uuid' }) id!: string;
  @Column({ name: 'branch_id', type: 'uuid' }) branchId!: string;
  @Column({ type: 'text' }) code!: string;
  @Column({ type: 'text' }) name!: string;
  @Column({ type: 'text' }) kind!: string;
  @Column({ name: 'ward_id', type: 'uuid', nullable: true }) wardId!: string | null;
  @Column({ name: 'min_shelf_life_days', type: 'int' }) minShelfLifeDays!: number;
  @Column({ name: 'retired_at', type: 'timestamptz', nullable: true }) retiredAt!: Date | null;
  @Column({ name: 'created_at', type: 'timestamptz', insert: false, update: false }) createdAt!: Date;
  @Column({ type: 'int', insert: false }) version!: number;
}
