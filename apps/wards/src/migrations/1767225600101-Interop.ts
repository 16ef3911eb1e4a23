import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Applied by the earlier runner as `0002_interop`; its SQL is frozen here as it ran then.
 */
export class Interop1767225600101 implements MigrationInterface {
  readonly name = 'Interop1767225600101';
  readonly legacyId = '0002_interop';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`      -- Branches, as the gateway's identity events describe them: HL7 messages name the branch by code.
      CREATE TABLE branches (
        branch_id uuid PRIMARY KEY,
        code text NOT NULL,
        name text NOT NULL,
        active boolean NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      
    ALTER TABLE branches ENABLE ROW LEVEL SECURITY;
    ALTER TABLE branches FORCE ROW LEVEL SECURITY;
    CREATE POLICY branch_scope ON branches
      USING (current_setting('hms.all_branches', true) = 'on'
             OR branch_id = nullif(current_setting('hms.branch_id', true), '')::uuid)
      WITH CHECK (current_setting('hms.all_branches', true) = 'on'
             OR branch_id = nullif(current_setting('hms.branch_id', true), '')::uuid);

      -- The feed is read per branch in sequence order, and per admission.
      CREATE INDEX hl7_messages_branch_seq ON hl7_messages (branch_id, seq);
      CREATE INDEX hl7_messages_admission ON hl7_messages (admission_id, seq);
      CREATE UNIQUE INDEX hl7_messages_control_id ON hl7_messages (control_id);
      ALTER TABLE hl7_messages ADD CONSTRAINT hl7_messages_trigger_event CHECK (trigger_event IN ('A01', 'A02', 'A03'));
      ALTER TABLE hl7_subscriptions ADD CONSTRAINT hl7_subscriptions_cursor CHECK (acknowledged_seq >= 0);
      ALTER TABLE hl7_subscriptions ADD CONSTRAINT hl7_subscriptions_name CHECK (length(name) BETWEEN 1 AND 100);`);
  }

  async down(): Promise<void> {
    throw new Error('Wards migrations go forward only: write a new migration that undoes this one');
  }
}
