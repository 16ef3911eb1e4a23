import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A placement made on purpose into a ward whose gender policy the patient does not fit: who, when, why. Never changed. */
@Entity({ name: 'gender_policy_overrides' })
export class GenderPolicyOverrideEntity {
  @PrimaryColumn({ name: 'bed_stay_id', type: 'uuid' }) bedStayId!: string;
  @Column({ name: 'branch_id', type: 'uuid' }) branchId!: string;
  @Column({ name: 'admission_id', type: 'uuid' }) admissionId!: string;
  @Column({ name: 'ward_policy', type: 'text' }) wardPolicy!: 'male' | 'female';
  @Column({ name: 'patient_sex', type: 'text' }) patientSex!: string;
  @Column({ type: 'text' }) reason!: string;
  @Column({ name: 'actor_id', type: 'text' }) actorId!: string;
  @Column({ name: 'actor_name', type: 'text', nullable: true }) actorName!: string | null;
  @Column({ type: 'timestamptz' }) at!: Date;
}
