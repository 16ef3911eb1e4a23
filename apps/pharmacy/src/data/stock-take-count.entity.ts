import { Column, Entity, PrimaryColumn } from 'typeorm';

/** What was counted of a batch in a stock take, beside the balance then (table `stock_take_counts`). */
@Entity({ name: 'stock_take_counts' })
export class StockTakeCountEntity {
  @PrimaryColumn({ name: 'stock_take_id', type: 'uuid' }) stockTakeId!: string;
  @PrimaryColumn({ name: 'batch_id', type: 'uuid' }) batchId!: string;
  @Column({ name: 'branch_id', type: 'uuid' }) branchId!: string;
  @Column({ name: 'item_id', type: 'uuid' }) itemId!: string;
  @Column({ name: 'on_hand', type: 'int' }) onHand!: number;
  @Column({ type: 'int' }) counted!: number;
}
