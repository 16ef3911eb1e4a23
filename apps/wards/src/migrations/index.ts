import { Wards1767225600100 } from './1767225600100-Wards';
import { Interop1767225600101 } from './1767225600101-Interop';
import { BranchScopePerStatement1767225600102 } from './1767225600102-BranchScopePerStatement';
import { GenderPolicyOverrides1767225600103 } from './1767225600103-GenderPolicyOverrides';

/** The wards service's schema changes. In the order they run; a new migration is added at the end, never edited in. */
export const wardsMigrations = [Wards1767225600100, Interop1767225600101, BranchScopePerStatement1767225600102, GenderPolicyOverrides1767225600103];
