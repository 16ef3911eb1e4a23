import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Applied by the earlier runner as `0000_idempotency`; its SQL is frozen here as it ran then.
 */
export class Idempotency1767225600000 implements MigrationInterface {
  readonly name = 'Idempotency1767225600000';
  readonly legacyId = '0000_idempotency';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`      CREATE TABLE idempotency_keys (
        user_id text NOT NULL,
        branch_id uuid NOT NULL,
        key text NOT NULL,
        method text NOT NULL,
        path text NOT NULL,
        request_hash text NOT NULL,
        status int,
        response jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        completed_at timestamptz,
        PRIMARY KEY (user_id, branch_id, key)
      );
      CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);`);
  }

  async down(): Promise<void> {
    throw new Error('Platform migrations go forward only: write a new migration that undoes this one');
  }
}
