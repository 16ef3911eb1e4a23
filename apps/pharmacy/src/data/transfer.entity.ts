import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Stock sent from one store to another of the branch (table `transfers`). */
@Entity({ name: 'transfers' })
export class TransferEntity {
  @PrimaryColumn({ type: 'uuid' }) id!: string;
  @Column({ name: 'branch_id', type: 'uuid' }) branchId!: string;
  @Column({ name: 'from_store_id', type: 'uuid' }) fromStoreId!: string;
  @Column({ name: 'to_store_id', type: 'uuid' }) toStoreId!: string;
  @Column({ type: 'text' }) status!: 'in-transit' | 'received';
  @Column({ name: 'sent_at', type: 'timestamptz' }) sentAt!: Date;
  @Column({ name: 'received_at', type: 'timestamptz', nullable: true }) receivedAt!: Date | null;
  @Column({ name: 'created_by', type: 'text' }) createdBy!: string;
  @Column({ name: 'received_by', type: 'text', nullable: true }) receivedBy!: string | null;
}
