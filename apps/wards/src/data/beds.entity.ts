import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { BedState } from '@hms/contracts-wards';

@Entity({ name: 'beds' })
export class BedEntity {
  @PrimaryColumn({ type: 'uuid' }) id!: string;
  @Column({ name: 'branch_id', type: 'uuid' }) branchId!: string;
  @Column({ name: 'ward_id', type: 'uuid' }) wardId!: string;
  @Column({ name: 'room_id', type: 'uuid', nullable: true }) roomId!: string | null;
  @Column({ type: 'text' }) code!: string;
  @Column({ name: 'category_id', type: 'uuid' }) categoryId!: string;
  @Column({ type: 'text' }) state!: BedState;
  @Column({ name: 'state_since', type: 'timestamptz' }) stateSince!: Date;
  @Column({ name: 'admission_id', type: 'uuid', nullable: true }) admissionId!: string | null;
  @Column({ name: 'reserved_for_patient_id', type: 'uuid', nullable: true }) reservedForPatientId!: string | null;
  @Column({ type: 'int' }) version!: number;
  @Column({ name: 'retired_at', type: 'timestamptz', nullable: true }) retiredAt!: Date | null;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}
