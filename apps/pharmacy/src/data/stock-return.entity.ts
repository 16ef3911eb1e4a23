import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A patient's return against a dispense, or a store's return to a supplier (table `stock_returns`). */
@Entity({ name: 'stock_returns' })
export class StockReturnEntity {
  @PrimaryColumn({ type: 'uuid' }) id!: string;
  @Column({ name: 'branch_id', type: 'uuid' }) branchId!: string;
  @Column({ name: 'store_id', type: 'uuid' }) storeId!: string;
  @Column({ type: 'text' }) kind!: 'patient-return' | 'return-to-supplier';
  @Column({ name: 'dispense_id', type: 'uuid', nullable: true }) dispenseId!: string | null;
  @Column({ name: 'supplier_id', type: 'uuid', nullable: true }) supplierId!: string | null;
  @Column({ type: 'text', nullable: true }) reason!: string | null;
  @Column({ name: 'returned_at', type: 'timestamptz' }) returnedAt!: Date;
  @Column({ name: 'created_by', type: 'text' }) createdBy!: string;
}
