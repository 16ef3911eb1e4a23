import { Identity1767225600100 } from './1767225600100-Identity';
import { PlatformRolesSessionsThrottle1767225600101 } from './1767225600101-PlatformRolesSessionsThrottle';

/** The gateway service's schema changes. In the order they run; a new migration is added at the end, never edited in. */
export const gatewayMigrations = [Identity1767225600100, PlatformRolesSessionsThrottle1767225600101];
