import { Injectable } from '@nestjs/common';
import type { Tx } from '@hms/platform-persistence';
import { AdmissionEntity } from './admissions.entity';
import { refusingDuplicate } from './columns';
import { Hl7MessageEntity } from './hl7-messages.entity';
import { Hl7SubscriptionEntity } from './hl7-subscriptions.entity';
import { conflict } from '../domain/errors';

/** A message of the feed with the admission it is about (only the patient's id is read of it). */
export type FeedMessage = Hl7MessageEntity & { admission?: Pick<AdmissionEntity, 'id' | 'patientId'> | null };

/** The HL7 v2 ADT feed: its messages, in sequence per branch, and the subscriptions reading it. */
@Injectable()
export class Hl7FeedRepository {
  /** Inserts the subscription and reads it back as the database completed it (cursor 0, created now); 409 when the name is taken. */
  async insertSubscription(tx: Tx, s: Pick<Hl7SubscriptionEntity, 'id' | 'branchId' | 'name'>): Promise<Hl7SubscriptionEntity> {
    await refusingDuplicate(
      'hl7_subscriptions_branch_id_name_key',
      () => tx.manager.insert(Hl7SubscriptionEntity, s),
      () => conflict('subscription-name-taken', `A subscription named ${s.name} exists already in this branch`),
    );
    return tx.manager.findOneOrFail(Hl7SubscriptionEntity, { where: { id: s.id } });
  }

  /** A page of the branch's subscriptions by name (`limit` rows at most; ties by id). */
  subscriptions(tx: Tx, branchId: string, limit: number, offset: number): Promise<Hl7SubscriptionEntity[]> {
    return tx.manager.find(Hl7SubscriptionEntity, { where: { branchId }, order: { name: 'ASC', id: 'ASC' }, take: limit, skip: offset });
  }

  /** One subscription of the branch, locked when it is to move. */
  subscription(tx: Tx, id: string, branchId: string, lock = false): Promise<Hl7SubscriptionEntity | null> {
    return tx.manager.findOne(Hl7SubscriptionEntity, { where: { id, branchId }, ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}) });
  }

  async moveCursor(tx: Tx, id: string, upToSeq: number): Promise<void> {
    await tx.manager.update(Hl7SubscriptionEntity, { id }, { acknowledgedSeq: upToSeq });
  }

  /** Messages of the branch after `afterSeq`, oldest first, at most `limit`. */
  messagesAfter(tx: Tx, branchId: string, afterSeq: number, limit: number): Promise<FeedMessage[]> {
    return this.messages(tx)
      .where('m.branchId = :branchId AND m.seq > :afterSeq', { branchId, afterSeq })
      .orderBy('m.seq')
      .limit(limit)
      .getMany();
  }

  messagesOfAdmission(tx: Tx, branchId: string, admissionId: string): Promise<FeedMessage[]> {
    return this.messages(tx).where('m.branchId = :branchId AND m.admissionId = :admissionId', { branchId, admissionId }).orderBy('m.seq').getMany();
  }

  /** Messages with the patient their admission names, so the gateway's access trail records the read. */
  private messages(tx: Tx) {
    return tx.manager
      .createQueryBuilder(Hl7MessageEntity, 'm')
      .leftJoinAndMapOne('m.admission', AdmissionEntity, 'a', 'a.id = m.admissionId')
      .select(['m', 'a.id', 'a.patientId']);
  }

  /** The sequence number of the branch's last message (0 for an empty feed). */
  async lastSeq(tx: Tx, branchId: string): Promise<number> {
    return (await tx.manager.maximum(Hl7MessageEntity, 'seq', { branchId })) ?? 0;
  }

  /**
   * One writer per branch at a time, until the transaction ends: sequence numbers then commit in
   * order, so a subscriber that acknowledged seq n never finds a smaller one appearing later.
   */
  async lockBranchFeed(tx: Tx, branchId: string): Promise<void> {
    await tx.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`hms.wards.hl7-feed:${branchId}`]);
  }

  hasMessageFor(tx: Tx, eventId: string): Promise<boolean> {
    return tx.manager.exists(Hl7MessageEntity, { where: { eventId } });
  }

  async nextSeq(tx: Tx): Promise<number> {
    return Number((await tx.one<{ seq: string }>(`SELECT nextval(pg_get_serial_sequence('hl7_messages', 'seq')) AS seq`)).seq);
  }

  /** Writes the message; a redelivered event (its id already in the feed) writes nothing. */
  async insertMessage(tx: Tx, m: Pick<Hl7MessageEntity, 'seq' | 'branchId' | 'eventId' | 'triggerEvent' | 'controlId' | 'admissionId' | 'message'>): Promise<void> {
    await tx.manager.createQueryBuilder().insert().into(Hl7MessageEntity).values(m).orIgnore().updateEntity(false).execute();
  }
}
