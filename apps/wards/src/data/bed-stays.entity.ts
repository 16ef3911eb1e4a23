import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintAsNumber } from './columns';

/** Time in one bed, with the tariff in force when the stay began (billing charges bed-days). */
@Entity({ name: 'bed_stays' })
export class BedStayEntity {
  @PrimaryColumn({ type: 'uuid' }) id!: string;
  @Column({ name: 'branch_id', type: 'uuid' }) branchId!: string;
  @Column({ name: 'admission_id', type: 'uuid' }) admissionId!: string;
  @Column({ name: 'bed_id', type: 'uuid' }) bedId!: string;
  @Column({ name: 'ward_id', type: 'uuid' }) wardId!: string;
  @Column({ name: 'category_id', type: 'uuid' }) categoryId!: string;
  @Column({ name: 'daily_rate_paise', type: 'bigint', nullable: true, transformer: bigintAsNumber }) dailyRatePaise!: number | null;
  @Column({ name: 'started_at', type: 'timestamptz' }) startedAt!: Date;
  @Column({ name: 'ended_at', type: 'timestamptz', nullable: true }) endedAt!: Date | null;
}
