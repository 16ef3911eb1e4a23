import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A patient as the patients service's events describe them (table `patients`, a read model). */
@Entity({ name: 'patients' })
export class PatientEntity {
  @PrimaryColumn({ name: 'patient_id', type: 'uuid' }) patientId!: string;
  @Column({ name: 'branch_id', type: 'uuid' }) branchId!: string;
  @Column({ type: 'text', nullable: true }) uhid!: string | null;
  @Column({ type: 'text', nullable: true }) name!: string | null;
  @Column({ type: 'text' }) status!: 'active' | 'merged';
  @Column({ name: 'merged_into', type: 'uuid', nullable: true }) mergedInto!: string | null;
  @Column({ name: 'merged_into_uhid', type: 'text', nullable: true }) mergedIntoUhid!: string | null;
  @Column({ type: 'int' }) version!: number;
  @Column({ name: 'updated_at', type: 'timestamptz', insert: false, update: false }) updatedAt!: Date;
}
