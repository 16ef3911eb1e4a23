import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Applied by the earlier runner as `0001_wards`; its SQL is frozen here as it ran then.
 */
export class Wards1767225600100 implements MigrationInterface {
  readonly name = 'Wards1767225600100';
  readonly legacyId = '0001_wards';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`      -- Masters ----------------------------------------------------------------------------
      CREATE TABLE bed_categories (
        id uuid PRIMARY KEY,
        branch_id uuid NOT NULL,
        code text NOT NULL CHECK (code ~ '^[A-Z][A-Z0-9_-]{1,19}$'),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
        is_critical_care boolean NOT NULL,
        retired_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (branch_id, code)
      );
      
    ALTER TABLE bed_categories ENABLE ROW LEVEL SECURITY;
    ALTER TABLE bed_categories FORCE ROW LEVEL SECURITY;
    CREATE POLICY branch_scope ON bed_categories
      USING (current_setting('hms.all_branches', true) = 'on'
             OR branch_id = nullif(current_setting('hms.branch_id', true), '')::uuid)
      WITH CHECK (current_setting('hms.all_branches', true) = 'on'
             OR branch_id = nullif(current_setting('hms.branch_id', true), '')::uuid);

      -- A per-day tariff per category, versioned by the date it takes effect (WF-03).
      CREATE TABLE category_tariffs (
        id uuid PRIMARY KEY,
        branch_id uuid NOT NULL,
        category_id uuid NOT NULL REFERENCES bed_categories (id),
        effective_from date NOT NULL,
        daily_rate_paise bigint NOT NULL CHECK (daily_rate_paise >= 0),
        created_at timestamptz NOT NULL DEFAULT now(),
        created_by text NOT NULL,
        UNIQUE (category_id, effective_from)
      );
      
    ALTER TABLE category_tariffs ENABLE ROW LEVEL SECURITY;
    ALTER TABLE category_tariffs FORCE ROW LEVEL SECURITY;
    CREATE POLICY branch_scope ON category_tariffs
      USING (current_setting('hms.all_branches', true) = 'on'
             OR branch_id = nullif(current_setting('hms.branch_id', true), '')::uuid)
      WITH CHECK (current_setting('hms.all_branches', true) = 'on'
             OR branch_id = nullif(current_setting('hms.branch_id', true), '')::uuid);

      CREATE TABLE wards (
        id uuid PRIMARY KEY,
        branch_id uuid NOT NULL,
        code text NOT NULL CHECK (code ~ '^[A-Z0-9][A-Z0-9_-]{0,19}$'),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
        floor text,
        gender_policy text NOT NULL CHECK (gender_policy IN ('male', 'female', 'mixed')),
        speciality text,
        retired_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (branch_id, code)
      );
      
    ALTER TABLE wards ENABLE ROW LEVEL SECURITY;
    ALTER TABLE wards FORCE ROW LEVEL SECURITY;
    CREATE POLICY branch_scope ON wards
      USING (current_setting('hms.all_branches', true) = 'on'
             OR branch_id = nullif(current_setting('hms.branch_id', true), '')::uuid)
      WITH CHECK (current_setting('hms.all_branches', true) = 'on'
             OR branch_id = nullif(current_setting('hms.branch_id', true), '')::uuid);

      CREATE TABLE rooms (
        id uuid PRIMARY KEY,
        branch_id uuid NOT NULL,
        ward_id uuid NOT NULL REFERENCES wards (id),
        code text NOT NULL CHECK (code ~ '^[A-Z0-9][A-Z0-9_-]{0,19}$'),
        retired_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (ward_id, code)
      );
      
    ALTER TABLE rooms ENABLE ROW LEVEL SECURITY;
    ALTER TABLE rooms FORCE ROW LEVEL SECURITY;
    CREATE POLICY branch_scope ON rooms
      USING (current_setting('hms.all_branches', true) = 'on'
             OR branch_id = nullif(current_setting('hms.branch_id', true), '')::uuid)
      WITH CHECK (current_setting('hms.all_branches', true) = 'on'
             OR branch_id = nullif(current_setting('hms.branch_id', true), '')::uuid);

      CREATE TABLE beds (
        id uuid PRIMARY KEY,
        branch_id uuid NOT NULL,
        ward_id uuid NOT NULL REFERENCES wards (id),
        room_id uuid REFERENCES rooms (id),
        code text NOT NULL CHECK (code ~ '^[A-Z0-9][A-Z0-9_-]{0,19}$'),
        category_id uuid NOT NULL REFERENCES bed_categories (id),
        state text NOT NULL DEFAULT 'available'
          CHECK (state IN ('available', 'reserved', 'occupied', 'cleaning', 'maintenance', 'blocked')),
        state_since timestamptz NOT NULL DEFAULT now(),
        admission_id uuid,
        reserved_for_patient_id uuid,
        version int NOT NULL DEFAULT 1,
        retired_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (ward_id, code),
        -- A bed is occupied exactly when it holds an admission.
        CHECK ((state = 'occupied') = (admission_id IS NOT NULL)),
        CHECK (state = 'reserved' OR reserved_for_patient_id IS NULL),
        CHECK (retired_at IS NULL OR state NOT IN ('occupied', 'reserved'))
      );
      
    ALTER TABLE beds ENABLE ROW LEVEL SECURITY;
    ALTER TABLE beds FORCE ROW LEVEL SECURITY;
    CREATE POLICY branch_scope ON beds
      USING (current_setting('hms.all_branches', true) = 'on'
             OR branch_id = nullif(current_setting('hms.branch_id', true), '')::uuid)
      WITH CHECK (current_setting('hms.all_branches', true) = 'on'
             OR branch_id = nullif(current_setting('hms.branch_id', true), '')::uuid);
      -- One admission can hold only one bed.
      CREATE UNIQUE INDEX beds_one_per_admission ON beds (admission_id) WHERE admission_id IS NOT NULL;
      CREATE INDEX beds_ward ON beds (branch_id, ward_id) WHERE retired_at IS NULL;

      CREATE TABLE bed_state_history (
        id bigserial PRIMARY KEY,
        branch_id uuid NOT NULL,
        bed_id uuid NOT NULL REFERENCES beds (id),
        from_state text,
        to_state text NOT NULL,
        at timestamptz NOT NULL DEFAULT now(),
        actor_id text NOT NULL,
        reason text,
        admission_id uuid
      );
      
    ALTER TABLE bed_state_history ENABLE ROW LEVEL SECURITY;
    ALTER TABLE bed_state_history FORCE ROW LEVEL SECURITY;
    CREATE POLICY branch_scope ON bed_state_history
      USING (current_setting('hms.all_branches', true) = 'on'
             OR branch_id = nullif(current_setting('hms.branch_id', true), '')::uuid)
      WITH CHECK (current_setting('hms.all_branches', true) = 'on'
             OR branch_id = nullif(current_setting('hms.branch_id', true), '')::uuid);
      CREATE INDEX bed_state_history_bed ON bed_state_history (bed_id, id);

      -- Patients, as the patients service's events describe them -----------------------------
      CREATE TABLE patients (
        patient_id uuid PRIMARY KEY,
        branch_id uuid NOT NULL,
        uhid text NOT NULL,
        name text NOT NULL,
        sex char(1) NOT NULL,
        date_of_birth date,
        status text NOT NULL,
        merged_into uuid,
        version int NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      
    ALTER TABLE patients ENABLE ROW LEVEL SECURITY;
    ALTER TABLE patients FORCE ROW LEVEL SECURITY;
    CREATE POLICY branch_scope ON patients
      USING (current_setting('hms.all_branches', true) = 'on'
             OR branch_id = nullif(current_setting('hms.branch_id', true), '')::uuid)
      WITH CHECK (current_setting('hms.all_branches', true) = 'on'
             OR branch_id = nullif(current_setting('hms.branch_id', true), '')::uuid);

      -- Admissions -------------------------------------------------------------------------
      CREATE TABLE ip_series (
        branch_id uuid NOT NULL,
        financial_year text NOT NULL,
        next_value bigint NOT NULL DEFAULT 1,
        PRIMARY KEY (branch_id, financial_year)
      );
      
    ALTER TABLE ip_series ENABLE ROW LEVEL SECURITY;
    ALTER TABLE ip_series FORCE ROW LEVEL SECURITY;
    CREATE POLICY branch_scope ON ip_series
      USING (current_setting('hms.all_branches', true) = 'on'
             OR branch_id = nullif(current_setting('hms.branch_id', true), '')::uuid)
      WITH CHECK (current_setting('hms.all_branches', true) = 'on'
             OR branch_id = nullif(current_setting('hms.branch_id', true), '')::uuid);

      CREATE TABLE admissions (
        id uuid PRIMARY KEY,
        branch_id uuid NOT NULL,
        ip_number text NOT NULL,
        patient_id uuid NOT NULL,
        status text NOT NULL CHECK (status IN ('admitted', 'discharged')),
        admission_type text NOT NULL CHECK (admission_type IN ('elective', 'emergency', 'day-care')),
        admitted_at timestamptz NOT NULL,
        admitting_doctor_id text,
        admitting_doctor_name text NOT NULL,
        department text NOT NULL,
        reason text NOT NULL,
        expected_discharge_at timestamptz,
        deposit_reference text,
        bed_id uuid REFERENCES beds (id),
        discharged_at timestamptz,
        discharge_type text CHECK (discharge_type IN ('normal', 'against-medical-advice', 'referred', 'absconded', 'death')),
        discharge_notes text,
        billing_clearance text NOT NULL DEFAULT 'unknown' CHECK (billing_clearance IN ('cleared', 'pending', 'unknown')),
        dues_paise bigint,
        version int NOT NULL DEFAULT 1,
        created_by text NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (branch_id, ip_number),
        CHECK ((status = 'discharged') = (discharged_at IS NOT NULL)),
        CHECK (status = 'discharged' OR bed_id IS NOT NULL)
      );
      
    ALTER TABLE admissions ENABLE ROW LEVEL SECURITY;
    ALTER TABLE admissions FORCE ROW LEVEL SECURITY;
    CREATE POLICY branch_scope ON admissions
      USING (current_setting('hms.all_branches', true) = 'on'
             OR branch_id = nullif(current_setting('hms.branch_id', true), '')::uuid)
      WITH CHECK (current_setting('hms.all_branches', true) = 'on'
             OR branch_id = nullif(current_setting('hms.branch_id', true), '')::uuid);
      -- A patient holds at most one active admission.
      CREATE UNIQUE INDEX admissions_one_active ON admissions (patient_id) WHERE status = 'admitted';
      CREATE INDEX admissions_patient ON admissions (branch_id, patient_id, admitted_at DESC);
      CREATE INDEX admissions_discharged ON admissions (branch_id, discharged_at) WHERE discharged_at IS NOT NULL;

      -- Time in each bed, with the tariff in force when the stay began (billing charges bed-days).
      CREATE TABLE bed_stays (
        id uuid PRIMARY KEY,
        branch_id uuid NOT NULL,
        admission_id uuid NOT NULL REFERENCES admissions (id),
        bed_id uuid NOT NULL REFERENCES beds (id),
        ward_id uuid NOT NULL,
        category_id uuid NOT NULL,
        daily_rate_paise bigint,
        started_at timestamptz NOT NULL,
        ended_at timestamptz,
        CHECK (ended_at IS NULL OR ended_at >= started_at)
      );
      
    ALTER TABLE bed_stays ENABLE ROW LEVEL SECURITY;
    ALTER TABLE bed_stays FORCE ROW LEVEL SECURITY;
    CREATE POLICY branch_scope ON bed_stays
      USING (current_setting('hms.all_branches', true) = 'on'
             OR branch_id = nullif(current_setting('hms.branch_id', true), '')::uuid)
      WITH CHECK (current_setting('hms.all_branches', true) = 'on'
             OR branch_id = nullif(current_setting('hms.branch_id', true), '')::uuid);
      CREATE UNIQUE INDEX bed_stays_open ON bed_stays (admission_id) WHERE ended_at IS NULL;
      CREATE INDEX bed_stays_admission ON bed_stays (admission_id, started_at);
      CREATE INDEX bed_stays_period ON bed_stays (branch_id, started_at, ended_at);

      -- The HL7 v2 ADT feed: messages built from admission events, read by subscribed systems.
      CREATE TABLE hl7_messages (
        seq bigserial PRIMARY KEY,
        branch_id uuid NOT NULL,
        event_id uuid NOT NULL UNIQUE,
        trigger_event text NOT NULL,
        control_id text NOT NULL,
        admission_id uuid NOT NULL,
        message text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      
    ALTER TABLE hl7_messages ENABLE ROW LEVEL SECURITY;
    ALTER TABLE hl7_messages FORCE ROW LEVEL SECURITY;
    CREATE POLICY branch_scope ON hl7_messages
      USING (current_setting('hms.all_branches', true) = 'on'
             OR branch_id = nullif(current_setting('hms.branch_id', true), '')::uuid)
      WITH CHECK (current_setting('hms.all_branches', true) = 'on'
             OR branch_id = nullif(current_setting('hms.branch_id', true), '')::uuid);
      CREATE TABLE hl7_subscriptions (
        id uuid PRIMARY KEY,
        branch_id uuid NOT NULL,
        name text NOT NULL,
        acknowledged_seq bigint NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (branch_id, name)
      );
      
    ALTER TABLE hl7_subscriptions ENABLE ROW LEVEL SECURITY;
    ALTER TABLE hl7_subscriptions FORCE ROW LEVEL SECURITY;
    CREATE POLICY branch_scope ON hl7_subscriptions
      USING (current_setting('hms.all_branches', true) = 'on'
             OR branch_id = nullif(current_setting('hms.branch_id', true), '')::uuid)
      WITH CHECK (current_setting('hms.all_branches', true) = 'on'
             OR branch_id = nullif(current_setting('hms.branch_id', true), '')::uuid);`);
  }

  async down(): Promise<void> {
    throw new Error('Wards migrations go forward only: write a new migration that undoes this one');
  }
}
