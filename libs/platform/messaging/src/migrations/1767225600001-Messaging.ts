import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Applied by the earlier runner as `0000_messaging`; its SQL is frozen here as it ran then.
 */
export class Messaging1767225600001 implements MigrationInterface {
  readonly name = 'Messaging1767225600001';
  readonly legacyId = '0000_messaging';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`      CREATE TABLE outbox (
        seq bigserial PRIMARY KEY,
        event_id uuid NOT NULL UNIQUE,
        topic text NOT NULL,
        key text NOT NULL,
        envelope jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        published_at timestamptz
      );
      CREATE INDEX outbox_unpublished ON outbox (seq) WHERE published_at IS NULL;

      CREATE TABLE inbox (
        consumer_group text NOT NULL,
        event_id uuid NOT NULL,
        processed_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (consumer_group, event_id)
      );

      CREATE TABLE dead_letters (
        id bigserial PRIMARY KEY,
        consumer_group text NOT NULL,
        topic text NOT NULL,
        event_id uuid,
        event_type text,
        envelope jsonb NOT NULL,
        error text NOT NULL,
        attempts int NOT NULL,
        parked_at timestamptz NOT NULL DEFAULT now(),
        replayed_at timestamptz
      );
      CREATE INDEX dead_letters_open ON dead_letters (parked_at) WHERE replayed_at IS NULL;`);
  }

  async down(): Promise<void> {
    throw new Error('Messaging migrations go forward only: write a new migration that undoes this one');
  }
}
