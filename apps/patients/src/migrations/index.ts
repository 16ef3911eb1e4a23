import { Patients1767225600100 } from './1767225600100-Patients';
import { TrgmLeakproof1767225600101 } from './1767225600101-TrgmLeakproof';
import { BranchScopePerStatement1767225600102 } from './1767225600102-BranchScopePerStatement';
import { DeathGuardianMedicoLegal1767225600103 } from './1767225600103-DeathGuardianMedicoLegal';

/** The patients service's schema changes. In the order they run; a new migration is added at the end, never edited in. */
export const patientsMigrations = [Patients1767225600100, TrgmLeakproof1767225600101, BranchScopePerStatement1767225600102, DeathGuardianMedicoLegal1767225600103];
