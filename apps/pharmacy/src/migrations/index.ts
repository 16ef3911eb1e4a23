import { Pharmacy1767225600100 } from './1767225600100-Pharmacy';
import { StockOperations1767225600101 } from './1767225600101-StockOperations';
import { ItemsByName1767225600102 } from './1767225600102-ItemsByName';
import { BranchScopePerStatement1767225600103 } from './1767225600103-BranchScopePerStatement';
import { KeepDispenses1767225600104 } from './1767225600104-KeepDispenses';
import { PatientsAdmissionsMasters1767225600105 } from './1767225600105-PatientsAdmissionsMasters';

/** The pharmacy service's schema changes. In the order they run; a new migration is added at the end, never edited in. */
export const pharmacyMigrations = [Pharmacy1767225600100, StockOperations1767225600101, ItemsByName1767225600102, BranchScopePerStatement1767225600103, KeepDispenses1767225600104, PatientsAdmissionsMasters1767225600105];
