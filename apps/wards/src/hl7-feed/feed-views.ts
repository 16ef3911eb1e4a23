import type { Tx } from '@hms/platform-persistence';
import type { FeedMessage, Hl7FeedRepository } from '../data/hl7-feed.repository';
import type { Hl7SubscriptionEntity } from '../data/hl7-subscriptions.entity';
import type { AdtTrigger } from '../domain/hl7';
import { notFound } from '../domain/errors';

export const FEED_PAGE_DEFAULT = 50;
export const FEED_PAGE_MAX = 500;

export interface SubscriptionView {
  id: string;
  name: string;
  acknowledgedSeq: number;
  createdAt: string;
}

export interface FeedMessageView {
  seq: number;
  controlId: string;
  triggerEvent: AdtTrigger;
  messageType: string;
  admissionId: string;
  /** Names the patient whose data the message carries, so the gateway's access trail records the read. */
  patientId: string | null;
  createdAt: string;
  message: string;
}

export const subscriptionView = (s: Hl7SubscriptionEntity): SubscriptionView => ({
  id: s.id,
  name: s.name,
  acknowledgedSeq: s.acknowledgedSeq,
  createdAt: s.createdAt.toISOString(),
});

export const messageView = (m: FeedMessage): FeedMessageView => ({
  seq: m.seq,
  controlId: m.controlId,
  triggerEvent: m.triggerEvent,
  messageType: `ADT^${m.triggerEvent}`,
  admissionId: m.admissionId,
  patientId: m.admission?.patientId ?? null,
  createdAt: m.createdAt.toISOString(),
  message: m.message,
});

/** One subscription of the branch (locked when it is to move); 404 when there is none. */
export async function subscriptionOf(feed: Hl7FeedRepository, tx: Tx, id: string, branchId: string, lock = false): Promise<Hl7SubscriptionEntity> {
  const s = await feed.subscription(tx, id, branchId, lock);
  if (!s) throw notFound('The HL7 subscription', 'subscription-not-found');
  return s;
}
