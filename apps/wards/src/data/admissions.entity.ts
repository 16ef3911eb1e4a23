import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { AdmissionType, DischargeType } from '@hms/contracts-wards';
import { bigintAsNumber } from './columns';

@Entity({ name: 'admissions' })
export class AdmissionEntity {
  @PrimaryColumn({ type: 'uuid' }) id!: string;
  @Column({ name: 'branch_id', type: 'uuid' }) branchId!: string;
  @Column({ name: 'ip_number', type: 'text' }) ipNumber!: string;
  @Column({ name: 'patient_id', type: 'uuid' }) patientId!: string;
  @Column({ type: 'text' }) status!: 'admitted' | 'discharged';
  @Column({ name: 'admission_type', type: 'text' }) admissionType!: AdmissionType;
  @Column({ name: 'admitted_at', type: 'timestamptz' }) admittedAt!: Date;
  @Column({ name: 'admitting_doctor_id', type: 'text', nullable: true }) admittingDoctorId!: string | null;
  @Column({ name: 'admitting_doctor_name', type: 'text' }) admittingDoctorName!: string;
  @Column({ type: 'text' }) department!: string;
  @Column({ type: 'text' }) reason!: string;
  @Column({ name: 'expected_discharge_at', type: 'timestamptz', nullable: true }) expectedDischargeAt!: Date | null;
  @Column({ name: 'deposit_reference', type: 'text', nullable: true }) depositReference!: string | null;
  @Column({ name: 'bed_id', type: 'uuid', nullable: true }) bedId!: string | null;
  @Column({ name: 'discharged_at', type: 'timestamptz', nullable: true }) dischargedAt!: Date | null;
  @Column({ name: 'discharge_type', type: 'text', nullable: true }) dischargeType!: DischargeType | null;
  @Column({ name: 'discharge_notes', type: 'text', nullable: true }) dischargeNotes!: string | null;
  @Column({ name: 'billing_clearance', type: 'text' }) billingClearance!: 'cleared' | 'pending' | 'unknown';
  @Column({ name: 'dues_paise', type: 'bigint', nullable: true, transformer: bigintAsNumber }) duesPaise!: number | null;
  @Column({ type: 'int' }) version!: number;
  @Column({ name: 'created_by', type: 'text' }) createdBy!: string;
  @Column({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}
