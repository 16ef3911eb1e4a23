import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import type { EventEnvelope } from '@hms/contracts-common';
import { PatientAdmitted, PatientDischarged, PatientTransferred, type PatientAdmittedData, type PatientDischargedData, type PatientTransferredData } from '@hms/contracts-wards';
import { AdmissionsRepository } from '../data/admissions.repository';
import { EventContext } from '@hms/platform-service';

function requireBranch(branchId: string | null): string {
  if (!branchId) throw new Error('an admission event without a branch');
  return branchId;
}

/**
 * Keeps the pharmacy's own copy of the branch's admissions from the wards service's events: an
 * in-patient supply is charged to an open admission of the same patient. The events carry no
 * version of the admission, so each row keeps the time of the last event applied.
 */
@Controller()
export class AdmissionsHandler {
  constructor(
    private readonly admissions: AdmissionsRepository,
  ) {}

  @EventPattern<string>(PatientAdmitted.type)
  admitted(@Payload() e: EventEnvelope, @Ctx() { tx }: EventContext): Promise<void> {
    const a = e.data as PatientAdmittedData;
    return this.admissions.admitted(tx, requireBranch(e.branchId), { ...a, at: a.admittedAt });
  }

  @EventPattern<string>(PatientTransferred.type)
  transferred(@Payload() e: EventEnvelope, @Ctx() { tx }: EventContext): Promise<void> {
    const t = e.data as PatientTransferredData;
    return this.admissions.transferred(tx, requireBranch(e.branchId), { ...t, at: t.transferredAt, bed: t.to });
  }

  @EventPattern<string>(PatientDischarged.type)
  discharged(@Payload() e: EventEnvelope, @Ctx() { tx }: EventContext): Promise<void> {
    const d = e.data as PatientDischargedData;
    return this.admissions.discharged(tx, requireBranch(e.branchId), { ...d, at: d.dischargedAt });
  }
}
