import { Inject, Injectable } from '@nestjs/common';
import { PatientRegistered } from '@hms/contracts-patients';
import type { Caller } from '@hms/platform-auth';
import { Outbox } from '@hms/platform-messaging';
import { Database } from '@hms/platform-persistence';
import { CLOCK, ID_GENERATOR, type Clock, type IdGenerator } from '@hms/platform-time';
import { findLikelyDuplicates, formatUhid } from '@hms/patients-domain';
import { PatientsRepository } from '../data/patients.repository';
import { UhidSeriesRepository } from '../data/uhid-series.repository';
import { checkRecordRules, normaliseFields, type RawFields, type Warning } from '../domain/patient-input';
import { registrationLockKeys } from '../domain/registration';
import { eventMeta, scopeOf } from '@hms/platform-service';
import { patientSummary, patientView, type PatientView } from '../records/patient.view';
import { conflict } from '../domain/errors';

export interface RegisterPatientInput extends RawFields {
  name: string;
  sex: string;
  confirmedNotDuplicate?: boolean;
}

/** Registers a patient with duplicate detection, and issues the branch's next UHID. */
@Injectable()
export class RegisterPatientUseCase {
  constructor(
    private readonly db: Database,
    private readonly outbox: Outbox,
    private readonly patients: PatientsRepository,
    private readonly uhidSeries: UhidSeriesRepository,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
  ) {}

  async execute(caller: Caller, input: RegisterPatientInput): Promise<PatientView & { warnings: Warning[] }> {
    const today = this.clock.now();
    const { fields, warnings } = normaliseFields(input, today, 'create');
    const { name, searchName, phoneticName, sex, dateOfBirth } = fields;
    if (name === undefined || searchName === undefined || phoneticName === undefined || sex === undefined) throw new Error('a registration without a normalised name or sex');
    checkRecordRules({ dateOfBirth: dateOfBirth ?? null, medicoLegal: fields.medicoLegal ?? false }, fields, today);
    return this.db.transaction(scopeOf(caller), async (tx) => {
      await this.patients.lockRegistration(tx, registrationLockKeys(caller.branchId, { phone: fields.phone, abhaNumber: fields.abhaNumber, phoneticName, dateOfBirth }));

      const candidates = await this.patients.findDuplicateCandidates(tx, caller.branchId, {
        phone: fields.phone ?? null,
        abhaNumber: fields.abhaNumber ?? null,
        phoneticName,
        dateOfBirth: dateOfBirth ?? null,
      });
      const duplicates = findLikelyDuplicates({ name, phone: fields.phone, dateOfBirth, abhaNumber: fields.abhaNumber }, candidates);
      const sameAbha = duplicates.filter((d) => d.reasons.includes('same-abha'));
      if (sameAbha.length) {
        throw conflict('patient-abha-registered', `This ABHA number belongs to patient ${sameAbha[0].patient.uhid} already`, {
          candidates: sameAbha.map((d) => ({ id: d.patient.id, uhid: d.patient.uhid, name: d.patient.name, reasons: d.reasons })),
        });
      }
      if (duplicates.length && !input.confirmedNotDuplicate) {
        throw conflict(
          'patient-duplicate-suspected',
          'This may be a patient who is registered already. Check the candidates; if none is this person, send the request again with "confirmedNotDuplicate": true',
          { candidates: duplicates.map((d) => ({ id: d.patient.id, uhid: d.patient.uhid, name: d.patient.name, dateOfBirth: d.patient.dateOfBirth, reasons: d.reasons })) },
        );
      }

      const number = await this.uhidSeries.takeNext(tx, caller.branchId, caller.branchCode);
      const patient = await this.patients.insert(tx, {
        id: this.ids.next(),
        branchId: caller.branchId,
        uhid: formatUhid(number.prefix, number.value),
        name,
        givenName: fields.givenName ?? null,
        familyName: fields.familyName ?? null,
        searchName,
        phoneticName,
        sex,
        dateOfBirth: dateOfBirth ?? null,
        dateOfBirthEstimated: fields.dateOfBirthEstimated ?? false,
        phone: fields.phone ?? null,
        abhaNumber: fields.abhaNumber ?? null,
        abhaAddress: fields.abhaAddress ?? null,
        address: fields.address ?? null,
        emergencyContact: fields.emergencyContact ?? null,
        guardian: fields.guardian ?? null,
        warnings,
        dateOfDeath: null,
        deathRecordedAt: null,
        deathRecordedBy: null,
        deathRecordedByName: null,
        medicoLegal: fields.medicoLegal ?? false,
        mlcNumber: fields.mlcNumber ?? null,
        policeStation: fields.policeStation ?? null,
        status: 'active',
        mergedInto: null,
        version: 1,
        createdBy: caller.userId,
        updatedBy: caller.userId,
      });
      await this.outbox.append(tx, PatientRegistered, patientSummary(patient), eventMeta(caller, patient.id));
      return patientView(patient, today);
    });
  }
}
