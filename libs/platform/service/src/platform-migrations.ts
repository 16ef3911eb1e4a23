import type { Migration } from '@hms/platform-persistence';
import { messagingMigrations } from '@hms/platform-messaging';

/** Tables every service has besides its own: messaging (outbox, inbox, dead letters) and idempotency keys. */
export const platformMigrations: Migration[] = [
  ...messagingMigrations,
  {
    id: '0000_idempotency',
    up: `
      CREATE TABLE idempotency_keys (
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
      CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);
    `,
  },
];
