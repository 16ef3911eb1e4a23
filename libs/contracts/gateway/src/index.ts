import { defineEvent, topicName } from '@hms/contracts-common';

export const ACCESS_TOPIC = topicName('gateway', 'access');
export const IDENTITY_TOPIC = topicName('gateway', 'identity');

/** The gateway's record of a read of patient data: who looked at what, from which branch. */
export interface PatientDataAccessedData {
  method: string;
  path: string;
  /** The service that answered, e.g. `patients`. */
  service: string;
  status: number;
  /** Patients whose data the response carried. */
  patientIds: string[];
  /** True for searches and lists, false for a read of one record. */
  search: boolean;
  /** Number of results for a search; never the query text, which may hold personal data. */
  resultCount?: number;
}

export interface BranchChangedData {
  branchId: string;
  code: string;
  name: string;
  active: boolean;
}

export interface UserChangedData {
  userId: string;
  email: string;
  active: boolean;
  memberships: { branchId: string; roles: string[] }[];
}

export interface UserSignedInData {
  userId: string;
  outcome: 'success' | 'failure';
}

export const PatientDataAccessed = defineEvent<PatientDataAccessedData>('gateway.access.patient-data-read', ACCESS_TOPIC);
export const BranchCreated = defineEvent<BranchChangedData>('gateway.branch.created', IDENTITY_TOPIC);
export const BranchUpdated = defineEvent<BranchChangedData>('gateway.branch.updated', IDENTITY_TOPIC);
export const UserCreated = defineEvent<UserChangedData>('gateway.user.created', IDENTITY_TOPIC);
export const UserUpdated = defineEvent<UserChangedData>('gateway.user.updated', IDENTITY_TOPIC);
export const UserSignedIn = defineEvent<UserSignedInData>('gateway.user.signed-in', IDENTITY_TOPIC);
