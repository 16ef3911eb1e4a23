import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A patient as the patients service's events describe them (the wards service's read model). */
@Entity({ name: 'patients' })
export class PatientEntity {
  @PrimaryColumn({ name: 'patient_id', type: 'uuid' }) patientId!: string;
  @Column({ name: 'branch_id', type: 'uuid' }) branchId!: string;
  @Column({ type: 'text' }) uhid!: string;
  @Column({ type: 'text' }) name!: string;
  @Column({ type: 'char', length: 1 }) sex!: string;
  /** YYYY-MM-DD */
  @Column({ name: 'date_of_birth', type: 'date', nullable: true }) dateOfBirth!: string | null;
  @Column({ type: 'text' }) status!: string;
  @Column({ name: 'merged_into', type: 'uuid', nullable: true }) mergedInto!: string | null;
  @Column({ type: 'int' }) version!: number;
  @Column({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}
