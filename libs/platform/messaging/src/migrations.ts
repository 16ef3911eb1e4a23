import type { Migration } from '@hms/platform-persistence';

/** Outbox, inbox and dead-letter tables every service keeps in its own schema. */
export const messagingMigrations: Migration[] = [
  {
    id: '0000_messaging',
    up: `
      CREATE TABLE outbox (
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
      CREATE INDEX dead_letters_open ON dead_letters (parked_at) WHERE replayed_at IS NULL;
    `,
  },
  {
    id: '0000_messaging_02_dead_letter_branch',
    up: `
      -- Dead letters are listed per branch: a branch's admin sees those of events about their branch.
      ALTER TABLE dead_letters ADD COLUMN branch_id uuid;
      UPDATE dead_letters SET branch_id = (envelope->>'branchId')::uuid
        WHERE envelope->>'branchId' ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$';
      CREATE INDEX dead_letters_branch ON dead_letters (branch_id, id);
    `,
  },
];
