import { Inject, Injectable } from '@nestjs/common';
import type { BedState } from '@hms/contracts-wards';
import type { Caller } from '@hms/platform-auth';
import { CLOCK, type Clock } from '@hms/platform-time';
import { Database } from '@hms/platform-persistence';
import { BedsRepository } from '../data/beds.repository';
import { PatientsRepository } from '../data/patients.repository';
import { manualTransition, permissionsToEnter } from '../domain';
import { BedStateRecorder } from './bed-state-recorder';
import { bedView } from './bed-view';
import { scopeOf } from '@hms/platform-service';
import { conflict, notFound, wardsError } from '../domain/errors';

/** Changes of a bed's state by hand: maintenance, blocking, reservations, and housekeeping's "clean". */
@Injectable()
export class ChangeBedStateUseCase {
  constructor(
    private readonly db: Database,
    private readonly beds: BedsRepository,
    private readonly patients: PatientsRepository,
    private readonly bedStates: BedStateRecorder,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  execute(caller: Caller, bedId: string, input: { to: BedState; reason: string | null; patientId: string | null }) {
    const { to, reason, patientId } = input;
    return this.db.transaction(scopeOf(caller), async (tx) => {
      const bed = await this.beds.lock(tx, bedId);
      if (!bed || bed.retiredAt) throw notFound('The bed', 'bed-not-found');
      // Reserving a bed held for someone else is not a repeat: answering "reserved" would hide that it is not theirs.
      if (bed.state === 'reserved' && to === 'reserved' && patientId !== null && patientId !== bed.reservedForPatientId) {
        throw conflict('bed-reserved', `Bed ${bed.code} is reserved for another patient; release it first`, { bedState: bed.state });
      }
      if (bed.state === to) {
        // A repeat changes nothing, but answers only someone who could have made the change.
        const may = permissionsToEnter(to);
        if (!may.some((p) => caller.permissions.has(p))) {
          throw wardsError('forbidden', 'permission-missing', `Putting a bed into ${to} needs one of: ${may.join(', ') || 'no manual permission (admissions only)'}`);
        }
        return bedView(this.beds, tx, bedId);
      }
      const needs = manualTransition(bed.state, to);
      if (!needs) {
        const how = bed.state === 'occupied' ? 'transfer or discharge the patient' : `it cannot go from ${bed.state} to ${to}`;
        throw conflict('bed-state-transition', `Bed ${bed.code} is ${bed.state}: ${how}`, { bedState: bed.state });
      }
      if (!caller.permissions.has(needs)) {
        throw wardsError('forbidden', 'permission-missing', `Moving a bed from ${bed.state} to ${to} needs the ${needs} permission`);
      }
      if (to === 'reserved') {
        if (!patientId) throw wardsError('validation', 'validation-failed', 'A reservation names the patient it is held for', {}, [{ field: 'patientId', message: 'is required for a reservation' }]);
        if ((await this.patients.status(tx, patientId)) !== 'active') throw notFound('The patient', 'patient-unknown');
      }
      const at = this.clock.now();
      await this.beds.setState(tx, bedId, to, to === 'reserved' ? patientId : null, at);
      await this.bedStates.record(tx, caller, { bedId, from: bed.state, to, reason, admission: null, at });
      return bedView(this.beds, tx, bedId);
    });
  }
}
