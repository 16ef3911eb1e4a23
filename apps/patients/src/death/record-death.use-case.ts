import { Inject, Injectable } from '@nestjs/common';
import { PatientUpdated } from '@hms/contracts-patients';
import type { Caller } from '@hms/platform-auth';
import { Outbox } from '@hms/platform-messaging';
import { Database } from '@hms/platform-persistence';
import { CLOCK, type Clock } from '@hms/platform-time';
import { validateDateOfDeath } from '@hms/patients-domain';
import { PatientsRepository } from '../data/patients.repository';
import { assertChangeable } from '../domain/record-change';
import { eventMeta, scopeOf } from '@hms/platform-service';
import { patientSummary, patientView, type PatientView } from '../records/patient.view';
import { conflict, invalid } from '../domain/errors';

/**
 * Records the patient's death: the record becomes deceased and inactive, with the date, when
 * it was recorded (the system's time, not the user's) and by whom. From then on it takes no
 * changes but to the medico-legal case, until a records officer withdraws a death recorded in error.
 */
@Injectable()
export class RecordDeathUseCase {
  constructor(
    private readonly db: Database,
    private readonly outbox: Outbox,
    private readonly patients: PatientsRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute(caller: Caller, id: string, expectedVersion: number, dateOfDeath: string): Promise<PatientView> {
    const now = this.clock.now();
    return this.db.transaction(scopeOf(caller), async (tx) => {
      const current = await this.patients.lockById(tx, id);
      assertChangeable(current, expectedVersion);
      if (current.dateOfDeath) {
        throw conflict('patient-deceased', `This patient's death is recorded already (${current.dateOfDeath}); a records officer can withdraw it if it is wrong`);
      }
      const problem = validateDateOfDeath(dateOfDeath, now, { dateOfBirth: current.dateOfBirth, estimated: current.dateOfBirthEstimated });
      if (problem) throw invalid([{ field: 'dateOfDeath', message: problem }], `dateOfDeath: ${problem}`);
      const patient = await this.patients.applyChange(
        tx,
        current,
        { dateOfDeath, deathRecordedAt: now, deathRecordedBy: caller.userId, deathRecordedByName: caller.name },
        caller.userId,
      );
      await this.outbox.append(tx, PatientUpdated, { ...patientSummary(patient), changedFields: ['dateOfDeath'] }, eventMeta(caller, id));
      return patientView(patient, now);
    });
  }
}
