import { branchScopedTableV1, upgradeBranchScopePolicies, type Migration } from '@hms/platform-persistence';

export const patientsMigrations: Migration[] = [
  {
    id: '0001_patients',
    up: `
      CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public;

      CREATE TABLE uhid_series (
        branch_id uuid PRIMARY KEY,
        prefix text NOT NULL UNIQUE CHECK (prefix ~ '^[A-Z][A-Z0-9]{1,7}$'),
        next_value bigint NOT NULL DEFAULT 1 CHECK (next_value >= 1),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      ${branchScopedTableV1('uhid_series')}

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
      ${branchScopedTableV1('patients')}
      CREATE INDEX patients_phone ON patients (branch_id, phone) WHERE phone IS NOT NULL;
      -- One ABHA number is one person: a second active record with it is always a duplicate.
      CREATE UNIQUE INDEX patients_abha_number ON patients (branch_id, abha_number) WHERE abha_number IS NOT NULL AND status = 'active';
      CREATE INDEX patients_abha_address ON patients (branch_id, abha_address) WHERE abha_address IS NOT NULL;
      CREATE INDEX patients_dob ON patients (branch_id, date_of_birth);
      CREATE INDEX patients_merged_into ON patients (merged_into) WHERE merged_into IS NOT NULL;
      CREATE INDEX patients_phonetic_trgm ON patients USING gist (phonetic_name gist_trgm_ops);
      CREATE INDEX patients_search_trgm ON patients USING gist (search_name gist_trgm_ops);
    `,
  },
  {
    // Under row-level security PostgreSQL uses an operator inside an index scan only if it is
    // leakproof; pg_trgm's % is not marked so, which turns a search for a rare name into a walk
    // of the whole table. Marking it needs a superuser: where the migrator is not one, the
    // service falls back to a bounded nearest-neighbour search (see patients.service.ts).
    id: '0002_trgm_leakproof',
    up: `
      DO $$
      BEGIN
        ALTER FUNCTION public.similarity_op(text, text) LEAKPROOF;
      EXCEPTION WHEN insufficient_privilege THEN
        RAISE NOTICE 'pg_trgm similarity_op left as it is (not a superuser): fuzzy search uses the bounded plan';
      END $$;
    `,
  },
  {
    id: '0003_branch_scope_per_statement',
    up: upgradeBranchScopePolicies(),
  },
  {
    // Issue 7 item 18: a recorded death (with who recorded it and when), a guardian for minors
    // and the medico-legal case flag. `status` keeps meaning the merge state, which the other
    // services' read models already rely on; a deceased record is one with a date of death.
    id: '0004_death_guardian_medico_legal',
    up: `
      ALTER TABLE patients
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
        ADD CONSTRAINT patients_mlc_details CHECK (medico_legal OR (mlc_number IS NULL AND police_station IS NULL));
    `,
  },
];
