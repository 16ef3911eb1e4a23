import type { SchemaMigrationClass } from '@hms/platform-persistence';
import { messagingMigrations } from '@hms/platform-messaging';
import { Idempotency1767225600000 } from './migrations/1767225600000-Idempotency';

/** Tables every service has besides its own: messaging (outbox, inbox, dead letters) and idempotency keys. */
export const platformMigrations: SchemaMigrationClass[] = [Idempotency1767225600000, ...messagingMigrations];
