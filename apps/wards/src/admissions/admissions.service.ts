import { Inject, Injectable } from '@nestjs/common';
import { DomainError, conflict, notFound, type EventActor } from '@hms/contracts-common';
import {
  PatientAdmitted,
  PatientDischarged,
  PatientTransferred,
  type AdmissionType,
  type BedPlacement,
  type BedState,
  type DischargeType,
  type GenderPolicyOverride,
  type WardGenderPolicy,
} from '@hms/contracts-wards';
import type { Caller } from '@hms/platform-auth';
import { toPage, type PageRequest } from '@hms/platform-http';
import { Outbox } from '@hms/platform-messaging';
import { Database, PG, pgCode, pgConstraint, uuidv7, type Tx } from '@hms/platform-persistence';
import { CLOCK, Clock } from '@hms/platform-time';
import { canAdmitTo, financialYear, formatIpNumber, genderPlacement, genderPolicyMismatch } from '../domain';
import { emitBedState } from '../masters/masters.service';

const scopeOf = (caller: Caller) => ({ branchId: caller.branchId });
const actorOf = (caller: Caller): EventActor => ({ type: 'user', id: caller.userId, name: caller.name });

interface BedRow {
  id: string;
  code: string;
  state: BedState;
  reserved_for_patient_id: string | null;
  admission_id: string | null;
  retired_at: Date | null;
  ward_id: string;
  ward_code: string;
  gender_policy: WardGenderPolicy;
  room_code: string | null;
  category_id: string;
  category_code: string;
  is_critical_care: boolean;
  rate: string | null;
}

interface AdmissionRow {
  id: string;
  ip_number: string;
  patient_id: string;
  status: 'admitted' | 'discharged';
  admission_type: AdmissionType;
  admitted_at: Date;
  admitting_doctor_id: string | null;
  admitting_doctor_name: string;
  department: string;
  reason: string;
  expected_discharge_at: Date | null;
  deposit_reference: string | null;
  bed_id: string | null;
  discharged_at: Date | null;
  discharge_type: DischargeType | null;
  discharge_notes: string | null;
  billing_clearance: 'cleared' | 'pending' | 'unknown';
  dues_paise: string | null;
  version: number;
}

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

export interface TransferInput {
  toBedId: string;
  fromBedId: string;
  reason?: string;
  genderPolicyOverride?: { reason: string };
}

export interface AdmissionWarning {
  code: string;
  message: string;
}

/** A placement checked against the ward's gender policy: the override to record, if any, and what to tell the desk. */
interface GenderCheck {
  override: GenderPolicyOverride | null;
  warnings: AdmissionWarning[];
}

/**
 * Admission, transfer and discharge. Every change locks the beds it touches (in a fixed order)
 * and the admission, so of two desks acting on one bed or one patient exactly one wins and the
 * other gets a 409 that names what it ran into.
 */
@Injectable()
export class AdmissionsService {
  constructor(
    private readonly db: Database,
    private readonly outbox: Outbox,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async admit(caller: Caller, input: AdmitInput) {
    try {
      const admitted = await this.db.transaction(scopeOf(caller), async (tx) => {
        const now = this.clock.now();
        const patient = await tx.maybeOne<{ uhid: string; name: string; sex: string; status: string; merged_into: string | null }>(
          'SELECT uhid, name, sex, status, merged_into FROM patients WHERE patient_id = $1',
          [input.patientId],
        );
        if (!patient) {
          throw new DomainError('unprocessable', 'patient-unknown', 'No registered patient has this id in this branch (a patient registered moments ago may take a second to appear)');
        }
        if (patient.status !== 'active') {
          const survivor = patient.merged_into ? await tx.maybeOne<{ uhid: string }>('SELECT uhid FROM patients WHERE patient_id = $1', [patient.merged_into]) : null;
          throw new DomainError('unprocessable', 'patient-merged', `This record was merged into ${survivor?.uhid ?? 'another record'}; admit the surviving record`, {
            survivorId: patient.merged_into,
          });
        }
        const bed = await this.lockBeds(tx, [input.bedId]).then((b) => b.get(input.bedId));
        if (!bed) throw notFound('The bed', 'bed-not-found');
        if (bed.retired_at) throw bedRetired(bed);
        if (!canAdmitTo(bed.state, bed.reserved_for_patient_id, input.patientId)) {
          throw await this.bedTaken(tx, bed);
        }
        const active = await tx.maybeOne<{ ip_number: string }>(`SELECT ip_number FROM admissions WHERE patient_id = $1 AND status = 'admitted'`, [input.patientId]);
        if (active) throw conflict('patient-already-admitted', `The patient is already admitted as ${active.ip_number}`, { ipNumber: active.ip_number });
        const gender = checkGenderPolicy(bed, patient.sex, input.genderPolicyOverride, caller, now);

        const id = uuidv7();
        const expected = input.expectedStayDays !== undefined ? new Date(now.getTime() + input.expectedStayDays * 86_400_000) : null;
        // The admission holds a placeholder number while the bed is taken; the gap-free series is
        // locked only for the last few statements before commit, so admissions queue on it briefly.
        await tx.query(
          `INSERT INTO admissions (id, branch_id, ip_number, patient_id, status, admission_type, admitted_at, admitting_doctor_id, admitting_doctor_name,
             department, reason, expected_discharge_at, deposit_reference, bed_id, created_by)
           VALUES ($1, $2, $14, $3, 'admitted', $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
          [
            id,
            caller.branchId,
            input.patientId,
            input.admissionType,
            now,
            input.admittingDoctor.id ?? null,
            input.admittingDoctor.name,
            input.department,
            input.reason,
            expected,
            input.depositReference ?? null,
            bed.id,
            caller.userId,
            `pending:${id}`,
          ],
        );
        const stayId = await this.occupy(tx, caller, bed, { id, patientId: input.patientId }, now, 'admitted');
        if (gender.override) await recordOverride(tx, caller, id, stayId, gender.override);
        const ipNumber = await this.nextIpNumber(tx, caller, now);
        await tx.query('UPDATE admissions SET ip_number = $2 WHERE id = $1', [id, ipNumber]);
        const placement = placementOf(bed);
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
            bed: placement,
            ...(gender.override ? { genderPolicyOverride: gender.override } : {}),
          },
          this.meta(caller, id),
        );
        return { id, warnings: gender.warnings };
      });
      // Read back after the commit, so the series lock is not held while the view is built.
      const view = await this.get(caller, admitted.id);
      return { ...view, warnings: admitted.warnings };
    } catch (error) {
      throw translate(error);
    }
  }

  async transfer(caller: Caller, admissionId: string, input: TransferInput) {
    if (input.toBedId === input.fromBedId) throw new DomainError('validation', 'validation-failed', 'The patient is already in that bed');
    try {
      return await this.db.transaction(scopeOf(caller), async (tx) => {
        const now = this.clock.now();
        const admission = await this.lockAdmission(tx, admissionId);
        if (admission.bed_id !== input.fromBedId) {
          const current = admission.bed_id ? await tx.maybeOne<{ code: string }>('SELECT code FROM beds WHERE id = $1', [admission.bed_id]) : null;
          throw conflict('admission-moved', `The patient is no longer in that bed: ${admission.ip_number} is now in bed ${current?.code ?? 'unknown'}; reload and try again`, {
            currentBedId: admission.bed_id,
          });
        }
        const beds = await this.lockBeds(tx, [input.fromBedId, input.toBedId]);
        const current = beds.get(input.fromBedId);
        const to = beds.get(input.toBedId);
        if (!to || to.retired_at) throw notFound('The bed to transfer to', 'bed-not-found');
        if (!current) throw notFound('The current bed', 'bed-not-found');
        const from = await this.asStayed(tx, current, admissionId);
        if (!canAdmitTo(to.state, to.reserved_for_patient_id, admission.patient_id)) throw await this.bedTaken(tx, to);
        const gender = await this.checkTransferGenderPolicy(tx, caller, admission.patient_id, from, to, input.genderPolicyOverride, now);

        await this.vacate(tx, caller, from, { id: admissionId, patientId: admission.patient_id }, now, 'transferred out');
        await tx.query('UPDATE admissions SET bed_id = $2, version = version + 1, updated_at = now() WHERE id = $1', [admissionId, to.id]);
        const stayId = await this.occupy(tx, caller, to, { id: admissionId, patientId: admission.patient_id }, now, 'transferred in');
        if (gender.override) await recordOverride(tx, caller, admissionId, stayId, gender.override);
        await this.outbox.append(
          tx,
          PatientTransferred,
          {
            admissionId,
            ipNumber: admission.ip_number,
            patientId: admission.patient_id,
            transferredAt: now.toISOString(),
            reason: input.reason ?? null,
            from: placementOf(from),
            to: placementOf(to),
            ...(gender.override ? { genderPolicyOverride: gender.override } : {}),
          },
          this.meta(caller, admissionId),
        );
        return { ...(await this.view(tx, admissionId)), warnings: gender.warnings };
      });
    } catch (error) {
      throw translate(error);
    }
  }

  /**
   * Discharges whatever the bill says: an uncleared bill is a warning with the dues recorded,
   * never a refusal, and the release of a deceased patient is never held up (REC-05).
   */
  async discharge(caller: Caller, admissionId: string, input: { dischargeType: DischargeType; notes?: string }) {
    return this.db.transaction(scopeOf(caller), async (tx) => {
      const now = this.clock.now();
      const admission = await this.lockAdmission(tx, admissionId);
      if (!admission.bed_id) throw new Error('an active admission without a bed');
      const locked = (await this.lockBeds(tx, [admission.bed_id])).get(admission.bed_id);
      if (!locked) throw new Error('an admission whose bed is missing');
      const bed = await this.asStayed(tx, locked, admissionId);
      await this.vacate(tx, caller, bed, { id: admissionId, patientId: admission.patient_id }, now, 'discharged');
      await tx.query(
        `UPDATE admissions SET status = 'discharged', discharged_at = $2, discharge_type = $3, discharge_notes = $4, version = version + 1, updated_at = now()
         WHERE id = $1`,
        [admissionId, now, input.dischargeType, input.notes ?? null],
      );
      await this.outbox.append(
        tx,
        PatientDischarged,
        {
          admissionId,
          ipNumber: admission.ip_number,
          patientId: admission.patient_id,
          dischargedAt: now.toISOString(),
          dischargeType: input.dischargeType,
          admittedAt: admission.admitted_at.toISOString(),
          bed: placementOf(bed),
          billingClearance: admission.billing_clearance,
          duesPaise: admission.dues_paise === null ? null : Number(admission.dues_paise),
        },
        this.meta(caller, admissionId),
      );
      const warnings =
        admission.billing_clearance === 'cleared'
          ? []
          : [
              {
                code: 'billing-not-cleared',
                message:
                  admission.billing_clearance === 'pending'
                    ? `The bill is not cleared${admission.dues_paise ? `: dues of Rs ${(Number(admission.dues_paise) / 100).toFixed(2)} are recorded` : ''}; the discharge stands`
                    : 'No billing clearance has been received; the discharge stands',
              },
            ];
      return { ...(await this.view(tx, admissionId)), warnings };
    });
  }

  get(caller: Caller, admissionId: string) {
    return this.db.transaction(scopeOf(caller), (tx) => this.view(tx, admissionId), { readOnly: true });
  }

  async list(caller: Caller, filter: { status?: string; patientId?: string; wardId?: string }, page: PageRequest) {
    const rows = await this.db.transaction(
      scopeOf(caller),
      (tx) =>
        tx.query<{ id: string }>(
          `SELECT a.id FROM admissions a LEFT JOIN beds b ON b.id = a.bed_id
           WHERE a.branch_id = $1 AND ($2::text IS NULL OR a.status = $2) AND ($3::uuid IS NULL OR a.patient_id = $3) AND ($4::uuid IS NULL OR b.ward_id = $4)
           ORDER BY a.admitted_at DESC, a.id LIMIT $5 OFFSET $6`,
          [caller.branchId, filter.status ?? null, filter.patientId ?? null, filter.wardId ?? null, page.limit + 1, page.offset],
        ),
      { readOnly: true },
    );
    const result = toPage(rows, page);
    // One query at a time: a transaction is one connection, and pg refuses overlapping queries on it.
    const items = await this.db.transaction(
      scopeOf(caller),
      async (tx) => {
        const views = [];
        for (const r of result.items) views.push(await this.view(tx, r.id));
        return views;
      },
      { readOnly: true },
    );
    return { ...result, items };
  }

  /** Every admission view carries the patient's id and two identifiers (NABH-02) and the bed history. */
  async view(tx: Tx, admissionId: string) {
    const a = await tx.maybeOne<AdmissionRow & { uhid: string; patient_name: string }>(
      `SELECT a.*, p.uhid, p.name AS patient_name FROM admissions a JOIN patients p ON p.patient_id = a.patient_id WHERE a.id = $1`,
      [admissionId],
    );
    if (!a) throw notFound('The admission', 'admission-not-found');
    const stays = await tx.query<StayRow>(
      `SELECT s.bed_id, b.code AS bed_code, w.code AS ward_code, c.code AS category_code, c.is_critical_care, s.daily_rate_paise AS rate, s.started_at, s.ended_at,
              o.ward_policy AS override_policy, o.patient_sex AS override_sex, o.reason AS override_reason, o.actor_id AS override_by, o.actor_name AS override_by_name,
              o.at AS override_at
       FROM bed_stays s JOIN beds b ON b.id = s.bed_id JOIN wards w ON w.id = s.ward_id JOIN bed_categories c ON c.id = s.category_id
       LEFT JOIN gender_policy_overrides o ON o.bed_stay_id = s.id
       WHERE s.admission_id = $1 ORDER BY s.started_at, s.id`,
      [admissionId],
    );
    const overrides = stays.map(overrideOf);
    return {
      id: a.id,
      ipNumber: a.ip_number,
      patientId: a.patient_id,
      patient: { uhid: a.uhid, name: a.patient_name },
      status: a.status,
      admissionType: a.admission_type,
      admittedAt: a.admitted_at.toISOString(),
      admittingDoctor: { id: a.admitting_doctor_id, name: a.admitting_doctor_name },
      department: a.department,
      reason: a.reason,
      expectedDischargeAt: a.expected_discharge_at?.toISOString() ?? null,
      depositReference: a.deposit_reference,
      bedId: a.bed_id,
      dischargedAt: a.discharged_at?.toISOString() ?? null,
      dischargeType: a.discharge_type,
      dischargeNotes: a.discharge_notes,
      billingClearance: a.billing_clearance,
      duesPaise: a.dues_paise === null ? null : Number(a.dues_paise),
      // The override under which the patient was admitted to the first bed, if any; each stay shows its own.
      genderPolicyOverride: overrides[0] ?? null,
      version: a.version,
      stays: stays.map((s, i) => ({
        bedId: s.bed_id,
        bedCode: s.bed_code,
        wardCode: s.ward_code,
        categoryCode: s.category_code,
        isCriticalCare: s.is_critical_care,
        dailyRatePaise: s.rate === null ? null : Number(s.rate),
        from: s.started_at.toISOString(),
        to: s.ended_at?.toISOString() ?? null,
        genderPolicyOverride: overrides[i],
      })),
    };
  }

  /** Locks beds in id order (two desks locking the same pair never deadlock) with what an admission needs to know. */
  private async lockBeds(tx: Tx, ids: string[]): Promise<Map<string, BedRow>> {
    const sorted = [...new Set(ids)].sort();
    await tx.query('SELECT id FROM beds WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE', [sorted]);
    const rows = await tx.query<BedRow>(
      `SELECT b.id, b.code, b.state, b.reserved_for_patient_id, b.admission_id, b.retired_at, b.ward_id, w.code AS ward_code, w.gender_policy,
              r.code AS room_code, b.category_id, c.code AS category_code, c.is_critical_care,
              (SELECT t.daily_rate_paise FROM category_tariffs t WHERE t.category_id = c.id AND t.effective_from <= (now() AT TIME ZONE 'Asia/Kolkata')::date
               ORDER BY t.effective_from DESC LIMIT 1) AS rate
       FROM beds b JOIN wards w ON w.id = b.ward_id JOIN bed_categories c ON c.id = b.category_id LEFT JOIN rooms r ON r.id = b.room_id
       WHERE b.id = ANY($1::uuid[])`,
      [sorted],
    );
    return new Map(rows.map((r) => [r.id, r]));
  }

  /**
   * The bed as the admission's open stay knows it: billing charges the stay at the tariff in
   * force when it began (BedPlacement.dailyRatePaise), not at today's.
   */
  private async asStayed(tx: Tx, bed: BedRow, admissionId: string): Promise<BedRow> {
    const stay = await tx.maybeOne<{ rate: string | null }>('SELECT daily_rate_paise AS rate FROM bed_stays WHERE admission_id = $1 AND ended_at IS NULL', [admissionId]);
    return stay ? { ...bed, rate: stay.rate } : bed;
  }

  private async lockAdmission(tx: Tx, admissionId: string): Promise<AdmissionRow> {
    const admission = await tx.maybeOne<AdmissionRow>('SELECT * FROM admissions WHERE id = $1 FOR UPDATE', [admissionId]);
    if (!admission) throw notFound('The admission', 'admission-not-found');
    if (admission.status !== 'admitted') throw conflict('admission-closed', `${admission.ip_number} was discharged already`);
    return admission;
  }

  private async bedTaken(tx: Tx, bed: BedRow): Promise<DomainError> {
    if (bed.state === 'occupied' && bed.admission_id) {
      const holder = await tx.maybeOne<{ ip_number: string }>('SELECT ip_number FROM admissions WHERE id = $1', [bed.admission_id]);
      return conflict('bed-occupied', `Bed ${bed.code} is occupied by ${holder?.ip_number ?? 'another admission'}`, { bedState: bed.state });
    }
    if (bed.state === 'reserved') return conflict('bed-reserved', `Bed ${bed.code} is reserved for another patient`, { bedState: bed.state });
    return conflict('bed-not-available', `Bed ${bed.code} is ${bed.state}`, { bedState: bed.state });
  }

  /** The patient takes the bed: it becomes occupied and a stay in it begins. Returns the stay's id. */
  private async occupy(tx: Tx, caller: Caller, bed: BedRow, admission: { id: string; patientId: string }, at: Date, reason: string): Promise<string> {
    const stayId = uuidv7();
    await tx.query(
      `UPDATE beds SET state = 'occupied', state_since = $3, admission_id = $2, reserved_for_patient_id = NULL, version = version + 1 WHERE id = $1`,
      [bed.id, admission.id, at],
    );
    await tx.query(
      'INSERT INTO bed_stays (id, branch_id, admission_id, bed_id, ward_id, category_id, daily_rate_paise, started_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)',
      [stayId, caller.branchId, admission.id, bed.id, bed.ward_id, bed.category_id, bed.rate, at],
    );
    await this.history(tx, caller, bed.id, bed.state, 'occupied', reason, admission.id);
    await emitBedState(this.outbox, tx, caller, bed.id, bed.state, 'occupied', reason, admission);
    return stayId;
  }

  /**
   * A move within one ward is not a placement into it: the patient is there already, with or
   * without an override. A move into another ward is checked like an admission.
   */
  private async checkTransferGenderPolicy(
    tx: Tx,
    caller: Caller,
    patientId: string,
    from: BedRow,
    to: BedRow,
    requested: { reason: string } | null | undefined,
    now: Date,
  ): Promise<GenderCheck> {
    if (from.ward_id === to.ward_id) {
      return { override: null, warnings: requested ? [overrideNotNeeded(`The patient stays in ward ${to.ward_code}`)] : [] };
    }
    const patient = await tx.maybeOne<{ sex: string }>('SELECT sex FROM patients WHERE patient_id = $1', [patientId]);
    if (!patient) throw new Error(`admitted patient ${patientId} is missing from the read model`);
    return checkGenderPolicy(to, patient.sex, requested, caller, now);
  }

  /** The patient leaves the bed: it goes to cleaning, and the stay in it ends. */
  private async vacate(tx: Tx, caller: Caller, bed: BedRow, admission: { id: string; patientId: string }, at: Date, reason: string) {
    await tx.query(`UPDATE beds SET state = 'cleaning', state_since = $2, admission_id = NULL, version = version + 1 WHERE id = $1`, [bed.id, at]);
    await tx.query('UPDATE bed_stays SET ended_at = $2 WHERE admission_id = $1 AND ended_at IS NULL', [admission.id, at]);
    await this.history(tx, caller, bed.id, 'occupied', 'cleaning', reason, admission.id);
    await emitBedState(this.outbox, tx, caller, bed.id, 'occupied', 'cleaning', reason, admission);
  }

  private async history(tx: Tx, caller: Caller, bedId: string, from: BedState, to: BedState, reason: string, admissionId: string) {
    await tx.query('INSERT INTO bed_state_history (branch_id, bed_id, from_state, to_state, actor_id, reason, admission_id) VALUES ($1, $2, $3, $4, $5, $6, $7)', [
      caller.branchId,
      bedId,
      from,
      to,
      caller.userId,
      reason,
      admissionId,
    ]);
  }

  /** Per branch and financial year, gap-free: the series row stays locked until the admission commits. */
  private async nextIpNumber(tx: Tx, caller: Caller, now: Date): Promise<string> {
    const fy = financialYear(now);
    const row = await tx.one<{ value: string }>(
      `INSERT INTO ip_series (branch_id, financial_year, next_value) VALUES ($1, $2, 2)
       ON CONFLICT (branch_id, financial_year) DO UPDATE SET next_value = ip_series.next_value + 1
       RETURNING next_value - 1 AS value`,
      [caller.branchId, fy],
    );
    return formatIpNumber(fy, Number(row.value));
  }

  private meta(caller: Caller, admissionId: string) {
    return { key: admissionId, branchId: caller.branchId, actor: actorOf(caller), correlationId: caller.correlationId };
  }
}

function placementOf(bed: BedRow): BedPlacement {
  return {
    bedId: bed.id,
    bedCode: bed.code,
    roomCode: bed.room_code,
    wardId: bed.ward_id,
    wardCode: bed.ward_code,
    categoryCode: bed.category_code,
    isCriticalCare: bed.is_critical_care,
    dailyRatePaise: bed.rate === null ? null : Number(bed.rate),
  };
}

/** The database's last word on a race the locks did not see coming (a second active admission). */
function translate(error: unknown): unknown {
  if (pgCode(error) === PG.uniqueViolation && pgConstraint(error) === 'admissions_one_active') {
    return conflict('patient-already-admitted', 'The patient was admitted by someone else a moment ago');
  }
  if (pgCode(error) === PG.uniqueViolation && pgConstraint(error) === 'beds_one_per_admission') {
    return conflict('admission-has-bed', 'This admission holds another bed already');
  }
  return error;
}

interface StayRow {
  bed_id: string;
  bed_code: string;
  ward_code: string;
  category_code: string;
  is_critical_care: boolean;
  rate: string | null;
  started_at: Date;
  ended_at: Date | null;
  override_policy: 'male' | 'female' | null;
  override_sex: string | null;
  override_reason: string | null;
  override_by: string | null;
  override_by_name: string | null;
  override_at: Date | null;
}

function overrideOf(s: StayRow): GenderPolicyOverride | null {
  // Every column but the name is NOT NULL: all are null exactly when the stay had no override.
  const { override_policy: wardPolicy, override_sex: patientSex, override_reason: reason, override_by: by, override_at: at } = s;
  if (wardPolicy === null || patientSex === null || reason === null || by === null || at === null) return null;
  return { wardPolicy, patientSex, reason, by: { id: by, name: s.override_by_name }, at: at.toISOString() };
}

/** A retired bed still exists (the desk may see it on an old screen): say so, rather than "not found". */
function bedRetired(bed: BedRow): DomainError {
  return conflict('bed-retired', `Bed ${bed.code} of ward ${bed.ward_code} has been retired and takes no patients; choose another bed`, {
    retiredAt: bed.retired_at?.toISOString() ?? null,
  });
}

/**
 * Checks a placement against the ward's gender policy: a patient whose recorded sex does not fit
 * is refused, unless the desk overrides it with a reason, which is then recorded with who and when.
 */
function checkGenderPolicy(bed: BedRow, sex: string, requested: { reason: string } | null | undefined, caller: Caller, now: Date): GenderCheck {
  // A null override (which validation lets through as "not given") is no override.
  const decision = genderPlacement(bed.gender_policy, sex, Boolean(requested));
  switch (decision) {
    case 'fits':
      return { override: null, warnings: [] };
    case 'override-not-needed':
      return { override: null, warnings: [overrideNotNeeded(`Ward ${bed.ward_code} takes ${bed.gender_policy === 'mixed' ? 'patients of any sex' : `${bed.gender_policy} patients`}`)] };
    case 'refused':
      throw new DomainError(
        'unprocessable',
        'ward-gender-policy',
        `${genderPolicyMismatch(bed.gender_policy, sex)} (ward ${bed.ward_code}, bed ${bed.code}). To place the patient there anyway, send genderPolicyOverride with the reason`,
        { wardCode: bed.ward_code, genderPolicy: bed.gender_policy, patientSex: sex },
      );
    case 'overridden':
      if (bed.gender_policy === 'mixed' || !requested) throw new Error('only a single-sex ward with an override asked for is overridden');
      return {
        override: { wardPolicy: bed.gender_policy, patientSex: sex, reason: requested.reason, by: { id: caller.userId, name: caller.name }, at: now.toISOString() },
        warnings: [],
      };
  }
}

function overrideNotNeeded(why: string): AdmissionWarning {
  return { code: 'gender-policy-override-not-needed', message: `${why}: the gender policy override was not needed and is not recorded` };
}

async function recordOverride(tx: Tx, caller: Caller, admissionId: string, stayId: string, o: GenderPolicyOverride): Promise<void> {
  await tx.query(
    `INSERT INTO gender_policy_overrides (bed_stay_id, branch_id, admission_id, ward_policy, patient_sex, reason, actor_id, actor_name, at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [stayId, caller.branchId, admissionId, o.wardPolicy, o.patientSex, o.reason, o.by.id, o.by.name, o.at],
  );
}
