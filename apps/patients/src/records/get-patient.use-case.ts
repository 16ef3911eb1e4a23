import { Inject, Injectable } from '@nestjs/common';
import type { Caller } from '@hms/platform-auth';
import { Database } from '@hms/platform-persistence';
import { CLOCK, type Clock } from '@hms/platform-time';
import { PatientsRepository } from '../data/patients.repository';
import { scopeOf } from '@hms/platform-service';
import { patientView, type PatientView } from './patient.view';
import { notFound } from '../domain/errors';

/** A patient's record by id (a merged record shows as merged, naming the survivor). */
@Injectable()
export class GetPatientUseCase {
  constructor(
    private readonly db: Database,
    private readonly patients: PatientsRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute(caller: Caller, id: string): Promise<PatientView> {
    const patient = await this.db.transaction(scopeOf(caller), (tx) => this.patients.findById(tx, id), { readOnly: true });
    if (!patient) throw notFound('The patient', 'patient-not-found');
    return patientView(patient, this.clock.now());
  }
}
