import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A GST rate of an item from a date (table `item_gst_rates`). */
@Entity({ name: 'item_gst_rates' })
export class ItemGstRateEntity {
  @PrimaryColumn({ type: 'uuid' }) id!: string;
  @Column({ name: 'branch_id', type: 'uuid' }) branchId!: string;
  @Column({ name: 'item_id', type: 'uuid' }) itemId!: string;
  /** YYYY-MM-DD. */
  @Column({ name: 'effective_from', type: 'date' }) effectiveFrom!: string;
  @Column({ name: 'rate_bp', type: 'int' }) rateBp!: number;
  @Column({ name: 'created_at', type: 'timestamptz', insert: false, update: false }) createdAt!: Date;
}
