import { Controller, Inject } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import type { EventEnvelope } from '@hms/contracts-common';
import { ANY_EVENT, EventContext } from '@hms/platform-service';
import { ID_GENERATOR, type IdGenerator } from '@hms/platform-time';
import { AuditTrailRepository } from '../data/audit-trail.repository';
import { linkAfter } from '../domain/hash-chain';
import { trailFieldsOf } from '../domain/trail-entry';

/**
 * Every event of every service (and the gateway's record of reads) is appended to the one hash
 * chain. It runs in the consumer's transaction, with the inbox row, so a redelivered event is
 * never appended twice.
 */
@Controller()
export class AppendToTrailHandler {
  constructor(
    private readonly trail: AuditTrailRepository,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
  ) {}

  @EventPattern<string>(ANY_EVENT)
  async handle(@Payload() envelope: EventEnvelope, @Ctx() { tx }: EventContext): Promise<void> {
    const head = await this.trail.lockHead(tx);
    const fields = trailFieldsOf(envelope, { seq: head.seq + 1, id: this.ids.next() });
    await this.trail.append(tx, linkAfter(head, fields));
  }
}
