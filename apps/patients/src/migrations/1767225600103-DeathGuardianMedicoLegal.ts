import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Applied by the earlier runner as `0004_death_guardian_medico_legal`; its SQL is frozen here as it ran then.
 *
 * Issue 7 item 18: a recorded death (with who recorded it and when), a guardian for minors
 * and the medico-legal case flag. `status` keeps meaning the merge state, which the other
 * services' read models already rely on; a deceased record is one with a date of death.
 */
export class DeathGuardianMedicoLegal1767225600103 implements MigrationInterface {
  readonly name = 'DeathGuardianMedicoLegal1767225600103';
  readonly legacyId = '0004_death_guardian_medico_legal';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`      ALTER TABLE patients
        ADD COLUMN date_of_death date CHECK (date_of_death >= DATE '1900-01-01'),
        ADD COLUMN death_recorded_at timestamptz,
        ADD COLUMN death_recorded_by text,
        ADD COLUMN death_recorded_by_name text,
        ADD COLUMN guardian jsonb CHECK (jsonb_typeof(guardian) = 'object'),
        ADD COLUMN medico_legal boolean NOT NULL DEFAULT false,
        ADD COLUMN mlc_number text CHECK (length(mlc_number) BETWEEN 1 AND 50),
        ADD COLUMN police_station text CHECK (length(police_station) BETWEEN 1 AND 200),
        ADD CONSTRAINT patients_death_recorded CHECK (
          (date_of_death IS NULL) = (death_recorded_at IS NULL) AND (date_of_death IS NULL) = (death_recorded_by IS NULL)),
        ADD CONSTRAINT patients_mlc_details CHECK (medico_legal OR (mlc_number IS NULL AND police_station IS NULL));`);
  }

  async down(): Promise<void> {
    throw new Error('Patients migrations go forward only: write a new migration that undoes this one');
  }
}
