import { Injectable } from '@nestjs/common';
import { DomainError, conflict, notFound } from '@hms/contracts-common';
import type { BedState } from '@hms/contracts-wards';
import type { Caller } from '@hms/platform-auth';
import { Outbox } from '@hms/platform-messaging';
import { Database } from '@hms/platform-persistence';
import { manualTransition, permissionsToEnter } from '../domain';
import { emitBedState } from '../masters/masters.service';

/** Changes of a bed's state by hand: maintenance, blocking, reservations, and housekeeping's "clean". */
@Injectable()
export class BedsService {
  constructor(
    private readonly db: Database,
    private readonly outbox: Outbox,
  ) {}

  async changeState(caller: Caller, bedId: string, to: BedState, reason: string | null, patientId: string | null) {
    return this.db.transaction({ branchId: caller.branchId }, async (tx) => {
      const bed = await tx.maybeOne<{ state: BedState; code: string; retired_at: Date | null; reserved_for_patient_id: string | null }>(
        'SELECT state, code, retired_at, reserved_for_patient_id FROM beds WHERE id = $1 FOR UPDATE',
        [bedId],
      );
      if (!bed || bed.retired_at) throw notFound('The bed', 'bed-not-found');
      // Reserving a bed held for someone else is not a repeat: answering "reserved" would hide that it is not theirs.
      if (bed.state === 'reserved' && to === 'reserved' && patientId !== null && patientId !== bed.reserved_for_patient_id) {
        throw conflict('bed-reserved', `Bed ${bed.code} is reserved for another patient; release it first`, { bedState: bed.state });
      }
      if (bed.state === to) {
        // A repeat changes nothing, but answers only someone who could have made the change.
        const may = permissionsToEnter(to);
        if (!may.some((p) => caller.permissions.has(p))) {
          throw new DomainError('forbidden', 'permission-missing', `Putting a bed into ${to} needs one of: ${may.join(', ') || 'no manual permission (admissions only)'}`);
        }
        return this.view(tx, bedId);
      }
      const needs = manualTransition(bed.state, to);
      if (!needs) {
        const how = bed.state === 'occupied' ? 'transfer or discharge the patient' : `it cannot go from ${bed.state} to ${to}`;
        throw conflict('bed-state-transition', `Bed ${bed.code} is ${bed.state}: ${how}`, { bedState: bed.state });
      }
      if (!caller.permissions.has(needs)) {
        throw new DomainError('forbidden', 'permission-missing', `Moving a bed from ${bed.state} to ${to} needs the ${needs} permission`);
      }
      if (to === 'reserved') {
        if (!patientId) throw new DomainError('validation', 'validation-failed', 'A reservation names the patient it is held for', {}, [{ field: 'patientId', message: 'is required for a reservation' }]);
        const patient = await tx.maybeOne<{ status: string }>('SELECT status FROM patients WHERE patient_id = $1', [patientId]);
        if (!patient || patient.status !== 'active') throw notFound('The patient', 'patient-unknown');
      }
      await tx.query('UPDATE beds SET state = $2, state_since = now(), reserved_for_patient_id = $3, version = version + 1 WHERE id = $1', [
        bedId,
        to,
        to === 'reserved' ? patientId : null,
      ]);
      await tx.query('INSERT INTO bed_state_history (branch_id, bed_id, from_state, to_state, actor_id, reason) VALUES ($1, $2, $3, $4, $5, $6)', [
        caller.branchId,
        bedId,
        bed.state,
        to,
        caller.userId,
        reason,
      ]);
      await emitBedState(this.outbox, tx, caller, bedId, bed.state, to, reason, null);
      return this.view(tx, bedId);
    });
  }

  history(caller: Caller, bedId: string, limit: number, offset: number) {
    return this.db.transaction(
      { branchId: caller.branchId },
      async (tx) => {
        const bed = await tx.maybeOne('SELECT id FROM beds WHERE id = $1', [bedId]);
        if (!bed) throw notFound('The bed', 'bed-not-found');
        return tx.query(
          `SELECT from_state AS "from", to_state AS "to", at, actor_id AS "actorId", reason, admission_id AS "admissionId"
           FROM bed_state_history WHERE bed_id = $1 ORDER BY id DESC LIMIT $2 OFFSET $3`,
          [bedId, limit, offset],
        );
      },
      { readOnly: true },
    );
  }

  get(caller: Caller, bedId: string) {
    return this.db.transaction({ branchId: caller.branchId }, (tx) => this.view(tx, bedId), { readOnly: true });
  }

  private async view(tx: import('@hms/platform-persistence').Tx, bedId: string) {
    const row = await tx.maybeOne(
      `SELECT b.id, b.code, b.ward_id AS "wardId", w.code AS "wardCode", b.room_id AS "roomId", r.code AS "roomCode",
              b.category_id AS "categoryId", c.code AS "categoryCode", c.is_critical_care AS "isCriticalCare",
              b.state, b.state_since AS "since", b.admission_id AS "admissionId", b.reserved_for_patient_id AS "reservedForPatientId",
              b.retired_at IS NOT NULL AS retired, b.version
       FROM beds b JOIN wards w ON w.id = b.ward_id JOIN bed_categories c ON c.id = b.category_id LEFT JOIN rooms r ON r.id = b.room_id
       WHERE b.id = $1`,
      [bedId],
    );
    if (!row) throw notFound('The bed', 'bed-not-found');
    return row;
  }
}
