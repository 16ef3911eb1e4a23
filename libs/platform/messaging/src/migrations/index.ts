import { Messaging1767225600001 } from './1767225600001-Messaging';
import { Messaging02DeadLetterBranch1767225600002 } from './1767225600002-Messaging02DeadLetterBranch';

/** Outbox, inbox and dead-letter tables every service keeps in its own schema. */
export const messagingMigrations = [Messaging1767225600001, Messaging02DeadLetterBranch1767225600002];
