import { createHash } from 'node:crypto';
import { PatientDataAccessed, type PatientDataAccessedData } from '@hms/contracts-gateway';
import type { Caller } from '@hms/platform-auth';
import type { Outbox } from '@hms/platform-messaging';
import type { Database, Tx } from '@hms/platform-persistence';
import type { IdGenerator } from '@hms/platform-time';
import type { CoalescedReads, ReadCoalescingRepository } from '../data/read-coalescing.repository';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The patients whose data a response carries. The patients service answers with patients
 * (`id`); every other service names them in `patientId` fields.
 */
export function patientIdsIn(service: string, path: string, body: unknown): { ids: string[]; search: boolean } {
  const ids = new Set<string>();
  const direct = /^\/api\/v1\/patients\/([0-9a-f-]{36})(?:\/|$)/i.exec(path);
  if (service === 'patients' && direct && UUID.test(direct[1])) ids.add(direct[1].toLowerCase());
  const items = body && typeof body === 'object' && Array.isArray((body as { items?: unknown }).items) ? (body as { items: unknown[] }).items : null;
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

/** The patients named in a CSV export's `patientId` column (an export is a list, like a search). */
export function patientIdsInCsv(text: string): { ids: string[]; search: boolean } {
  const rows = parseCsv(text);
  const column = (rows[0] ?? []).indexOf('patientId');
  const ids = new Set<string>();
  if (column >= 0) {
    for (const row of rows.slice(1)) {
      const v = row[column]?.trim();
      if (v && UUID.test(v)) ids.add(v.toLowerCase());
    }
  }
  return { ids: [...ids], search: true };
}

/** RFC 4180 rows: quoted cells may hold commas, quotes (doubled) and line breaks. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += c;
  }
  if (cell || row.length) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
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

export interface ReadAccess {
  service: string;
  method: string;
  path: string;
  /** The request as sent, query included: only its hash is kept, never the query text. */
  url: string;
  status: number;
  ids: string[];
  search: boolean;
}

export interface ReadRecorderOptions {
  /** Identical reads by one user within this many seconds make one entry with a count (0: one entry each). */
  windowSeconds: number;
  onError?: (error: unknown) => void;
}

/**
 * Writes the gateway's record of each read of patient data, before the response leaves. A read
 * repeated by the same user (same request, same patients) within the window is counted instead
 * of recorded again; when the window closes, one more entry says how many repeats there were
 * and names the patients again. A screen polling the bed board every 2 s writes two entries a
 * minute instead of thirty, and every patient it showed is in the trail.
 */
export class ReadRecorder {
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> | null = null;

  constructor(
    private readonly db: Database,
    private readonly outbox: Outbox,
    private readonly windows: ReadCoalescingRepository,
    private readonly options: ReadRecorderOptions,
    private readonly ids: IdGenerator,
  ) {}

  start(): void {
    if (this.options.windowSeconds <= 0 || this.timer) return;
    const every = Math.min(5_000, Math.max(250, (this.options.windowSeconds * 1000) / 4));
    this.timer = setInterval(() => void this.flushDue(), every);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.flushing;
  }

  async record(caller: Caller, access: ReadAccess): Promise<void> {
    if (access.service === 'audit' || (!access.ids.length && !access.search)) return;
    const data: PatientDataAccessedData = {
      method: access.method,
      path: access.path,
      service: access.service,
      status: access.status,
      patientIds: access.ids,
      search: access.search,
      ...(access.search ? { resultCount: access.ids.length } : {}),
    };
    const window = this.options.windowSeconds;
    await this.db.transaction('all', async (tx) => {
      if (window <= 0) {
        await this.append(tx, caller, data);
        return;
      }
      const key = createHash('sha256')
        .update(JSON.stringify([caller.userId, caller.branchId, access.method, access.url, [...access.ids].sort()]))
        .digest('base64url');
      for (let attempt = 0; attempt < 2; attempt++) {
        const eventId = this.ids.next();
        const outcome = await this.windows.openOrCount(tx, {
          key,
          userId: caller.userId,
          branchId: caller.branchId,
          firstEventId: eventId,
          windowSeconds: window,
          data: { data, actorName: caller.name },
        });
        if (outcome === 'opened') {
          await this.append(tx, caller, data, eventId);
          return;
        }
        if (outcome === 'counted') return; // a repeat inside the window
        // The same read after its window closed: sum that window up, then start a new one.
        await this.flushRows(tx, await this.windows.take(tx, key));
      }
    });
  }

  /** Sums up every window that has closed. */
  flushDue(): Promise<void> {
    this.flushing ??= this.db
      .transaction('all', async (tx) => {
        await this.flushRows(tx, await this.windows.takeClosed(tx, 500));
      })
      .catch((error: unknown) => this.options.onError?.(error))
      .finally(() => {
        this.flushing = null;
      });
    return this.flushing;
  }

  private async flushRows(tx: Tx, rows: CoalescedReads[]): Promise<void> {
    for (const r of rows) {
      if (r.repeats <= 0) continue;
      const { data, actorName } = r.data;
      await this.outbox.append(
        tx,
        PatientDataAccessed,
        { ...data, repeats: r.repeats, firstReadEventId: r.firstEventId, windowSeconds: this.options.windowSeconds },
        { key: r.userId, branchId: r.branchId, actor: { type: 'user', id: r.userId, name: actorName } },
      );
    }
  }

  private append(tx: Tx, caller: Caller, data: PatientDataAccessedData, id?: string) {
    return this.outbox.append(tx, PatientDataAccessed, data, {
      id,
      key: caller.userId,
      branchId: caller.branchId,
      actor: { type: 'user', id: caller.userId, name: caller.name },
      correlationId: caller.correlationId,
    });
  }
}
