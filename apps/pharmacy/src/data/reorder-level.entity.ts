import { Column, Entity, PrimaryColumn } from 'typeorm';

/** The reorder level of an item in a store (table `reorder_levels`). */
@Entity({ name: 'reorder_levels' })
export class ReorderLevelEntity {
  @PrimaryColumn({ name: 'store_id', type: 'uuid' }) storeId!: string;
  @PrimaryColumn({ name: 'item_id', type: 'uuid' }) itemId!: string;
  @Column({ name: 'branch_id', type: 'uuid' }) branchId!: string;
  @Column({ name: 'reorder_level', type: 'int' }) reorderLevel!: number;
  @Column({ name: 'reorder_quantity', type: 'int' }) reorderQuantity!: number;
}
