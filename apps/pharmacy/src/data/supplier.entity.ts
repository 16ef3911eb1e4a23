import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A supplier of a branch, known by its GSTIN (table `suppliers`). */
@Entity({ name: 'suppliers' })
export class SupplierEntity {
  @PrimaryColumn({ type: 'uuid' }) id!: string;
  @Column({ name: 'branch_id', type: 'uuid' }) branchId!: string;
  @Column({ type: 'text' }) name!: string;
  @Column({ type: 'text' }) gstin!: string;
  @Column({ name: 'state_code', type: 'text' }) stateCode!: string;
  @Column({ name: 'retired_at', type: 'timestamptz', nullable: true }) retiredAt!: Date | null;
  @Column({ name: 'created_at', type: 'timestamptz', insert: false, update: false }) createdAt!: Date;
  @Column({ type: 'int', insert: false }) version!: number;
}
