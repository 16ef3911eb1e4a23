import { Inject, Injectable } from '@nestjs/common';
import { PatientTransferred } from '@hms/contracts-wards';
import type { Caller } from '@hms/platform-auth';
import { Outbox } from '@hms/platform-messaging';
import { Database, type Tx } from '@hms/platform-persistence';
import { CLOCK, type Clock } from '@hms/platform-time';
import { AdmissionsRepository } from '../data/admissions.repository';
import { BedsRepository, type PlacedBed } from '../data/beds.repository';
import { PatientsRepository } from '../data/patients.repository';
import { canAdmitTo } from '../domain';
import { admissionView } from './admission-view';
import { BedOccupancy } from './bed-occupancy';
import { checkGenderPolicy, overrideNotNeeded, placementOf, type GenderCheck } from './placement';
import { eventMeta, scopeOf } from '@hms/platform-service';
import { conflict, notFound, wardsError } from '../domain/errors';

export interface TransferInput {
  toBedId: string;
  fromBedId: string;
  reason?: string;
  genderPolicyOverride?: { reason: string };
}

/** Moves the patient to another bed or ward in one step; the old bed goes to cleaning. */
@Injectable()
export class TransferPatientUseCase {
  constructor(
    private readonly db: Database,
    private readonly outbox: Outbox,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly admissions: AdmissionsRepository,
    private readonly beds: BedsRepository,
    private readonly patients: PatientsRepository,
    private readonly occupancy: BedOccupancy,
  ) {}

  async execute(caller: Caller, admissionId: string, input: TransferInput) {
    if (input.toBedId === input.fromBedId) throw wardsError('validation', 'validation-failed', 'The patient is already in that bed');
    return this.db.transaction(scopeOf(caller), async (tx) => {
      const now = this.clock.now();
      const admission = await this.occupancy.lockAdmission(tx, admissionId);
      if (admission.bedId !== input.fromBedId) {
        const current = admission.bedId ? await this.beds.code(tx, admission.bedId) : null;
        throw conflict('admission-moved', `The patient is no longer in that bed: ${admission.ipNumber} is now in bed ${current ?? 'unknown'}; reload and try again`, {
          currentBedId: admission.bedId,
        });
      }
      const beds = await this.occupancy.lockBeds(tx, [input.fromBedId, input.toBedId], now);
      const current = beds.get(input.fromBedId);
      const to = beds.get(input.toBedId);
      if (!to || to.retiredAt) throw notFound('The bed to transfer to', 'bed-not-found');
      if (!current) throw notFound('The current bed', 'bed-not-found');
      const from = await this.occupancy.asStayed(tx, current, admissionId);
      if (!canAdmitTo(to.state, to.reservedForPatientId, admission.patientId)) throw await this.occupancy.bedTaken(tx, to);
      const gender = await this.checkGenderPolicy(tx, caller, admission.patientId, from, to, input.genderPolicyOverride, now);

      const patient = { id: admissionId, patientId: admission.patientId };
      await this.occupancy.vacate(tx, caller, from, patient, now, 'transferred out');
      await this.admissions.moveToBed(tx, admissionId, to.id);
      const stayId = await this.occupancy.occupy(tx, caller, to, patient, now, 'transferred in');
      if (gender.override) await this.admissions.recordOverride(tx, { stayId, branchId: caller.branchId, admissionId, override: gender.override });
      await this.outbox.append(
        tx,
        PatientTransferred,
        {
          admissionId,
          ipNumber: admission.ipNumber,
          patientId: admission.patientId,
          transferredAt: now.toISOString(),
          reason: input.reason ?? null,
          from: placementOf(from),
          to: placementOf(to),
          ...(gender.override ? { genderPolicyOverride: gender.override } : {}),
        },
        eventMeta(caller, admissionId),
      );
      return { ...(await admissionView(this.admissions, tx, admissionId)), warnings: gender.warnings };
    });
  }

  /**
   * A move within one ward is not a placement into it: the patient is there already, with or
   * without an override. A move into another ward is checked like an admission.
   */
  private async checkGenderPolicy(
    tx: Tx,
    caller: Caller,
    patientId: string,
    from: PlacedBed,
    to: PlacedBed,
    requested: { reason: string } | null | undefined,
    now: Date,
  ): Promise<GenderCheck> {
    if (from.wardId === to.wardId) {
      return { override: null, warnings: requested ? [overrideNotNeeded(`The patient stays in ward ${to.wardCode}`)] : [] };
    }
    const sex = await this.patients.sex(tx, patientId);
    if (sex === null) throw new Error(`admitted patient ${patientId} is missing from the read model`);
    return checkGenderPolicy(to, sex, requested, caller, now);
  }
}
