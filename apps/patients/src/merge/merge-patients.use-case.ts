import { Inject, Injectable } from '@nestjs/common';
import { PatientMerged, PatientUpdated } from '@hms/contracts-patients';
import type { Caller } from '@hms/platform-auth';
import { Outbox } from '@hms/platform-messaging';
import { Database } from '@hms/platform-persistence';
import { CLOCK, type Clock } from '@hms/platform-time';
import { PatientsRepository } from '../data/patients.repository';
import { survivorAfterMerge } from '../domain/merge';
import { eventMeta, scopeOf } from '@hms/platform-service';
import { patientSummary, patientView, type PatientView } from '../records/patient.view';
import { conflict, notFound, patientsError } from '../domain/errors';

/** Folds a duplicate record into a survivor; the duplicate's UHID resolves to the survivor from then on. */
@Injectable()
export class MergePatientsUseCase {
  constructor(
    private readonly db: Database,
    private readonly outbox: Outbox,
    private readonly patients: PatientsRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute(caller: Caller, survivorId: string, mergedId: string): Promise<PatientView> {
    if (survivorId === mergedId) throw patientsError('validation', 'validation-failed', 'A patient cannot be merged into itself');
    const today = this.clock.now();
    return this.db.transaction(scopeOf(caller), async (tx) => {
      const locked = await this.patients.lockByIds(tx, [survivorId, mergedId]);
      const survivor = locked.find((p) => p.id === survivorId);
      const merged = locked.find((p) => p.id === mergedId);
      if (!survivor) throw notFound('The surviving patient', 'patient-not-found');
      if (!merged) throw notFound('The patient to merge', 'patient-not-found');
      if (survivor.status !== 'active') throw conflict('patient-merged', 'The surviving record was itself merged away');
      if (merged.status !== 'active') throw conflict('patient-merged', 'That record was merged already');
      const takes = survivorAfterMerge(survivor, merged);
      await this.patients.applyChange(tx, merged, { status: 'merged', mergedInto: survivorId }, caller.userId);
      // Records merged into the one going away now point at the survivor directly.
      await this.patients.repointMerged(tx, mergedId, survivorId);
      const patient = await this.patients.applyChange(tx, survivor, takes, caller.userId);
      await this.outbox.append(tx, PatientMerged, { survivorId, survivorUhid: survivor.uhid, mergedPatientId: mergedId, mergedUhid: merged.uhid }, eventMeta(caller, survivorId));
      await this.outbox.append(tx, PatientUpdated, { ...patientSummary(patient), changedFields: ['merged'] }, eventMeta(caller, survivorId));
      return patientView(patient, today);
    });
  }
}
