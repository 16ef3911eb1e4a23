import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintAsNumber } from './column-types';

/** One movement of stock (table `stock_ledger`): append-only, guarded by a trigger. */
@Entity({ name: 'stock_ledger' })
export class StockLedgerEntity {
  @PrimaryColumn({ type: 'bigint', transformer: bigintAsNumber, insert: false }) id!: number;
  @Column({ name: 'branch_id', type: 'uuid' }) branchId!: string;
  @Column({ name: 'store_id', type: 'uuid' }) storeId!: string;
  @Column({ name: 'item_id', type: 'uuid' }) itemId!: string;
  @Column({ name: 'batch_id', type: 'uuid' }) batchId!: string;
  @Column({ type: 'text' }) movement!: string;
  @Column({ type: 'int' }) quantity!: number;
  @Column({ name: 'reference_type', type: 'text' }) referenceType!: string;
  @Column({ name: 'reference_id', type: 'uuid' }) referenceId!: string;
  @Column({ type: 'text', nullable: true }) reason!: string | null;
  @Column({ type: 'timestamptz', insert: false, update: false }) at!: Date;
  @Column({ name: 'actor_id', type: 'text' }) actorId!: string;
}
