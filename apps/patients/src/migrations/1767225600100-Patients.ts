import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Applied by the earlier runner as `0001_patients`; its SQL is frozen here as it ran then.
 */
export class Patients1767225600100 implements MigrationInterface {
  readonly name = 'Patients1767225600100';
  readonly legacyId = '0001_patients';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`      CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public;

      CREATE TABLE uhid_series (
        branch_id uuid PRIMARY KEY,
        prefix text NOT NULL UNIQUE CHECK (prefix ~ '^[A-Z][A-Z0-9]{1,7}$'),
        next_value bigint NOT NULL DEFAULT 1 CHECK (next_value >= 1),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      
    ALTER TABLE uhid_series ENABLE ROW LEVEL SECURITY;
    ALTER TABLE uhid_series FORCE ROW LEVEL SECURITY;
    CREATE POLICY branch_scope ON uhid_series
      USING (current_setting('hms.all_branches', true) = 'on'
             OR branch_id = nullif(current_setting('hms.branch_id', true), '')::uuid)
      WITH CHECK (current_setting('hms.all_branches', true) = 'on'
             OR branch_id = nullif(current_setting('hms.branch_id', true), '')::uuid);

      CREATE TABLE patients (
        id uuid PRIMARY KEY,
        branch_id uuid NOT NULL,
        uhid text NOT NULL UNIQUE,
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        given_name text,
        family_name text,
        search_name text NOT NULL,
        phonetic_name text NOT NULL,
        sex char(1) NOT NULL CHECK (sex IN ('M', 'F', 'O', 'U')),
        date_of_birth date,
        date_of_birth_estimated boolean NOT NULL DEFAULT false,
        phone text CHECK (phone ~ '^\\+91[6-9][0-9]{9}$'),
        abha_number text CHECK (abha_number ~ '^[0-9]{14}$'),
        abha_address text,
        address jsonb,
        emergency_contact jsonb,
        warnings jsonb NOT NULL DEFAULT '[]',
        status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'merged')),
        merged_into uuid REFERENCES patients (id),
        version int NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        created_by text NOT NULL,
        updated_by text NOT NULL,
        CHECK ((status = 'merged') = (merged_into IS NOT NULL))
      );
      
    ALTER TABLE patients ENABLE ROW LEVEL SECURITY;
    ALTER TABLE patients FORCE ROW LEVEL SECURITY;
    CREATE POLICY branch_scope ON patients
      USING (current_setting('hms.all_branches', true) = 'on'
             OR branch_id = nullif(current_setting('hms.branch_id', true), '')::uuid)
      WITH CHECK (current_setting('hms.all_branches', true) = 'on'
             OR branch_id = nullif(current_setting('hms.branch_id', true), '')::uuid);
      CREATE INDEX patients_phone ON patients (branch_id, phone) WHERE phone IS NOT NULL;
      -- One ABHA number is one person: a second active record with it is always a duplicate.
      CREATE UNIQUE INDEX patients_abha_number ON patients (branch_id, abha_number) WHERE abha_number IS NOT NULL AND status = 'active';
      CREATE INDEX patients_abha_address ON patients (branch_id, abha_address) WHERE abha_address IS NOT NULL;
      CREATE INDEX patients_dob ON patients (branch_id, date_of_birth);
      CREATE INDEX patients_merged_into ON patients (merged_into) WHERE merged_into IS NOT NULL;
      CREATE INDEX patients_phonetic_trgm ON patients USING gist (phonetic_name gist_trgm_ops);
      CREATE INDEX patients_search_trgm ON patients USING gist (search_name gist_trgm_ops);`);
  }

  async down(): Promise<void> {
    throw new Error('Patients migrations go forward only: write a new migration that undoes this one');
  }
}
