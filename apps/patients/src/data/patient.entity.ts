import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { PatientGuardian, Sex } from '@hms/contracts-patients';
import type { EmergencyContact, PatientAddress, Warning } from '../domain/patient-input';

/** The merge state of a record; a deceased record is one with a date of death. */
export type PatientStatus = 'active' | 'merged';

/**
 * A row of `patients`: one registered person of a branch. Dates (`date` columns) are
 * `YYYY-MM-DD` strings, instants are Dates, JSON columns come back parsed.
 */
@Entity({ name: 'patients' })
export class PatientEntity {
  @PrimaryColumn({ type: 'uuid' }) id!: string;
  @Column({ name: 'branch_id', type: 'uuid' }) branchId!: string;
  /** Permanent: a merged record's UHID resolves to the survivor. */
  @Column({ type: 'text' }) uhid!: string;
  @Column({ type: 'text' }) name!: string;
  @Column({ name: 'given_name', type: 'text', nullable: true }) givenName!: string | null;
  @Column({ name: 'family_name', type: 'text', nullable: true }) familyName!: string | null;
  /** The name transliterated to plain Latin (trigram index). */
  @Column({ name: 'search_name', type: 'text' }) searchName!: string;
  /** The name's phonetic key (trigram index): Hina and Heena share one. */
  @Column({ name: 'phonetic_name', type: 'text' }) phoneticName!: string;
  @Column({ type: 'char', length: 1 }) sex!: Sex;
  @Column({ name: 'date_of_birth', type: 'date', nullable: true }) dateOfBirth!: string | null;
  @Column({ name: 'date_of_birth_estimated', type: 'boolean' }) dateOfBirthEstimated!: boolean;
  @Column({ type: 'text', nullable: true }) phone!: string | null;
  /** 14 digits, no separators. */
  @Column({ name: 'abha_number', type: 'text', nullable: true }) abhaNumber!: string | null;
  @Column({ name: 'abha_address', type: 'text', nullable: true }) abhaAddress!: string | null;
  @Column({ type: 'jsonb', nullable: true }) address!: PatientAddress | null;
  @Column({ name: 'emergency_contact', type: 'jsonb', nullable: true }) emergencyContact!: EmergencyContact | null;
  @Column({ type: 'jsonb', nullable: true }) guardian!: PatientGuardian | null;
  @Column({ type: 'jsonb' }) warnings!: Warning[];
  @Column({ name: 'date_of_death', type: 'date', nullable: true }) dateOfDeath!: string | null;
  /** When the death was recorded (the system's time). */
  @Column({ name: 'death_recorded_at', type: 'timestamptz', nullable: true }) deathRecordedAt!: Date | null;
  @Column({ name: 'death_recorded_by', type: 'text', nullable: true }) deathRecordedBy!: string | null;
  @Column({ name: 'death_recorded_by_name', type: 'text', nullable: true }) deathRecordedByName!: string | null;
  @Column({ name: 'medico_legal', type: 'boolean' }) medicoLegal!: boolean;
  @Column({ name: 'mlc_number', type: 'text', nullable: true }) mlcNumber!: string | null;
  @Column({ name: 'police_station', type: 'text', nullable: true }) policeStation!: string | null;
  @Column({ type: 'text' }) status!: PatientStatus;
  @Column({ name: 'merged_into', type: 'uuid', nullable: true }) mergedInto!: string | null;
  /** Optimistic concurrency: the ETag. Raised by every change, by the repository. */
  @Column({ type: 'int' }) version!: number;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
  @Column({ name: 'created_by', type: 'text' }) createdBy!: string;
  @Column({ name: 'updated_by', type: 'text' }) updatedBy!: string;
}
