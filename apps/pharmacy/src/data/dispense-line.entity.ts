import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintAsNumber } from './column-types';

/** A batch supplied in a dispense (table `dispense_lines`), with what came back since. */
@Entity({ name: 'dispense_lines' })
export class DispenseLineEntity {
  @PrimaryColumn({ type: 'uuid' }) id!: string;
  @Column({ name: 'branch_id', type: 'uuid' }) branchId!: string;
  @Column({ name: 'dispense_id', type: 'uuid' }) dispenseId!: string;
  @Column({ name: 'item_id', type: 'uuid' }) itemId!: string;
  @Column({ name: 'batch_id', type: 'uuid' }) batchId!: string;
  @Column({ type: 'int' }) quantity!: number;
  @Column({ name: 'returned_quantity', type: 'int' }) returnedQuantity!: number;
  @Column({ name: 'mrp_paise', type: 'bigint', transformer: bigintAsNumber }) mrpPaise!: number;
  @Column({ type: 'text' }) hsn!: string;
  @Column({ name: 'gst_rate_bp', type: 'int' }) gstRateBp!: number;
}
