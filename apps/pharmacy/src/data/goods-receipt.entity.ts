import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A supplier's invoice received into a store (table `goods_receipts`); its quantities are in the ledger. */
@Entity({ name: 'goods_receipts' })
export class GoodsReceiptEntity {
  @PrimaryColumn({ type: 'uuid' }) id!: string;
  @Column({ name: 'branch_id', type: 'uuid' }) branchId!: string;
  @Column({ name: 'store_id', type: 'uuid' }) storeId!: string;
  @Column({ name: 'supplier_id', type: 'uuid' }) supplierId!: string;
  @Column({ name: 'invoice_number', type: 'text' }) invoiceNumber!: string;
  @Column({ name: 'invoice_date', type: 'date' }) invoiceDate!: string;
  @Column({ name: 'received_at', type: 'timestamptz' }) receivedAt!: Date;
  @Column({ name: 'received_on', type: 'date' }) receivedOn!: string;
  @Column({ name: 'created_by', type: 'text' }) createdBy!: string;
}
