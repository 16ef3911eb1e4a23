import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintAsNumber } from './columns';

/** A per-day tariff of a category, versioned by the date (India) it takes effect. */
@Entity({ name: 'category_tariffs' })
export class CategoryTariffEntity {
  @PrimaryColumn({ type: 'uuid' }) id!: string;
  @Column({ name: 'branch_id', type: 'uuid' }) branchId!: string;
  @Column({ name: 'category_id', type: 'uuid' }) categoryId!: string;
  /** YYYY-MM-DD */
  @Column({ name: 'effective_from', type: 'date' }) effectiveFrom!: string;
  @Column({ name: 'daily_rate_paise', type: 'bigint', transformer: bigintAsNumber }) dailyRatePaise!: number;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @Column({ name: 'created_by', type: 'text' }) createdBy!: string;
}
