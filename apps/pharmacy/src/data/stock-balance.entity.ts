import { Column, Entity, PrimaryColumn } from 'typeorm';

/** On hand of a batch in a store (table `stock_balances`), moved only with a ledger row. */
@Entity({ name: 'stock_balances' })
export class StockBalanceEntity {
  @PrimaryColumn({ name: 'store_id', type: 'uuid' }) storeId!: string;
  @PrimaryColumn({ name: 'batch_id', type: 'uuid' }) batchId!: string;
  @Column({ name: 'branch_id', type: 'uuid' }) branchId!: string;
  @Column({ name: 'item_id', type: 'uuid' }) itemId!: string;
  @Column({ type: 'date' }) expiry!: string;
  @Column({ name: 'on_hand', type: 'int' }) onHand!: number;
}
