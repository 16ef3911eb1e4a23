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
import { conflict } from '../domain/errors';

/** An admission with its patient's two identifiers, as every admission view shows it. */
export type AdmissionWithIdentifiers = AdmissionEntity & { patientUhid: string; patientName: string };

/**
 * A stay in a bed, in the order stays began: the bed, room, ward and category codes, and the
 * gender policy override it was placed under (`overridden`), read in one statement.
 */
export type PlacedStay = Pick<BedStayEntity, 'bedId' | 'dailyRatePaise' | 'startedAt' | 'endedAt'> &
  Pick<BedCategoryEntity, 'isCriticalCare'> & {
    bedCode: string;
    roomCode: string | null;
    wardCode: string;
    categoryCode: string;
  } & (
    | { overridden: false }
    | {
        overridden: true;
        overrideWardPolicy: GenderPolicyOverrideEntity['wardPolicy'];
        overridePatientSex: GenderPolicyOverrideEntity['patientSex'];
        overrideReason: GenderPolicyOverrideEntity['reason'];
        overrideActorId: GenderPolicyOverrideEntity['actorId'];
        overrideActorName: GenderPolicyOverrideEntity['actorName'];
        overrideAt: GenderPolicyOverrideEntity['at'];
      }
  );

/**
 * An admission of a branch with its patient and the branch as the gateway described it (null
 * until the gateway's event about the branch has arrived).
 */
export type AdmissionForInterop = AdmissionWithIdentifiers & {
  patientSex: PatientEntity['sex'];
  patientDateOfBirth: PatientEntity['dateOfBirth'];
  branchCode: BranchEntity['code'] | null;
  branchName: BranchEntity['name'] | null;
};

/**
 * The admission's columns under their entity property names, for the joined reads of the
 * admission views, which read an admission on every admit, transfer and discharge: one plain
 * statement instead of the query builder's aliased select of every column of every table.
 */
const ADMISSION_COLUMNS = `a.id, a.branch_id AS "branchId", a.ip_number AS "ipNumber", a.patient_id AS "patientId", a.status,
  a.admission_type AS "admissionType", a.admitted_at AS "admittedAt", a.admitting_doctor_id AS "admittingDoctorId",
  a.admitting_doctor_name AS "admittingDoctorName", a.department, a.reason, a.expected_discharge_at AS "expectedDischargeAt",
  a.deposit_reference AS "depositReference", a.bed_id AS "bedId", a.discharged_at AS "dischargedAt", a.discharge_type AS "dischargeType",
  a.discharge_notes AS "dischargeNotes", a.billing_clearance AS "billingClearance", a.dues_paise::float8 AS "duesPaise", a.version,
  a.created_by AS "createdBy", a.updated_at AS "updatedAt"`;

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

  /**
   * Takes the next number of the branch's series for a financial year, gap-free, and gives it to
   * the admission, in one statement: the series row stays locked until the transaction commits,
   * so the fewer round trips after it, the shorter admissions queue on it. The number is made
   * from the domain's prefix and width (`ipNumberPrefix`, `IP_SEQUENCE_DIGITS`); what was written
   * is returned, so the event carries exactly the stored text.
   */
  async assignFromSeries(tx: Tx, admissionId: string, series: { branchId: string; financialYear: string; prefix: string; digits: number }): Promise<string> {
    const row = await tx.one<Pick<AdmissionEntity, 'ipNumber'>>(
      `WITH n AS (
         INSERT INTO ip_series (branch_id, financial_year, next_value) VALUES ($1, $2, 2)
         ON CONFLICT (branch_id, financial_year) DO UPDATE SET next_value = ip_series.next_value + 1
         RETURNING next_value - 1 AS value)
       UPDATE admissions SET ip_number = $4 || lpad(n.value::text, greatest($5, length(n.value::text)), '0')
       FROM n WHERE admissions.id = $3
       RETURNING admissions.ip_number AS "ipNumber"`,
      [series.branchId, series.financialYear, admissionId, series.prefix, series.digits],
    );
    return row.ipNumber;
  }

  /** The IP number of the patient's open admission, if any. */
  async activeIpNumberOf(tx: Tx, patientId: string): Promise<string | null> {
    // Plain SQL on the admission's hot path (see insertRows in columns.ts).
    return (await tx.maybeOne<Pick<AdmissionEntity, 'ipNumber'>>(`SELECT ip_number AS "ipNumber" FROM admissions WHERE patient_id = $1 AND status = 'admitted' LIMIT 1`, [patientId]))?.ipNumber ?? null;
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
  async withIdentifiers(tx: Tx, id: string): Promise<AdmissionWithIdentifiers | null> {
    const rows = await tx.query<AdmissionWithIdentifiers>(
      `SELECT ${ADMISSION_COLUMNS}, p.uhid AS "patientUhid", p.name AS "patientName"
       FROM admissions a JOIN patients p ON p.patient_id = a.patient_id WHERE a.id = $1`,
      [id],
    );
    return rows[0] ?? null;
  }

  // Bed stays -------------------------------------------------------------------------------

  /** The admission of the branch with its patient and branch, as FHIR and HL7 messages describe it. */
  async forInterop(tx: Tx, id: string, branchId: string): Promise<AdmissionForInterop | null> {
    const rows = await tx.query<AdmissionForInterop>(
      `SELECT ${ADMISSION_COLUMNS}, p.uhid AS "patientUhid", p.name AS "patientName", p.sex AS "patientSex",
              p.date_of_birth::text AS "patientDateOfBirth", br.code AS "branchCode", br.name AS "branchName"
       FROM admissions a JOIN patients p ON p.patient_id = a.patient_id LEFT JOIN branches br ON br.branch_id = a.branch_id
       WHERE a.id = $1 AND a.branch_id = $2`,
      [id, branchId],
    );
    return rows[0] ?? null;
  }

  /** The admission's stays, in order, each with its bed, room, ward, category and the override it was placed under. */
  async stays(tx: Tx, admissionId: string): Promise<PlacedStay[]> {
    return tx.query<PlacedStay>(
      `SELECT s.bed_id AS "bedId", b.code AS "bedCode", r.code AS "roomCode", w.code AS "wardCode", c.code AS "categoryCode",
              c.is_critical_care AS "isCriticalCare", s.daily_rate_paise::float8 AS "dailyRatePaise", s.started_at AS "startedAt", s.ended_at AS "endedAt",
              o.bed_stay_id IS NOT NULL AS "overridden", o.ward_policy AS "overrideWardPolicy", o.patient_sex AS "overridePatientSex",
              o.reason AS "overrideReason", o.actor_id AS "overrideActorId", o.actor_name AS "overrideActorName", o.at AS "overrideAt"
       FROM bed_stays s
       JOIN beds b ON b.id = s.bed_id
       LEFT JOIN rooms r ON r.id = b.room_id
       JOIN wards w ON w.id = s.ward_id
       JOIN bed_categories c ON c.id = s.category_id
       LEFT JOIN gender_policy_overrides o ON o.bed_stay_id = s.id
       WHERE s.admission_id = $1
       ORDER BY s.started_at, s.id`,
      [admissionId],
    );
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
