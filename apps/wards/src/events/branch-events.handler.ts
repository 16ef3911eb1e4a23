import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import type { EventEnvelope } from '@hms/contracts-common';
import { BranchCreated, BranchUpdated, type BranchChangedData } from '@hms/contracts-gateway';
import { BranchesRepository } from '../data/branches.repository';
import { EventContext } from '@hms/platform-service';

/**
 * The branches this service acts for, as the gateway's identity events describe them: an HL7
 * message names its sender by branch code, which no admission event carries.
 */
@Controller()
export class BranchEventsHandler {
  constructor(
    private readonly branches: BranchesRepository,
  ) {}

  // Events of one branch share a key and so arrive in order: the last one wins.
  @EventPattern<string>(BranchCreated.type)
  created(@Payload() e: EventEnvelope, @Ctx() { tx }: EventContext): Promise<void> {
    return this.branches.upsert(tx, e.data as BranchChangedData);
  }

  @EventPattern<string>(BranchUpdated.type)
  updated(@Payload() e: EventEnvelope, @Ctx() { tx }: EventContext): Promise<void> {
    return this.branches.upsert(tx, e.data as BranchChangedData);
  }
}
