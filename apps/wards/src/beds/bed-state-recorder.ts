import { Injectable } from '@nestjs/common';
import { BedStateChanged, type BedState } from '@hms/contracts-wards';
import { Outbox } from '@hms/platform-messaging';
import type { Tx } from '@hms/platform-persistence';
import { indianDate } from '@hms/platform-time';
import { BedsRepository } from '../data/beds.repository';
import { eventMeta, type Acting } from '@hms/platform-service';

export interface BedStateChange {
  bedId: string;
  from: BedState | null;
  to: BedState;
  reason: string | null;
  admission: { id: string; patientId: string } | null;
  /** When it changed (the injected clock's instant): the history's time, and the day whose tariff the event carries. */
  at: Date;
}

/**
 * Records a bed's change of state in its history and publishes it with the bed's category and
 * tariff, so billing never needs to call back. Every change of a bed's state goes through here.
 */
@Injectable()
export class BedStateRecorder {
  constructor(
    private readonly beds: BedsRepository,
    private readonly outbox: Outbox,
  ) {}

  async record(tx: Tx, caller: Acting, change: BedStateChange): Promise<void> {
    const { bedId, from, to, reason, admission, at } = change;
    await this.beds.appendHistory(tx, { branchId: caller.branchId, bedId, from, to, at, actorId: caller.userId, reason, admissionId: admission?.id ?? null });
    const bed = await this.beds.eventFacts(tx, bedId, indianDate(at));
    await this.outbox.append(
      tx,
      BedStateChanged,
      {
        bedId,
        bedCode: bed.code,
        wardId: bed.wardId,
        wardCode: bed.wardCode,
        from,
        to,
        reason,
        admissionId: admission?.id ?? null,
        patientId: admission?.patientId ?? null,
        categoryCode: bed.categoryCode,
        isCriticalCare: bed.isCriticalCare,
        dailyRatePaise: bed.rate === null ? null : Number(bed.rate),
      },
      eventMeta(caller, bedId),
    );
  }
}
