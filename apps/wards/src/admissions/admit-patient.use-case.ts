import { Inject, Injectable } from '@nestjs/common';
import { PatientAdmitted, type AdmissionType } from '@hms/contracts-wards';
import type { Caller } from '@hms/platform-auth';
import { Outbox } from '@hms/platform-messaging';
import { Database } from '@hms/platform-persistence';
import { CLOCK, type Clock, ID_GENERATOR, type IdGenerator } from '@hms/platform-time';
import { AdmissionsRepository } from '../data/admissions.repository';
import { PatientsRepository } from '../data/patients.repository';
import { IP_SEQUENCE_DIGITS, canAdmitTo, financialYear, ipNumberPrefix } from '../domain';
import { admissionView } from './admission-view';
import { BedOccupancy } from './bed-occupancy';
import { bedRetired, checkGenderPolicy, placementOf } from './placement';
import { eventMeta, scopeOf } from '@hms/platform-service';
import { conflict, notFound, wardsError } from '../domain/errors';

export interface AdmitInput {
  patientId: string;
  bedId: string;
  admittingDoctor: { id?: string; name: string };
  department: string;
  reason: string;
  admissionType: AdmissionType;
  expectedStayDays?: number;
  depositReference?: string;
  /** Places the patient in a ward whose gender policy their recorded sex does not fit, for this reason. */
  genderPolicyOverride?: { reason: string };
}

/** Admits a registered patient to a bed and issues the IP number. */
@Injectable()
export class AdmitPatientUseCase {
  constructor(
    private readonly db: Database,
    private readonly outbox: Outbox,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly admissions: AdmissionsRepository,
    private readonly patients: PatientsRepository,
    private readonly occupancy: BedOccupancy,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
  ) {}

  async execute(caller: Caller, input: AdmitInput) {
    const admitted = await this.db.transaction(scopeOf(caller), async (tx) => {
      const now = this.clock.now();
      const patient = await this.patients.find(tx, input.patientId);
      if (!patient) {
        throw wardsError('unprocessable', 'patient-unknown', 'No registered patient has this id in this branch (a patient registered moments ago may take a second to appear)');
      }
      if (patient.status !== 'active') {
        const survivor = patient.mergedInto ? await this.patients.uhid(tx, patient.mergedInto) : null;
        throw wardsError('unprocessable', 'patient-merged', `This record was merged into ${survivor ?? 'another record'}; admit the surviving record`, {
          survivorId: patient.mergedInto,
        });
      }
      const bed = (await this.occupancy.lockBeds(tx, [input.bedId], now)).get(input.bedId);
      if (!bed) throw notFound('The bed', 'bed-not-found');
      if (bed.retiredAt) throw bedRetired(bed);
      if (!canAdmitTo(bed.state, bed.reservedForPatientId, input.patientId)) throw await this.occupancy.bedTaken(tx, bed);
      const active = await this.admissions.activeIpNumberOf(tx, input.patientId);
      if (active) throw conflict('patient-already-admitted', `The patient is already admitted as ${active}`, { ipNumber: active });
      const gender = checkGenderPolicy(bed, patient.sex, input.genderPolicyOverride, caller, now);

      const id = this.ids.next();
      const expected = input.expectedStayDays !== undefined ? new Date(now.getTime() + input.expectedStayDays * 86_400_000) : null;
      // The admission holds a placeholder number while the bed is taken; the gap-free series is
      // locked only for the last few statements before commit, so admissions queue on it briefly.
      await this.admissions.insert(tx, {
        id,
        branchId: caller.branchId,
        ipNumber: `pending:${id}`,
        status: 'admitted',
        patientId: input.patientId,
        admissionType: input.admissionType,
        admittedAt: now,
        admittingDoctorId: input.admittingDoctor.id ?? null,
        admittingDoctorName: input.admittingDoctor.name,
        department: input.department,
        reason: input.reason,
        expectedDischargeAt: expected,
        depositReference: input.depositReference ?? null,
        bedId: bed.id,
        createdBy: caller.userId,
      });
      const stayId = await this.occupancy.occupy(tx, caller, bed, { id, patientId: input.patientId }, now, 'admitted');
      if (gender.override) await this.admissions.recordOverride(tx, { stayId, branchId: caller.branchId, admissionId: id, override: gender.override });
      const fy = financialYear(now);
      const ipNumber = await this.admissions.assignFromSeries(tx, id, { branchId: caller.branchId, financialYear: fy, prefix: ipNumberPrefix(fy), digits: IP_SEQUENCE_DIGITS });
      await this.outbox.append(
        tx,
        PatientAdmitted,
        {
          admissionId: id,
          ipNumber,
          patientId: input.patientId,
          uhid: patient.uhid,
          admittedAt: now.toISOString(),
          admissionType: input.admissionType,
          department: input.department,
          admittingDoctor: { id: input.admittingDoctor.id ?? null, name: input.admittingDoctor.name },
          expectedDischargeAt: expected?.toISOString() ?? null,
          depositReference: input.depositReference ?? null,
          bed: placementOf(bed),
          ...(gender.override ? { genderPolicyOverride: gender.override } : {}),
        },
        eventMeta(caller, id),
      );
      return { id, warnings: gender.warnings };
    });
    // Read back after the commit, so the series lock is not held while the view is built.
    const view = await this.db.transaction(scopeOf(caller), (tx) => admissionView(this.admissions, tx, admitted.id), { readOnly: true });
    return { ...view, warnings: admitted.warnings };
  }
}
