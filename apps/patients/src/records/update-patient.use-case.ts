import { Inject, Injectable } from '@nestjs/common';
import { type Permission } from '@hms/contracts-common';
import { PatientUpdated } from '@hms/contracts-patients';
import type { Caller } from '@hms/platform-auth';
import { Outbox } from '@hms/platform-messaging';
import { Database } from '@hms/platform-persistence';
import { CLOCK, type Clock } from '@hms/platform-time';
import { PatientsRepository } from '../data/patients.repository';
import { changedFieldsOf, changesOf, namedFields, refusedAfterDeath } from '../domain/patient-changes';
import { checkRecordRules, normaliseFields, type RawFields } from '../domain/patient-input';
import { assertChangeable } from '../domain/record-change';
import { eventMeta, scopeOf } from '@hms/platform-service';
import { patientSummary, patientView, type PatientView } from './patient.view';
import { conflict, forbidden, patientsError } from '../domain/errors';

/**
 * The permission of those who correct records (records officers): merging duplicates,
 * withdrawing a death recorded in error, clearing a medico-legal flag.
 */
export const RECORDS_CORRECTION: Permission = 'patients:merge';

/**
 * Changes a patient's record (PATCH, with the version the caller saw). Leaving a field out keeps
 * it; null clears an optional one. A deceased patient's record takes only the medico-legal case.
 */
@Injectable()
export class UpdatePatientUseCase {
  constructor(
    private readonly db: Database,
    private readonly outbox: Outbox,
    private readonly patients: PatientsRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute(caller: Caller, id: string, expectedVersion: number, input: RawFields): Promise<PatientView> {
    const today = this.clock.now();
    const { fields, warnings } = normaliseFields(input, today, 'update');
    const named = namedFields(input);
    if (!named.length) throw patientsError('validation', 'validation-failed', 'The request changes nothing: send at least one field');
    return this.db.transaction(scopeOf(caller), async (tx) => {
      const current = await this.patients.lockById(tx, id);
      assertChangeable(current, expectedVersion);
      if (current.dateOfDeath) {
        const refused = refusedAfterDeath(named);
        if (refused.length) {
          throw conflict(
            'patient-deceased',
            `This patient's death is recorded (${current.dateOfDeath}): the record takes no changes but to the medico-legal case, so ${refused.join(', ')} cannot change. A death recorded in error is withdrawn by a records officer (POST /api/v1/patients/${id}/death/withdrawal).`,
          );
        }
      }
      if (current.medicoLegal && fields.medicoLegal === false && !caller.permissions.has(RECORDS_CORRECTION)) {
        throw forbidden('Only a records officer (permission patients:merge) can clear the medico-legal flag: medico-legal records are kept longer', 'patient-mlc-clear-forbidden');
      }
      checkRecordRules({ dateOfBirth: fields.dateOfBirth ?? current.dateOfBirth, medicoLegal: fields.medicoLegal ?? current.medicoLegal }, fields, today);
      const patient = await this.patients.applyChange(tx, current, changesOf(fields, current, input, warnings), caller.userId);
      await this.outbox.append(tx, PatientUpdated, { ...patientSummary(patient), changedFields: changedFieldsOf(named, fields) }, eventMeta(caller, id));
      return patientView(patient, today);
    });
  }
}
