import { Column, Entity, PrimaryColumn } from 'typeorm';

/** An admission as the wards service's events describe it (table `admissions`, a read model). */
@Entity({ name: 'admissions' })
export class AdmissionEntity {
  @PrimaryColumn({ name: 'admission_id', type: 'uuid' }) admissionId!: string;
  @Column({ name: 'branch_id', type: 'uuid' }) branchId!: string;
  @Column({ name: 'patient_id', type: 'uuid' }) patientId!: string;
  @Column({ name: 'ip_number', type: 'text' }) ipNumber!: string;
  @Column({ type: 'text' }) status!: 'admitted' | 'discharged';
  @Column({ name: 'admitted_at', type: 'timestamptz', nullable: true }) admittedAt!: Date | null;
  @Column({ name: 'discharged_at', type: 'timestamptz', nullable: true }) dischargedAt!: Date | null;
  @Column({ name: 'ward_id', type: 'uuid', nullable: true }) wardId!: string | null;
  @Column({ name: 'ward_code', type: 'text', nullable: true }) wardCode!: string | null;
  @Column({ name: 'bed_code', type: 'text', nullable: true }) bedCode!: string | null;
  @Column({ name: 'event_at', type: 'timestamptz' }) eventAt!: Date;
  @Column({ name: 'updated_at', type: 'timestamptz', insert: false, update: false }) updatedAt!: Date;
}
