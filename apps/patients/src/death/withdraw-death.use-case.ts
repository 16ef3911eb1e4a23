import { Inject, Injectable } from '@nestjs/common';
import { PatientUpdated } from '@hms/contracts-patients';
import type { Caller } from '@hms/platform-auth';
import { Outbox } from '@hms/platform-messaging';
import { Database } from '@hms/platform-persistence';
import { CLOCK, type Clock } from '@hms/platform-time';
import { PatientsRepository } from '../data/patients.repository';
import { assertChangeable } from '../domain/record-change';
import { eventMeta, scopeOf } from '@hms/platform-service';
import { patientSummary, patientView, type PatientView } from '../records/patient.view';
import { conflict } from '../domain/errors';

/** Withdraws a death recorded in error (records officers only); the reason goes to the audit trail with the event. */
@Injectable()
export class WithdrawDeathUseCase {
  constructor(
    private readonly db: Database,
    private readonly outbox: Outbox,
    private readonly patients: PatientsRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute(caller: Caller, id: string, expectedVersion: number, reason: string): Promise<PatientView> {
    const now = this.clock.now();
    return this.db.transaction(scopeOf(caller), async (tx) => {
      const current = await this.patients.lockById(tx, id);
      assertChangeable(current, expectedVersion);
      if (!current.dateOfDeath) throw conflict('patient-not-deceased', 'No death is recorded for this patient');
      const patient = await this.patients.applyChange(tx, current, { dateOfDeath: null, deathRecordedAt: null, deathRecordedBy: null, deathRecordedByName: null }, caller.userId);
      await this.outbox.append(tx, PatientUpdated, { ...patientSummary(patient), changedFields: ['dateOfDeath'], reason: reason.trim() }, eventMeta(caller, id));
      return patientView(patient, now);
    });
  }
}
