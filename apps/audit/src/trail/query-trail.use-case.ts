import { Injectable } from '@nestjs/common';
import type { AuditEntry } from '@hms/contracts-audit';
import type { Caller } from '@hms/platform-auth';
import type { Page, PageRequest } from '@hms/platform-http';
import { Database } from '@hms/platform-persistence';
import { scopeOf } from '@hms/platform-service';
import type { AuditEntryEntity } from '../data/audit-entry.entity';
import { AuditTrailRepository, type TrailFilter } from '../data/audit-trail.repository';
import { auditError } from '../domain/errors';

/** Who did what to which patient: a page of the caller's branch's trail, newest first. */
@Injectable()
export class QueryTrailUseCase {
  constructor(
    private readonly db: Database,
    private readonly trail: AuditTrailRepository,
  ) {}

  async execute(caller: Caller, filter: TrailFilter, page: PageRequest): Promise<Page<AuditEntry>> {
    if (filter.from && filter.to && filter.from > filter.to) {
      throw auditError('validation', 'validation-failed', 'from must not be after to', {}, [{ field: 'from', message: 'must not be after to' }]);
    }
    const entries = await this.db.transaction(scopeOf(caller), (tx) => this.trail.findPage(tx, filter, page), { readOnly: true });
    return { ...entries, items: entries.items.map(toAuditEntry) };
  }
}

function toAuditEntry(entry: AuditEntryEntity): AuditEntry {
  return {
    id: entry.id,
    seq: entry.seq,
    eventId: entry.eventId,
    type: entry.type,
    source: entry.source,
    occurredAt: entry.occurredAt.toISOString(),
    recordedAt: entry.recordedAt.toISOString(),
    branchId: entry.branchId,
    actorId: entry.actorId,
    actorType: entry.actorType,
    patientIds: entry.patientIds,
    correlationId: entry.correlationId,
    data: entry.data,
    hash: entry.hash,
  };
}
