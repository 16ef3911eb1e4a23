import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintAsNumber } from './column-types';

/** A batch of an item (table `batches`): its number, expiry and rates. */
@Entity({ name: 'batches' })
export class BatchEntity {
  @PrimaryColumn({ type: 'uuid' }) id!: string;
  @Column({ name: 'branch_id', type: 'uuid' }) branchId!: string;
  @Column({ name: 'item_id', type: 'uuid' }) itemId!: string;
  @Column({ name: 'batch_no', type: 'text' }) batchNo!: string;
  @Column({ type: 'date' }) expiry!: string;
  @Column({ name: 'mrp_paise', type: 'bigint', transformer: bigintAsNumber }) mrpPaise!: number;
  @Column({ name: 'purchase_rate_paise', type: 'bigint', transformer: bigintAsNumber }) purchaseRatePaise!: number;
  @Column({ name: 'created_at', type: 'timestamptz', insert: false, update: false }) createdAt!: Date;
}
