import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintAsNumber } from './columns';

/** The next IP number of a branch in a financial year (gap-free). */
@Entity({ name: 'ip_series' })
export class IpSeriesEntity {
  @PrimaryColumn({ name: 'branch_id', type: 'uuid' }) branchId!: string;
  @PrimaryColumn({ name: 'financial_year', type: 'text' }) financialYear!: string;
  @Column({ name: 'next_value', type: 'bigint', transformer: bigintAsNumber }) nextValue!: number;
}
