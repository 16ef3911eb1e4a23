import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Applied by the earlier runner as `0001_trail`; its SQL is frozen here as it ran then.
 */
export class Trail1767225600100 implements MigrationInterface {
  readonly name = 'Trail1767225600100';
  readonly legacyId = '0001_trail';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`      CREATE TABLE entries (
        seq bigint PRIMARY KEY,
        id uuid NOT NULL UNIQUE,
        event_id uuid NOT NULL UNIQUE,
        type text NOT NULL,
        source text NOT NULL,
        occurred_at timestamptz NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now(),
        branch_id uuid,
        actor_type text NOT NULL,
        actor_id text NOT NULL,
        patient_ids uuid[] NOT NULL DEFAULT '{}',
        correlation_id text,
        data jsonb NOT NULL,
        prev_hash text NOT NULL,
        hash text NOT NULL
      );
      
    ALTER TABLE entries ENABLE ROW LEVEL SECURITY;
    ALTER TABLE entries FORCE ROW LEVEL SECURITY;
    CREATE POLICY branch_scope ON entries
      USING (current_setting('hms.all_branches', true) = 'on'
             OR branch_id = nullif(current_setting('hms.branch_id', true), '')::uuid)
      WITH CHECK (current_setting('hms.all_branches', true) = 'on'
             OR branch_id = nullif(current_setting('hms.branch_id', true), '')::uuid);
      CREATE INDEX entries_patients ON entries USING gin (patient_ids);
      CREATE INDEX entries_actor ON entries (actor_id, seq);
      CREATE INDEX entries_type ON entries (type, seq);
      CREATE INDEX entries_occurred ON entries (occurred_at);
      CREATE INDEX entries_branch_seq ON entries (branch_id, seq);

      -- The last link of the chain, so that deleting the newest entries is detected too.
      CREATE TABLE chain_head (
        id int PRIMARY KEY CHECK (id = 1),
        seq bigint NOT NULL,
        hash text NOT NULL
      );
      INSERT INTO chain_head (id, seq, hash) VALUES (1, 0, repeat('0', 64));

      -- Append-only: the service role may insert and read entries, never change or remove them,
      -- and a trigger refuses it for everyone else short of disabling triggers.
      REVOKE UPDATE, DELETE, TRUNCATE ON entries FROM "hms_audit";
      CREATE FUNCTION refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit entries are append-only' USING ERRCODE = 'insufficient_privilege';
      END $$;
      CREATE TRIGGER entries_append_only BEFORE UPDATE OR DELETE ON entries FOR EACH ROW EXECUTE FUNCTION refuse_change();
      CREATE TRIGGER entries_no_truncate BEFORE TRUNCATE ON entries FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();`);
  }

  async down(): Promise<void> {
    throw new Error('Audit migrations go forward only: write a new migration that undoes this one');
  }
}
