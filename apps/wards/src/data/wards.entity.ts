import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { WardGenderPolicy } from '@hms/contracts-wards';

@Entity({ name: 'wards' })
export class WardEntity {
  @PrimaryColumn({ type: 'uuid' }) id!: string;
  @Column({ name: 'branch_id', type: 'uuid' }) branchId!: string;
  @Column({ type: 'text' }) code!: string;
  @Column({ type: 'text' }) name!: string;
  @Column({ type: 'text', nullable: true }) floor!: string | null;
  @Column({ name: 'gender_policy', type: 'text' }) genderPolicy!: WardGenderPolicy;
  @Column({ type: 'text', nullable: true }) speciality!: string | null;
  @Column({ name: 'retired_at', type: 'timestamptz', nullable: true }) retiredAt!: Date | null;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}
