import { Injectable } from '@nestjs/common';
import { ArrayContains, Between, LessThanOrEqual, Like, MoreThan, MoreThanOrEqual, type FindOptionsWhere } from 'typeorm';
import { toPage, type Page, type PageRequest } from '@hms/platform-http';
import type { Tx } from '@hms/platform-persistence';
import type { ChainHead, ChainLink } from '../domain/hash-chain';
import { AuditEntryEntity } from './audit-entry.entity';
import { ChainHeadEntity } from './chain-head.entity';

/** What the trail can be searched by; every part optional, all given parts must hold. */
export interface TrailFilter {
  patientId?: string;
  actorId?: string;
  /** An exact event type, or a prefix ending in `*`. */
  type?: string;
  /** Occurred at or after. */
  from?: Date;
  /** Occurred at or before. */
  to?: Date;
}

/** The chain head is one row. */
const HEAD_ID = 1;

/** The JSON null literal: TypeORM writes a JavaScript null as SQL NULL, which `data` refuses. */
const JSON_NULL = () => `'null'::jsonb`;

/**
 * The audit trail (table `entries`) and the head of its hash chain (`chain_head`). Entries are
 * only ever appended; what is read back is exactly what the chain hashed (see `linkOf`).
 */
@Injectable()
export class AuditTrailRepository {
  /**
   * The head of the chain, locked until the transaction ends: the lock orders appends, one link
   * at a time, in commit order.
   */
  async lockHead(tx: Tx): Promise<ChainHead> {
    const head = await tx.one<{ seq: string; hash: string }>('SELECT seq, hash FROM chain_head WHERE id = $1 FOR UPDATE', [HEAD_ID]);
    return { seq: Number(head.seq), hash: head.hash };
  }

  /** The head of the chain as last committed (or as of a repeatable-read snapshot). */
  async head(tx: Tx): Promise<ChainHead> {
    const { seq, hash } = await tx.manager.findOneByOrFail(ChainHeadEntity, { id: HEAD_ID });
    return { seq, hash };
  }

  /** Appends `link` to the trail and moves the head to it; the caller holds the head's lock (`lockHead`). */
  async append(tx: Tx, link: ChainLink): Promise<void> {
    await tx.manager.insert(AuditEntryEntity, {
      seq: link.seq,
      id: link.id,
      eventId: link.eventId,
      type: link.type,
      source: link.source,
      occurredAt: new Date(link.occurredAt),
      branchId: link.branchId,
      actorType: link.actorType,
      actorId: link.actorId,
      patientIds: link.patientIds,
      correlationId: link.correlationId,
      data: link.data === null ? JSON_NULL : link.data,
      prevHash: link.prevHash,
      hash: link.hash,
    });
    await tx.manager.update(ChainHeadEntity, { id: HEAD_ID }, { seq: link.seq, hash: link.hash });
  }

  /** One page of the entries `filter` selects, newest first (the branch's only, by row-level security). */
  async findPage(tx: Tx, filter: TrailFilter, page: PageRequest): Promise<Page<AuditEntryEntity>> {
    const entries = await tx.manager.find(AuditEntryEntity, {
      where: whereOf(filter),
      order: { seq: 'DESC' },
      skip: page.offset,
      take: page.limit + 1,
    });
    return toPage(entries, page);
  }

  /** Up to `limit` links of the chain after entry `seq`, in order. */
  async linksAfter(tx: Tx, seq: number, limit: number): Promise<ChainLink[]> {
    const entries = await tx.manager.find(AuditEntryEntity, { where: { seq: MoreThan(seq) }, order: { seq: 'ASC' }, take: limit });
    return entries.map(linkOf);
  }
}

function whereOf(filter: TrailFilter): FindOptionsWhere<AuditEntryEntity> {
  const where: FindOptionsWhere<AuditEntryEntity> = {};
  if (filter.patientId) where.patientIds = ArrayContains([filter.patientId]);
  if (filter.actorId) where.actorId = filter.actorId;
  if (filter.type) where.type = filter.type.endsWith('*') ? Like(`${escapeLike(filter.type.slice(0, -1))}%`) : filter.type;
  if (filter.from && filter.to) where.occurredAt = Between(filter.from, filter.to);
  else if (filter.from) where.occurredAt = MoreThanOrEqual(filter.from);
  else if (filter.to) where.occurredAt = LessThanOrEqual(filter.to);
  return where;
}

/** A LIKE pattern matching `text` literally (backslash is PostgreSQL's default escape). */
const escapeLike = (text: string) => text.replace(/[%_\\]/g, '\\$&');

/**
 * The chained fields of a stored entry, exactly as they were hashed when it was appended: seq as
 * a number, the instant as an ISO string, the payload as jsonb gives it back; nothing else (the
 * hash covers every field it is given).
 */
function linkOf(entry: AuditEntryEntity): ChainLink {
  return {
    seq: entry.seq,
    id: entry.id,
    eventId: entry.eventId,
    type: entry.type,
    source: entry.source,
    occurredAt: entry.occurredAt.toISOString(),
    branchId: entry.branchId,
    actorType: entry.actorType,
    actorId: entry.actorId,
    patientIds: entry.patientIds,
    correlationId: entry.correlationId,
    data: entry.data,
    prevHash: entry.prevHash,
    hash: entry.hash,
  };
}
