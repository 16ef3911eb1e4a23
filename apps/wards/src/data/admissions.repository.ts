import { Injectable } from '@nestjs/common';
import type { DischargeType, GenderPolicyOverride } from '@hms/contracts-wards';
import type { Tx } from '@hms/platform-persistence';
import { IsNull } from 'typeorm';
import { AdmissionEntity } from './admissions.entity';
import { BedCategoryEntity } from './bed-categories.entity';
import { BedStayEntity } from './bed-stays.entity';
import { BedEntity } from './beds.entity';
import { insertRows, refusingDuplicate } from './columns';
import { GenderPolicyOverrideEntity } from './gender-policy-overrides.entity';
import { BranchEntity } from './branches.entity';
import { PatientEntity } from './patients.entity';
import { RoomEntity } from './rooms.entity';
import { WardEntity } from './wards.entity';
import { conflict } from '../domain/errors';

/** An admission with its patient, read in one statement. */
export type AdmissionWithPatient = AdmissionEntity & { patient: PatientEntity };

/** A stay in a bed with the bed, its ward and category, and the override it was placed under (if any), read in one statement. */
export type PlacedStay = BedStayEntity & {
  bed: BedEntity;
  room?: RoomEntity | null;
  ward: WardEntity;
  category: BedCategoryEntity;
  override?: GenderPolicyOverrideEntity | null;
};

/** An admission of a branch with its patient and the branch as the gateway described it (if it has). */
export type AdmissionForInterop = AdmissionWithPatient & { branch?: BranchEntity | null };

export type NewAdmission = Pick<
  AdmissionEntity,
  | 'id'
  | 'branchId'
  | 'ipNumber'
  | 'patientId'
  | 'admissionType'
  | 'admittedAt'
  | 'admittingDoctorId'
  | 'admittingDoctorName'
  | 'department'
  | 'reason'
  | 'expectedDischargeAt'
  | 'depositReference'
  | 'bedId'
  | 'createdBy'
> & { status: 'admitted' };

/** Admissions with their bed stays, gender policy overrides and IP number series. */
@Injectable()
export class AdmissionsRepository {
  /** Inserts an open admission; 409 when the patient holds one already (a race the checks before did not see). */
  async insert(tx: Tx, a: NewAdmission): Promise<void> {
    await refusingDuplicate(
      'admissions_one_active',
      () => insertRows(tx, AdmissionEntity, a),
      () => conflict('patient-already-admitted', 'The patient was admitted by someone else a moment ago'),
    );
  }

  async setIpNumber(tx: Tx, id: string, ipNumber: string): Promise<void> {
    await tx.manager.update(AdmissionEntity, { id }, { ipNumber });
  }

  /**
   * Takes the next number of the branch's series for a financial year, gap-free: the series row
   * stays locked until the transaction commits.
   */
  async nextInSeries(tx: Tx, branchId: string, financialYear: string): Promise<number> {
    const row = await tx.one<{ value: string }>(
      `INSERT INTO ip_series (branch_id, financial_year, next_value) VALUES ($1, $2, 2)
       ON CONFLICT (branch_id, financial_year) DO UPDATE SET next_value = ip_series.next_value + 1
       RETURNING next_value - 1 AS value`,
      [branchId, financialYear],
    );
    return Number(row.value);
  }

  /** The IP number of the patient's open admission, if any. */
  async activeIpNumberOf(tx: Tx, patientId: string): Promise<string | null> {
    return (await tx.manager.findOne(AdmissionEntity, { select: { ipNumber: true }, where: { patientId, status: 'admitted' } }))?.ipNumber ?? null;
  }

  async ipNumber(tx: Tx, id: string): Promise<string | null> {
    return (await tx.manager.findOne(AdmissionEntity, { select: { ipNumber: true }, where: { id } }))?.ipNumber ?? null;
  }

  exists(tx: Tx, id: string): Promise<boolean> {
    return tx.manager.exists(AdmissionEntity, { where: { id } });
  }

  /** The admission, locked until the transaction ends. */
  lock(tx: Tx, id: string): Promise<AdmissionEntity | null> {
    return tx.manager.findOne(AdmissionEntity, { where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  async moveToBed(tx: Tx, id: string, bedId: string): Promise<void> {
    await tx.manager.update(AdmissionEntity, { id }, { bedId, version: () => 'version + 1', updatedAt: () => 'now()' });
  }

  async discharge(tx: Tx, id: string, d: { at: Date; type: DischargeType; notes: string | null }): Promise<void> {
    await tx.manager.update(
      AdmissionEntity,
      { id },
      { status: 'discharged', dischargedAt: d.at, dischargeType: d.type, dischargeNotes: d.notes, version: () => 'version + 1', updatedAt: () => 'now()' },
    );
  }

  /** A page of admission ids of the branch, newest first (`limit + 1` rows, for toPage). */
  async listIds(tx: Tx, branchId: string, filter: { status?: string; patientId?: string; wardId?: string }, limit: number, offset: number): Promise<{ id: string }[]> {
    const query = tx.manager.createQueryBuilder(AdmissionEntity, 'a').select(['a.id']).where('a.branchId = :branchId', { branchId });
    if (filter.status !== undefined) query.andWhere('a.status = :status', { status: filter.status });
    if (filter.patientId !== undefined) query.andWhere('a.patientId = :patientId', { patientId: filter.patientId });
    if (filter.wardId !== undefined) query.innerJoin(BedEntity, 'b', 'b.id = a.bedId').andWhere('b.wardId = :wardId', { wardId: filter.wardId });
    const admissions = await query.orderBy('a.admittedAt', 'DESC').addOrderBy('a.id').limit(limit).offset(offset).getMany();
    return admissions.map((a) => ({ id: a.id }));
  }

  /** The admission with its patient's two identifiers; null when either is missing. */
  async withPatient(tx: Tx, id: string): Promise<AdmissionWithPatient | null> {
    const admission = await tx.manager
      .createQueryBuilder(AdmissionEntity, 'a')
      .innerJoinAndMapOne('a.patient', PatientEntity, 'p', 'p.patientId = a.patientId')
      .where('a.id = :id', { id })
      .getOne();
    return admission as AdmissionWithPatient | null;
  }

  // Bed stays -------------------------------------------------------------------------------

  /** The admission of the branch with its patient and branch, as FHIR and HL7 messages describe it. */
  async forInterop(tx: Tx, id: string, branchId: string): Promise<AdmissionForInterop | null> {
    const admission = await tx.manager
      .createQueryBuilder(AdmissionEntity, 'a')
      .innerJoinAndMapOne('a.patient', PatientEntity, 'p', 'p.patientId = a.patientId')
      .leftJoinAndMapOne('a.branch', BranchEntity, 'br', 'br.branchId = a.branchId')
      .where('a.id = :id AND a.branchId = :branchId', { id, branchId })
      .getOne();
    return admission as AdmissionForInterop | null;
  }

  /** The admission's stays, in order, each with its bed, room, ward, category and the override it was placed under. */
  async stays(tx: Tx, admissionId: string): Promise<PlacedStay[]> {
    const stays = await tx.manager
      .createQueryBuilder(BedStayEntity, 's')
      .innerJoinAndMapOne('s.bed', BedEntity, 'b', 'b.id = s.bedId')
      .leftJoinAndMapOne('s.room', RoomEntity, 'r', 'r.id = b.roomId')
      .innerJoinAndMapOne('s.ward', WardEntity, 'w', 'w.id = s.wardId')
      .innerJoinAndMapOne('s.category', BedCategoryEntity, 'c', 'c.id = s.categoryId')
      .leftJoinAndMapOne('s.override', GenderPolicyOverrideEntity, 'o', 'o.bedStayId = s.id')
      .where('s.admissionId = :admissionId', { admissionId })
      .orderBy('s.startedAt')
      .addOrderBy('s.id')
      .getMany();
    return stays as PlacedStay[];
  }

  /** The open stay of the admission, with the tariff it began at; null when there is none. */
  openStay(tx: Tx, admissionId: string): Promise<Pick<BedStayEntity, 'dailyRatePaise'> | null> {
    return tx.manager.findOne(BedStayEntity, { select: { dailyRatePaise: true }, where: { admissionId, endedAt: IsNull() } });
  }

  async startStay(tx: Tx, s: Pick<BedStayEntity, 'id' | 'branchId' | 'admissionId' | 'bedId' | 'wardId' | 'categoryId' | 'dailyRatePaise' | 'startedAt'>): Promise<void> {
    await insertRows(tx, BedStayEntity, s);
  }

  async endOpenStay(tx: Tx, admissionId: string, at: Date): Promise<void> {
    await tx.manager.update(BedStayEntity, { admissionId, endedAt: IsNull() }, { endedAt: at });
  }

  async recordOverride(tx: Tx, r: { stayId: string; branchId: string; admissionId: string; override: GenderPolicyOverride }): Promise<void> {
    const o = r.override;
    await insertRows(tx, GenderPolicyOverrideEntity, {
      bedStayId: r.stayId,
      branchId: r.branchId,
      admissionId: r.admissionId,
      wardPolicy: o.wardPolicy,
      patientSex: o.patientSex,
      reason: o.reason,
      actorId: o.by.id,
      actorName: o.by.name,
      at: new Date(o.at),
    });
  }

  // Merges ------------------------------------------------------------------------------------

  /**
   * The merged-away record's admissions become the survivor's. An open admission moves only if
   * the survivor holds none; it then stays under the merged record.
   */
  async reassignPatient(tx: Tx, mergedPatientId: string, survivorId: string): Promise<void> {
    await tx.query(
      `UPDATE admissions SET patient_id = $2, version = version + 1, updated_at = now()
       WHERE patient_id = $1
         AND (status <> 'admitted' OR NOT EXISTS (SELECT 1 FROM admissions o WHERE o.patient_id = $2 AND o.status = 'admitted'))`,
      [mergedPatientId, survivorId],
    );
  }
}
