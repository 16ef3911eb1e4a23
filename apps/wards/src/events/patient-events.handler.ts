import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import type { EventEnvelope } from '@hms/contracts-common';
import { PatientMerged, PatientRegistered, PatientUpdated, type PatientMergedData, type PatientSummary } from '@hms/contracts-patients';
import type { Tx } from '@hms/platform-persistence';
import { AdmissionsRepository } from '../data/admissions.repository';
import { PatientsRepository } from '../data/patients.repository';
import { EventContext } from '@hms/platform-service';

/**
 * The wards service's own copy of the patients it may admit, fed by the patients service's
 * events (never a query across schemas). Versions make a late or replayed event harmless.
 */
@Controller()
export class PatientEventsHandler {
  constructor(
    private readonly patients: PatientsRepository,
    private readonly admissions: AdmissionsRepository,
  ) {}

  @EventPattern<string>(PatientRegistered.type)
  registered(@Payload() e: EventEnvelope, @Ctx() { tx }: EventContext): Promise<void> {
    return this.upsert(tx, e.branchId, e.data as PatientSummary);
  }

  @EventPattern<string>(PatientUpdated.type)
  updated(@Payload() e: EventEnvelope, @Ctx() { tx }: EventContext): Promise<void> {
    return this.upsert(tx, e.branchId, e.data as PatientSummary);
  }

  @EventPattern<string>(PatientMerged.type)
  patientMerged(@Payload() e: EventEnvelope, @Ctx() { tx }: EventContext): Promise<void> {
    return this.merged(tx, e.data as PatientMergedData);
  }

  private async upsert(tx: Tx, branchId: string | null, p: PatientSummary): Promise<void> {
    if (!branchId) throw new Error('a patient event without a branch');
    await this.patients.upsert(tx, branchId, p);
  }

  /**
   * The merged-away record's admissions become the survivor's: one person, one history. An open
   * admission moves only if the survivor holds none (two open stays of one person need a person
   * to decide which is real); it then stays under the merged record, which the desk can see.
   */
  private async merged(tx: Tx, m: PatientMergedData): Promise<void> {
    await this.patients.markMerged(tx, m.mergedPatientId, m.survivorId);
    await this.admissions.reassignPatient(tx, m.mergedPatientId, m.survivorId);
  }
}
