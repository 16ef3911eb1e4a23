import { Injectable, OnModuleInit } from '@nestjs/common';
import { DomainError, patientRefsOf, type EventEnvelope } from '@hms/contracts-common';
import type { AuditEntry, AuditVerification } from '@hms/contracts-audit';
import type { Caller } from '@hms/platform-auth';
import { toPage, type Page, type PageRequest } from '@hms/platform-http';
import { EventConsumer } from '@hms/platform-messaging';
import { Database, uuidv7, type BranchScope, type Tx } from '@hms/platform-persistence';
import { GENESIS_HASH, checkRun, entryHash, type ChainedFields } from './hash-chain';

interface EntryRow {
  seq: string;
  id: string;
  event_id: string;
  type: string;
  source: string;
  occurred_at: Date;
  recorded_at: Date;
  branch_id: string | null;
  actor_type: 'user' | 'system';
  actor_id: string;
  patient_ids: string[];
  correlation_id: string | null;
  data: unknown;
  prev_hash: string;
  hash: string;
}

export interface AuditQuery {
  patientId?: string;
  actorId?: string;
  type?: string;
  from?: Date;
  to?: Date;
}

const VERIFY_BATCH = 5000;

function fieldsOf(r: EntryRow): ChainedFields {
  return {
    seq: Number(r.seq),
    id: r.id,
    eventId: r.event_id,
    type: r.type,
    source: r.source,
    occurredAt: r.occurred_at.toISOString(),
    branchId: r.branch_id,
    actorType: r.actor_type,
    actorId: r.actor_id,
    patientIds: r.patient_ids,
    correlationId: r.correlation_id,
    data: r.data,
  };
}

/**
 * The audit trail: every event of every service (and the gateway's record of reads), appended
 * in one hash chain. Entries are written in the consumer's transaction with the inbox row, so a
 * redelivered event is never appended twice.
 */
@Injectable()
export class AuditTrailService implements OnModuleInit {
  constructor(
    private readonly db: Database,
    private readonly consumer: EventConsumer,
  ) {}

  onModuleInit(): void {
    this.consumer.onAny((envelope, tx) => this.append(tx, envelope));
  }

  async append(tx: Tx, envelope: EventEnvelope): Promise<void> {
    // The head row's lock orders appends: one link at a time, in commit order.
    const head = await tx.one<{ seq: string; hash: string }>('SELECT seq, hash FROM chain_head WHERE id = 1 FOR UPDATE');
    const fields: ChainedFields = {
      seq: Number(head.seq) + 1,
      id: uuidv7(),
      eventId: envelope.id,
      type: envelope.type,
      source: envelope.source,
      occurredAt: new Date(envelope.occurredAt).toISOString(),
      branchId: envelope.branchId ?? null,
      actorType: envelope.actor?.type === 'user' ? 'user' : 'system',
      actorId: envelope.actor?.id ?? 'unknown',
      patientIds: patientRefsOf(envelope),
      correlationId: envelope.correlationId ?? null,
      data: envelope.data ?? null,
    };
    // Round-trip the payload through JSON so the hash covers exactly what jsonb gives back.
    fields.data = JSON.parse(JSON.stringify(fields.data));
    const hash = entryHash(head.hash, fields);
    await tx.query(
      `INSERT INTO entries (seq, id, event_id, type, source, occurred_at, branch_id, actor_type, actor_id, patient_ids, correlation_id, data, prev_hash, hash)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
      [
        fields.seq,
        fields.id,
        fields.eventId,
        fields.type,
        fields.source,
        fields.occurredAt,
        fields.branchId,
        fields.actorType,
        fields.actorId,
        fields.patientIds,
        fields.correlationId,
        JSON.stringify(fields.data),
        head.hash,
        hash,
      ],
    );
    await tx.query('UPDATE chain_head SET seq = $1, hash = $2 WHERE id = 1', [fields.seq, hash]);
  }

  async query(caller: Caller, filter: AuditQuery, page: PageRequest): Promise<Page<AuditEntry>> {
    if (filter.from && filter.to && filter.from > filter.to) {
      throw new DomainError('validation', 'validation-failed', 'from must not be after to', {}, [{ field: 'from', message: 'must not be after to' }]);
    }
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (filter.patientId) add('patient_ids @> ARRAY[?]::uuid[]', filter.patientId);
    if (filter.actorId) add('actor_id = ?', filter.actorId);
    if (filter.type) {
      if (filter.type.endsWith('*')) add("type LIKE ? || '%'", filter.type.slice(0, -1).replace(/[%_\\]/g, '\\$&'));
      else add('type = ?', filter.type);
    }
    if (filter.from) add('occurred_at >= ?', filter.from);
    if (filter.to) add('occurred_at <= ?', filter.to);
    params.push(page.limit + 1, page.offset);
    const rows = await this.db.transaction(
      { branchId: caller.branchId },
      (tx) =>
        tx.query<EntryRow>(
          `SELECT * FROM entries ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq DESC LIMIT $${params.length - 1} OFFSET $${params.length}`,
          params,
        ),
      { readOnly: true },
    );
    const result = toPage(rows, page);
    return { ...result, items: result.items.map(toEntry) };
  }

  /**
   * Walks the whole chain in order and reports the first entry that does not hold. The chain is
   * one for every branch, so a break anywhere makes it invalid for all; what a branch's auditor
   * is told beyond that is their branch's: how many of its entries were checked, and which entry
   * broke only if it is one of theirs. A platform auditor (`scope` 'all') gets every figure.
   */
  async verify(scope: BranchScope): Promise<AuditVerification> {
    const counts = (rows: EntryRow[]) => (scope === 'all' ? rows.length : rows.filter((r) => r.branch_id === scope.branchId).length);
    return this.db.transaction(
      'all',
      async (tx) => {
        let previous = { seq: 0, hash: GENESIS_HASH };
        let checked = 0;
        for (;;) {
          const rows = await tx.query<EntryRow>('SELECT * FROM entries WHERE seq > $1 ORDER BY seq LIMIT $2', [previous.seq, VERIFY_BATCH]);
          if (!rows.length) break;
          const run = checkRun(
            previous,
            rows.map((r) => ({ ...fieldsOf(r), prevHash: r.prev_hash, hash: r.hash })),
          );
          const problem = run.problem;
          const bad = problem ? rows.findIndex((r) => r.id === problem.id) : -1;
          checked += counts(problem ? rows.slice(0, bad) : rows);
          if (problem) {
            const row = rows[bad] as EntryRow | undefined;
            const theirs = scope === 'all' || (row !== undefined && row.branch_id === scope.branchId);
            return theirs
              ? { valid: false, checked, firstInvalidId: problem.id, reason: problem.reason }
              : { valid: false, checked, reason: 'the chain breaks at an entry of another branch (a platform auditor sees which)' };
          }
          previous = run.last;
        }
        const head = await tx.one<{ seq: string; hash: string }>('SELECT seq, hash FROM chain_head WHERE id = 1');
        if (Number(head.seq) !== previous.seq || head.hash !== previous.hash) {
          return { valid: false, checked, reason: `the chain should end at entry ${head.seq} but ends at ${previous.seq}: newest entries were removed` };
        }
        return { valid: true, checked };
      },
      { isolation: 'repeatable read', readOnly: true },
    );
  }
}

function toEntry(r: EntryRow): AuditEntry {
  return {
    id: r.id,
    seq: Number(r.seq),
    eventId: r.event_id,
    type: r.type,
    source: r.source,
    occurredAt: r.occurred_at.toISOString(),
    recordedAt: r.recorded_at.toISOString(),
    branchId: r.branch_id,
    actorId: r.actor_id,
    actorType: r.actor_type,
    patientIds: r.patient_ids,
    correlationId: r.correlation_id,
    data: r.data,
    hash: r.hash,
  };
}
