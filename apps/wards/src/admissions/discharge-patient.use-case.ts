import { Inject, Injectable } from '@nestjs/common';
import { PatientDischarged, type DischargeType } from '@hms/contracts-wards';
import type { Caller } from '@hms/platform-auth';
import { Outbox } from '@hms/platform-messaging';
import { Database } from '@hms/platform-persistence';
import { CLOCK, type Clock } from '@hms/platform-time';
import { AdmissionsRepository } from '../data/admissions.repository';
import { admissionView } from './admission-view';
import { BedOccupancy } from './bed-occupancy';
import { placementOf } from './placement';
import { eventMeta, scopeOf } from '@hms/platform-service';

/**
 * Discharges whatever the bill says: an uncleared bill is a warning with the dues recorded,
 * never a refusal, and the release of a deceased patient is never held up (REC-05).
 */
@Injectable()
export class DischargePatientUseCase {
  constructor(
    private readonly db: Database,
    private readonly outbox: Outbox,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly admissions: AdmissionsRepository,
    private readonly occupancy: BedOccupancy,
  ) {}

  execute(caller: Caller, admissionId: string, input: { dischargeType: DischargeType; notes?: string }) {
    return this.db.transaction(scopeOf(caller), async (tx) => {
      const now = this.clock.now();
      const admission = await this.occupancy.lockAdmission(tx, admissionId);
      if (!admission.bedId) throw new Error('an active admission without a bed');
      const locked = (await this.occupancy.lockBeds(tx, [admission.bedId], now)).get(admission.bedId);
      if (!locked) throw new Error('an admission whose bed is missing');
      const bed = await this.occupancy.asStayed(tx, locked, admissionId);
      await this.occupancy.vacate(tx, caller, bed, { id: admissionId, patientId: admission.patientId }, now, 'discharged');
      await this.admissions.discharge(tx, admissionId, { at: now, type: input.dischargeType, notes: input.notes ?? null });
      await this.outbox.append(
        tx,
        PatientDischarged,
        {
          admissionId,
          ipNumber: admission.ipNumber,
          patientId: admission.patientId,
          dischargedAt: now.toISOString(),
          dischargeType: input.dischargeType,
          admittedAt: admission.admittedAt.toISOString(),
          bed: placementOf(bed),
          billingClearance: admission.billingClearance,
          duesPaise: admission.duesPaise,
        },
        eventMeta(caller, admissionId),
      );
      const warnings =
        admission.billingClearance === 'cleared'
          ? []
          : [
              {
                code: 'billing-not-cleared',
                message:
                  admission.billingClearance === 'pending'
                    ? `The bill is not cleared${admission.duesPaise !== null ? `: dues of Rs ${(admission.duesPaise / 100).toFixed(2)} are recorded` : ''}; the discharge stands`
                    : 'No billing clearance has been received; the discharge stands',
              },
            ];
      return { ...(await admissionView(this.admissions, tx, admissionId)), warnings };
    });
  }
}
