import { Injectable } from '@nestjs/common';
import type { Tx } from '@hms/platform-persistence';
import type { BedCategoryEntity } from './bed-categories.entity';
import type { BedEntity } from './beds.entity';
import type { WardEntity } from './wards.entity';

// The queries alias their columns in camelCase: each row is already the shape the use cases read.

/** A bed in service with its ward, room and category, and the admission and patient in it (all null when none). */
export type BoardRow = Pick<BedEntity, 'state' | 'reservedForPatientId'> &
  Pick<WardEntity, 'floor'> &
  Pick<BedCategoryEntity, 'isCriticalCare'> & {
    wardId: string;
    wardCode: string;
    wardName: string;
    bedId: string;
    bedCode: string;
    roomCode: string | null;
    categoryCode: string;
    since: Date;
    admissionId: string | null;
    ipNumber: string | null;
    expectedDischargeAt: Date | null;
    patientId: string | null;
    uhid: string | null;
    patientName: string | null;
  };

export type CensusRow = Pick<BedEntity, 'state'> & {
  wardCode: string;
  categoryCode: string;
  n: number;
};

export type UsageRow = {
  wardCode: string;
  categoryCode: string;
  occupiedDays: number;
};

export type CapacityRow = {
  wardCode: string;
  categoryCode: string;
  bedDays: number;
};

export type LengthOfStay = {
  discharges: number;
  avgDays: number | null;
};

/** The bed board, census and occupancy: reports over beds, stays and admissions, one query each. */
@Injectable()
export class BedBoardRepository {
  /** Every bed in service (of one ward, or all), with who is in it, by ward, room and bed code. */
  board(tx: Tx, branchId: string, wardId: string | null): Promise<BoardRow[]> {
    return tx.query<BoardRow>(
      `SELECT w.id AS "wardId", w.code AS "wardCode", w.name AS "wardName", w.floor,
              b.id AS "bedId", b.code AS "bedCode", r.code AS "roomCode", c.code AS "categoryCode", c.is_critical_care AS "isCriticalCare",
              b.state, b.state_since AS since, b.reserved_for_patient_id AS "reservedForPatientId",
              a.id AS "admissionId", a.ip_number AS "ipNumber", a.expected_discharge_at AS "expectedDischargeAt", a.patient_id AS "patientId", p.uhid, p.name AS "patientName"
       FROM beds b
       JOIN wards w ON w.id = b.ward_id
       JOIN bed_categories c ON c.id = b.category_id
       LEFT JOIN rooms r ON r.id = b.room_id
       LEFT JOIN admissions a ON a.id = b.admission_id
       -- A lookup per occupied bed: joining the whole read model (every patient ever known,
       -- each row checked by row-level security) costs ten times more at 100k patients.
       LEFT JOIN LATERAL (SELECT uhid, name FROM patients p WHERE p.patient_id = a.patient_id OFFSET 0) p ON true
       WHERE b.branch_id = $1 AND b.retired_at IS NULL AND ($2::uuid IS NULL OR b.ward_id = $2)
       ORDER BY w.code, r.code NULLS FIRST, b.code`,
      [branchId, wardId],
    );
  }

  /** Beds in service by ward, category and state. */
  census(tx: Tx, branchId: string): Promise<CensusRow[]> {
    return tx.query<CensusRow>(
      `SELECT w.code AS "wardCode", c.code AS "categoryCode", b.state, count(*)::int AS n
       FROM beds b JOIN wards w ON w.id = b.ward_id JOIN bed_categories c ON c.id = b.category_id
       WHERE b.branch_id = $1 AND b.retired_at IS NULL GROUP BY 1, 2, 3`,
      [branchId],
    );
  }

  /** Occupied bed-days in [start, end) by ward and category; a stay still open counts until `now`. */
  usage(tx: Tx, branchId: string, start: Date, end: Date, now: Date): Promise<UsageRow[]> {
    return tx.query<UsageRow>(
      `SELECT w.code AS "wardCode", c.code AS "categoryCode",
              sum(extract(epoch FROM (least(coalesce(s.ended_at, $4::timestamptz), $3) - greatest(s.started_at, $2))) / 86400)::float AS "occupiedDays"
       FROM bed_stays s JOIN wards w ON w.id = s.ward_id JOIN bed_categories c ON c.id = s.category_id
       WHERE s.branch_id = $1 AND s.started_at < $3 AND coalesce(s.ended_at, $4) > $2
       GROUP BY 1, 2`,
      [branchId, start, end, now],
    );
  }

  /**
   * Bed-days available in [start, end): each bed counts from its creation (or the start) until its
   * retirement (or the end), and not past `now` (or the start, when `now` is before it).
   */
  capacity(tx: Tx, branchId: string, start: Date, end: Date, now: Date): Promise<CapacityRow[]> {
    return tx.query<CapacityRow>(
      `SELECT w.code AS "wardCode", c.code AS "categoryCode",
              sum(greatest(0, extract(epoch FROM (least(coalesce(b.retired_at, $3), $3, greatest($4::timestamptz, $2)) - greatest(b.created_at, $2))) / 86400))::float AS "bedDays"
       FROM beds b JOIN wards w ON w.id = b.ward_id JOIN bed_categories c ON c.id = b.category_id
       WHERE b.branch_id = $1 GROUP BY 1, 2`,
      [branchId, start, end, now],
    );
  }

  /** Discharges in [start, end) and their average length of stay in days. */
  lengthOfStay(tx: Tx, branchId: string, start: Date, end: Date): Promise<LengthOfStay> {
    return tx.one<LengthOfStay>(
      `SELECT count(*)::int AS discharges, avg(extract(epoch FROM (discharged_at - admitted_at)) / 86400)::float AS "avgDays"
       FROM admissions WHERE branch_id = $1 AND discharged_at >= $2 AND discharged_at < $3`,
      [branchId, start, end],
    );
  }
}
