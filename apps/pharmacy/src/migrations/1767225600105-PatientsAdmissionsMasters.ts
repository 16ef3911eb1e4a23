import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Applied by the earlier runner as `0006_patients_admissions_masters`; its SQL is frozen here as it ran then.
 *
 * Supplies are charged to patients and admissions the pharmacy knows from the patients and
 * wards services' events; masters are edited with If-Match and deactivated, never deleted;
 * a store sets the shelf life a batch must have left when it arrives.
 */
export class PatientsAdmissionsMasters1767225600105 implements MigrationInterface {
  readonly name = 'PatientsAdmissionsMasters1767225600105';
  readonly legacyId = '0006_patients_admissions_masters';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`      -- Patients as the patients service's events describe them. A merged-away record keeps its
      -- row, pointing at the record it was merged into. Versions make late or repeated events
      -- harmless; name and UHID are null only for a record known so far from a merge alone.
      CREATE TABLE patients (
        patient_id uuid PRIMARY KEY,
        branch_id uuid NOT NULL,
        uhid text,
        name text,
        status text NOT NULL CHECK (status IN ('active', 'merged')),
        merged_into uuid,
        merged_into_uhid text,
        version int NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK (status = 'merged' OR merged_into IS NULL)
      );
      
      ALTER TABLE patients ENABLE ROW LEVEL SECURITY;
      ALTER TABLE patients FORCE ROW LEVEL SECURITY;
      CREATE POLICY branch_scope ON patients
        USING ((SELECT current_setting('hms.all_branches', true)) = 'on'
               OR branch_id = (SELECT nullif(current_setting('hms.branch_id', true), '')::uuid))
        WITH CHECK ((SELECT current_setting('hms.all_branches', true)) = 'on'
               OR branch_id = (SELECT nullif(current_setting('hms.branch_id', true), '')::uuid));
      CREATE INDEX patients_merged_into ON patients (merged_into) WHERE merged_into IS NOT NULL;

      -- Admissions as the wards service's events describe them. event_at is the time of the last
      -- event applied (admitted, transferred, discharged): an older one changes nothing, and a
      -- discharge is final.
      CREATE TABLE admissions (
        admission_id uuid PRIMARY KEY,
        branch_id uuid NOT NULL,
        patient_id uuid NOT NULL,
        ip_number text NOT NULL,
        status text NOT NULL CHECK (status IN ('admitted', 'discharged')),
        admitted_at timestamptz,
        discharged_at timestamptz,
        ward_id uuid,
        ward_code text,
        bed_code text,
        event_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((status = 'discharged') = (discharged_at IS NOT NULL))
      );
      
      ALTER TABLE admissions ENABLE ROW LEVEL SECURITY;
      ALTER TABLE admissions FORCE ROW LEVEL SECURITY;
      CREATE POLICY branch_scope ON admissions
        USING ((SELECT current_setting('hms.all_branches', true)) = 'on'
               OR branch_id = (SELECT nullif(current_setting('hms.branch_id', true), '')::uuid))
        WITH CHECK ((SELECT current_setting('hms.all_branches', true)) = 'on'
               OR branch_id = (SELECT nullif(current_setting('hms.branch_id', true), '')::uuid));
      CREATE INDEX admissions_patient ON admissions (branch_id, patient_id);

      -- Masters carry a version for If-Match, and suppliers can be deactivated like items and stores.
      ALTER TABLE items ADD COLUMN version int NOT NULL DEFAULT 1;
      ALTER TABLE stores ADD COLUMN version int NOT NULL DEFAULT 1;
      ALTER TABLE suppliers ADD COLUMN version int NOT NULL DEFAULT 1;
      ALTER TABLE suppliers ADD COLUMN retired_at timestamptz;
      -- Days of shelf life a batch must have left on the day it is received (0: not expired).
      ALTER TABLE stores ADD COLUMN min_shelf_life_days int NOT NULL DEFAULT 0 CHECK (min_shelf_life_days BETWEEN 0 AND 3650);

      -- A name of white space only is no name. NOT VALID: checked for new and changed rows only.
      ALTER TABLE items ADD CONSTRAINT items_text_not_blank
        CHECK (generic_name ~ '\\S' AND form ~ '\\S' AND unit ~ '\\S' AND (brand_name IS NULL OR brand_name ~ '\\S')) NOT VALID;
      ALTER TABLE stores ADD CONSTRAINT stores_name_not_blank CHECK (name ~ '\\S') NOT VALID;
      ALTER TABLE suppliers ADD CONSTRAINT suppliers_name_not_blank CHECK (name ~ '\\S') NOT VALID;

      -- 40% is a GST slab from 22 Sep 2025; which rate is in force on which date the service checks.
      ALTER TABLE item_gst_rates DROP CONSTRAINT item_gst_rates_rate_bp_check;
      ALTER TABLE item_gst_rates ADD CONSTRAINT item_gst_rates_rate_bp_check CHECK (rate_bp BETWEEN 0 AND 4000);

      -- A stay's supplies, and goods receipts newest first.
      CREATE INDEX dispenses_admission ON dispenses (branch_id, admission_id, dispensed_at) WHERE admission_id IS NOT NULL;
      CREATE INDEX goods_receipts_received ON goods_receipts (branch_id, received_at, id);`);
  }

  async down(): Promise<void> {
    throw new Error('Pharmacy migrations go forward only: write a new migration that undoes this one');
  }
}
