import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A supply to a patient or over the counter (table `dispenses`), with its prescription. */
@Entity({ name: 'dispenses' })
export class DispenseEntity {
  @PrimaryColumn({ type: 'uuid' }) id!: string;
  @Column({ name: 'branch_id', type: 'uuid' }) branchId!: string;
  @Column({ name: 'store_id', type: 'uuid' }) storeId!: string;
  @Column({ name: 'supply_kind', type: 'text' }) supplyKind!: 'inpatient' | 'outpatient' | 'otc';
  @Column({ name: 'patient_id', type: 'uuid', nullable: true }) patientId!: string | null;
  @Column({ name: 'patient_name', type: 'text', nullable: true }) patientName!: string | null;
  @Column({ name: 'admission_id', type: 'uuid', nullable: true }) admissionId!: string | null;
  @Column({ name: 'prescription_id', type: 'text', nullable: true }) prescriptionId!: string | null;
  @Column({ name: 'prescriber_name', type: 'text', nullable: true }) prescriberName!: string | null;
  @Column({ name: 'prescriber_registration_number', type: 'text', nullable: true }) prescriberRegistrationNumber!: string | null;
  @Column({ name: 'prescriber_address', type: 'text', nullable: true }) prescriberAddress!: string | null;
  @Column({ name: 'prescribed_on', type: 'date', nullable: true }) prescribedOn!: string | null;
  @Column({ name: 'dispensed_at', type: 'timestamptz' }) dispensedAt!: Date;
  @Column({ name: 'actor_id', type: 'text' }) actorId!: string;
}
