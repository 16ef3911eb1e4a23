import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import type { EventEnvelope } from '@hms/contracts-common';
import { PatientMerged, PatientRegistered, PatientUpdated, type PatientMergedData, type PatientSummary } from '@hms/contracts-patients';
import { PatientsRepository } from '../data/patients.repository';
import { EventContext } from '@hms/platform-service';

function requireBranch(branchId: string | null): string {
  if (!branchId) throw new Error('a patient event without a branch');
  return branchId;
}

/**
 * Keeps the pharmacy's own copy of the branch's patients from the patients service's events (never
 * a query across schemas): a supply names a patient this table knows, and the H1 register takes
 * the patient's name from it.
 */
@Controller()
export class PatientsHandler {
  constructor(
    private readonly patients: PatientsRepository,
  ) {}

  @EventPattern<string>(PatientRegistered.type)
  registered(@Payload() e: EventEnvelope, @Ctx() { tx }: EventContext): Promise<void> {
    return this.patients.upsert(tx, requireBranch(e.branchId), e.data as PatientSummary);
  }

  @EventPattern<string>(PatientUpdated.type)
  updated(@Payload() e: EventEnvelope, @Ctx() { tx }: EventContext): Promise<void> {
    return this.patients.upsert(tx, requireBranch(e.branchId), e.data as PatientSummary);
  }

  @EventPattern<string>(PatientMerged.type)
  merged(@Payload() e: EventEnvelope, @Ctx() { tx }: EventContext): Promise<void> {
    return this.patients.merge(tx, requireBranch(e.branchId), e.data as PatientMergedData);
  }
}
