import { Inject, Injectable } from '@nestjs/common';
import { type DomainError } from '@hms/contracts-common';
import { type Tx } from '@hms/platform-persistence';
import { ID_GENERATOR, indianDate, type IdGenerator } from '@hms/platform-time';
import { BedStateRecorder } from '../beds/bed-state-recorder';
import { AdmissionsRepository } from '../data/admissions.repository';
import type { AdmissionEntity } from '../data/admissions.entity';
import { BedsRepository, type PlacedBed } from '../data/beds.repository';
import type { Acting } from '@hms/platform-service';
import { conflict, notFound } from '../domain/errors';

/**
 * The steps admission, transfer and discharge share: locking the admission and the beds (in a
 * fixed order), taking a bed and leaving it. Of two desks acting on one bed or one patient
 * exactly one wins and the other gets a 409 that names what it ran into.
 */
@Injectable()
export class BedOccupancy {
  constructor(
    private readonly admissions: AdmissionsRepository,
    private readonly beds: BedsRepository,
    private readonly bedStates: BedStateRecorder,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
  ) {}

  /** Locks beds in id order with what a placement needs to know, priced at the tariff in force on the day of `at`. */
  lockBeds(tx: Tx, ids: string[], at: Date): Promise<Map<string, PlacedBed>> {
    return this.beds.lockPlaced(tx, ids, indianDate(at));
  }

  /** Locks an open admission: 404 when there is none, 409 when it was discharged. */
  async lockAdmission(tx: Tx, admissionId: string): Promise<AdmissionEntity> {
    const admission = await this.admissions.lock(tx, admissionId);
    if (!admission) throw notFound('The admission', 'admission-not-found');
    if (admission.status !== 'admitted') throw conflict('admission-closed', `${admission.ipNumber} was discharged already`);
    return admission;
  }

  /**
   * The bed as the admission's open stay knows it: billing charges the stay at the tariff in
   * force when it began (BedPlacement.dailyRatePaise), not at today's.
   */
  async asStayed(tx: Tx, bed: PlacedBed, admissionId: string): Promise<PlacedBed> {
    const stay = await this.admissions.openStay(tx, admissionId);
    return stay ? { ...bed, rate: stay.dailyRatePaise } : bed;
  }

  /** Why the bed cannot take the patient. */
  async bedTaken(tx: Tx, bed: PlacedBed): Promise<DomainError> {
    if (bed.state === 'occupied' && bed.admissionId) {
      const holder = await this.admissions.ipNumber(tx, bed.admissionId);
      return conflict('bed-occupied', `Bed ${bed.code} is occupied by ${holder ?? 'another admission'}`, { bedState: bed.state });
    }
    if (bed.state === 'reserved') return conflict('bed-reserved', `Bed ${bed.code} is reserved for another patient`, { bedState: bed.state });
    return conflict('bed-not-available', `Bed ${bed.code} is ${bed.state}`, { bedState: bed.state });
  }

  /** The patient takes the bed: it becomes occupied and a stay in it begins. Returns the stay's id. */
  async occupy(tx: Tx, caller: Acting, bed: PlacedBed, admission: { id: string; patientId: string }, at: Date, reason: string): Promise<string> {
    const stayId = this.ids.next();
    await this.beds.occupy(tx, bed.id, admission.id, at);
    await this.admissions.startStay(tx, {
      id: stayId,
      branchId: caller.branchId,
      admissionId: admission.id,
      bedId: bed.id,
      wardId: bed.wardId,
      categoryId: bed.categoryId,
      dailyRatePaise: bed.rate,
      startedAt: at,
    });
    await this.bedStates.record(tx, caller, { bedId: bed.id, from: bed.state, to: 'occupied', reason, admission, at });
    return stayId;
  }

  /** The patient leaves the bed: it goes to cleaning, and the stay in it ends. */
  async vacate(tx: Tx, caller: Acting, bed: PlacedBed, admission: { id: string; patientId: string }, at: Date, reason: string): Promise<void> {
    await this.beds.vacate(tx, bed.id, at);
    await this.admissions.endOpenStay(tx, admission.id, at);
    await this.bedStates.record(tx, caller, { bedId: bed.id, from: 'occupied', to: 'cleaning', reason, admission, at });
  }
}
