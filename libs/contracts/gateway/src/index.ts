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
  /**
   * Set on the entry that sums up repeats: the same read (same request, same patients) made
   * this many more times by the same user within `windowSeconds` after the read recorded as
   * `firstReadEventId` (a screen that polls writes one entry per window, not one per refresh).
   */
  repeats?: number;
  firstReadEventId?: string;
  windowSeconds?: number;
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
  /** Platform roles (platform-admin, platform-auditor): not tied to a branch. */
  platformRoles?: string[];
  homeBranchId?: string | null;
}

/** A role (a named set of branch permissions) was created or changed. */
export interface RoleChangedData {
  name: string;
  description: string;
  permissions: string[];
  /** The permissions before the change (empty for a new role). */
  previousPermissions: string[];
  created: boolean;
}

/** A user's password changed: by themselves, or reset by an administrator. Never the password itself. */
export interface PasswordChangedData {
  userId: string;
  by: 'self' | 'administrator';
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
export const RoleChanged = defineEvent<RoleChangedData>('gateway.role.changed', IDENTITY_TOPIC);
export const PasswordChanged = defineEvent<PasswordChangedData>('gateway.user.password-changed', IDENTITY_TOPIC);
