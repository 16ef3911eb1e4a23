import { Trail1767225600100 } from './1767225600100-Trail';
import { BranchScopePerStatement1767225600101 } from './1767225600101-BranchScopePerStatement';

/** The audit service's schema changes. In the order they run; a new migration is added at the end, never edited in. */
export const auditMigrations = [Trail1767225600100, BranchScopePerStatement1767225600101];
