import { Column, Entity, PrimaryColumn } from 'typeorm';

/** An adjustment, stock take or expiry write-off: who, where, why (table `stock_adjustments`; quantities are in the ledger). */
@Entity({ name: 'stock_adjustments' })
export class StockAdjustmentEntity {
  @PrimaryColumn({ type: 'uuid' }) id!: string;
  @Column({ name: 'branch_id', type: 'uuid' }) branchId!: string;
  @Column({ name: 'store_id', type: 'uuid' }) storeId!: string;
  @Column({ type: 'text' }) kind!: 'adjustment' | 'stock-take' | 'expiry-write-off';
  @Column({ type: 'text' }) reason!: string;
  @Column({ type: 'timestamptz' }) at!: Date;
  @Column({ name: 'created_by', type: 'text' }) createdBy!: string;
}
