import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Applied by the earlier runner as `0004_gender_policy_overrides`; its SQL is frozen here as it ran then.
 */
export class GenderPolicyOverrides1767225600103 implements MigrationInterface {
  readonly name = 'GenderPolicyOverrides1767225600103';
  readonly legacyId = '0004_gender_policy_overrides';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`      -- A placement into a ward whose gender policy the patient's recorded sex does not fit, made
      -- on purpose: who decided, when and why. At most one per bed stay; never changed afterwards.
      CREATE TABLE gender_policy_overrides (
        bed_stay_id uuid PRIMARY KEY REFERENCES bed_stays (id),
        branch_id uuid NOT NULL,
        admission_id uuid NOT NULL REFERENCES admissions (id),
        ward_policy text NOT NULL CHECK (ward_policy IN ('male', 'female')),
        patient_sex text NOT NULL,
        reason text NOT NULL CHECK (length(reason) BETWEEN 1 AND 500),
        actor_id text NOT NULL,
        actor_name text,
        at timestamptz NOT NULL
      );
      ALTER TABLE gender_policy_overrides ENABLE ROW LEVEL SECURITY;
      ALTER TABLE gender_policy_overrides FORCE ROW LEVEL SECURITY;
      CREATE POLICY branch_scope ON gender_policy_overrides
        USING ((SELECT current_setting('hms.all_branches', true)) = 'on'
               OR branch_id = (SELECT nullif(current_setting('hms.branch_id', true), '')::uuid))
        WITH CHECK ((SELECT current_setting('hms.all_branches', true)) = 'on'
               OR branch_id = (SELECT nullif(current_setting('hms.branch_id', true), '')::uuid));
      CREATE INDEX gender_policy_overrides_admission ON gender_policy_overrides (admission_id);
      REVOKE UPDATE, DELETE, TRUNCATE ON gender_policy_overrides FROM "hms_wards";`);
  }

  async down(): Promise<void> {
    throw new Error('Wards migrations go forward only: write a new migration that undoes this one');
  }
}
