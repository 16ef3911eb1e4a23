import { PatientDataAccessed } from '@hms/contracts-gateway';
import type { Caller } from '@hms/platform-auth';
import type { Outbox } from '@hms/platform-messaging';
import type { Database } from '@hms/platform-persistence';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The patients whose data a response carries. The patients service answers with patients
 * (`id`); every other service names them in `patientId` fields.
 */
export function patientIdsIn(service: string, path: string, body: unknown): { ids: string[]; search: boolean } {
  const ids = new Set<string>();
  const direct = /^\/api\/v1\/patients\/([0-9a-f-]{36})(?:\/|$)/i.exec(path);
  if (service === 'patients' && direct && UUID.test(direct[1])) ids.add(direct[1].toLowerCase());
  const items = body && typeof body === 'object' && Array.isArray((body as { items?: unknown }).items) ? ((body as { items: unknown[] }).items) : null;
  const records = items ?? (body && typeof body === 'object' ? [body] : []);
  for (const record of records) {
    if (!record || typeof record !== 'object') continue;
    const r = record as Record<string, unknown>;
    if (service === 'patients' && typeof r.id === 'string' && UUID.test(r.id)) ids.add(r.id);
  }
  // Other services name patients in `patientId` fields at any depth (a bed board nests them).
  collectPatientIds(body, ids, 0);
  return { ids: [...ids], search: items !== null };
}

function collectPatientIds(value: unknown, ids: Set<string>, depth: number): void {
  if (depth > 8 || !value || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    for (const v of value) collectPatientIds(v, ids, depth + 1);
    return;
  }
  for (const [k, v] of Object.entries(value)) {
    if (k === 'patientId' && typeof v === 'string' && UUID.test(v)) ids.add(v.toLowerCase());
    // FHIR resources name their patient as a reference: `subject: { reference: "Patient/<id>" }`.
    else if (k === 'reference' && typeof v === 'string' && v.startsWith('Patient/') && UUID.test(v.slice(8))) ids.add(v.slice(8).toLowerCase());
    else if (typeof v === 'object') collectPatientIds(v, ids, depth + 1);
  }
}

/** Writes the gateway's record of a read of patient data, before the response leaves. */
export async function recordAccess(
  db: Database,
  outbox: Outbox,
  caller: Caller,
  access: { service: string; method: string; path: string; status: number; body: unknown },
): Promise<void> {
  if (access.service === 'audit') return;
  const { ids, search } = patientIdsIn(access.service, access.path, access.body);
  if (!ids.length && !search) return;
  await db.transaction('all', (tx) =>
    outbox.append(
      tx,
      PatientDataAccessed,
      {
        method: access.method,
        path: access.path,
        service: access.service,
        status: access.status,
        patientIds: ids,
        search,
        ...(search ? { resultCount: ids.length } : {}),
      },
      {
        key: caller.userId,
        branchId: caller.branchId,
        actor: { type: 'user', id: caller.userId, name: caller.name },
        correlationId: caller.correlationId,
      },
    ),
  );
}
