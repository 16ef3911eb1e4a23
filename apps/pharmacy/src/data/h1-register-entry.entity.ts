import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A Schedule H1 register entry (table `h1_register`): kept three years, never changed. */
@Entity({ name: 'h1_register' })
export class H1RegisterEntryEntity {
  @PrimaryColumn({ type: 'uuid' }) id!: string;
  @Column({ name: 'branch_id', type: 'uuid' }) branchId!: string;
  @Column({ name: 'dispense_id', type: 'uuid' }) dispenseId!: string;
  @Column({ name: 'supplied_at', type: 'timestamptz' }) suppliedAt!: Date;
  @Column({ name: 'prescriber_name', type: 'text' }) prescriberName!: string;
  @Column({ name: 'prescriber_registration_number', type: 'text' }) prescriberRegistrationNumber!: string;
  @Column({ name: 'prescriber_address', type: 'text' }) prescriberAddress!: string;
  @Column({ name: 'patient_name', type: 'text' }) patientName!: string;
  @Column({ name: 'drug_name', type: 'text' }) drugName!: string;
  @Column({ name: 'item_id', type: 'uuid' }) itemId!: string;
  @Column({ name: 'batch_no', type: 'text' }) batchNo!: string;
  @Column({ type: 'int' }) quantity!: number;
  @Column({ name: 'pharmacist_id', type: 'text' }) pharmacistId!: string;
}
