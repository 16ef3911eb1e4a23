import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A batch sent in a transfer (table `transfer_lines`). */
@Entity({ name: 'transfer_lines' })
export class TransferLineEntity {
  @PrimaryColumn({ name: 'transfer_id', type: 'uuid' }) transferId!: string;
  @PrimaryColumn({ name: 'batch_id', type: 'uuid' }) batchId!: string;
  @Column({ name: 'branch_id', type: 'uuid' }) branchId!: string;
  @Column({ name: 'item_id', type: 'uuid' }) itemId!: string;
  @Column({ type: 'int' }) quantity!: number;
}
