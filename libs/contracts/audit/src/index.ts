/** One entry of the audit trail as the audit API serves it. */
export interface AuditEntry {
  id: string;
  seq: number;
  eventId: string;
  type: string;
  source: string;
  occurredAt: string;
  recordedAt: string;
  branchId: string | null;
  actorId: string;
  actorType: 'user' | 'system';
  patientIds: string[];
  correlationId: string | null;
  data: unknown;
  hash: string;
}

export interface AuditVerification {
  valid: boolean;
  checked: number;
  firstInvalidId?: string;
  reason?: string;
}
