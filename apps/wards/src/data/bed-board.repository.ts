import { Injectable } from '@nestjs/common';
import type { Tx } from '@hms/platform-persistence';

export interface BoardRow {
  ward_id: string;
  ward_code: string;
  ward_name: string;
  floor: string | null;
  bed_id: string;
  bed_code: string;
  room_code: string | null;
  category_code: string;
  is_critical_care: boolean;
  state: string;
  since: Date;
  admission_id: string | null;
  ip_number: string | null;
  expected_discharge_at: Date | null;
  patient_id: string | null;
  uhid: string | null;
  patient_name: string | null;
  reserved_for_patient_id: string | null;
}

export interface CensusRow {
  ward_code: string;
  category_code: string;
  state: string;
  n: number;
}

export interface UsageRow {
  ward_code: string;
  category_code: string;
  occupied_days: number;
}

export interface CapacityRow {
  ward_code: string;
  category_code: string;
  bed_days: number;
}

/** The bed board, census and occupancy: reports over beds, stays and admissions, one query each. */
@Injectable()
export class BedBoardRepository {
  /** Every bed in service (of one ward, or all), with who is in it, by ward, room and bed code. */
  board(tx: Tx, branchId: string, wardId: string | null): Promise<BoardRow[]> {
    return tx.query<BoardRow>(
      `SELECT w.id AS ward_id, w.code AS ward_code, w.name AS ward_name, w.floor,
              b.id AS bed_id, b.code AS bed_code, r.code AS room_code, c.code AS category_code, c.is_critical_care,
              b.state, b.state_since AS since, b.reserved_for_patient_id,
              a.id AS admission_id, a.ip_number, a.expected_discharge_at, a.patient_id, p.uhid, p.name AS patient_name
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
      `SELECT w.code AS ward_code, c.code AS category_code, b.state, count(*)::int AS n
       FROM beds b JOIN wards w ON w.id = b.ward_id JOIN bed_categories c ON c.id = b.category_id
       WHERE b.branch_id = $1 AND b.retired_at IS NULL GROUP BY 1, 2, 3`,
      [branchId],
    );
  }

  /** Occupied bed-days in [start, end) by ward and category. */
  usage(tx: Tx, branchId: string, start: Date, end: Date): Promise<UsageRow[]> {
    return tx.query<UsageRow>(
      `SELECT w.code AS ward_code, c.code AS category_code,
              sum(extract(epoch FROM (least(coalesce(s.ended_at, now()), $3) - greatest(s.started_at, $2))) / 86400)::float AS occupied_days
       FROM bed_stays s JOIN wards w ON w.id = s.ward_id JOIN bed_categories c ON c.id = s.category_id
       WHERE s.branch_id = $1 AND s.started_at < $3 AND coalesce(s.ended_at, now()) > $2
       GROUP BY 1, 2`,
      [branchId, start, end],
    );
  }

  /** Bed-days available in [start, end): each bed counts from its creation (or the start) until its retirement (or the end). */
  capacity(tx: Tx, branchId: string, start: Date, end: Date): Promise<CapacityRow[]> {
    return tx.query<CapacityRow>(
      `SELECT w.code AS ward_code, c.code AS category_code,
              sum(greatest(0, extract(epoch FROM (least(coalesce(b.retired_at, $3), $3, greatest(now(), $2)) - greatest(b.created_at, $2))) / 86400))::float AS bed_days
       FROM beds b JOIN wards w ON w.id = b.ward_id JOIN bed_categories c ON c.id = b.category_id
       WHERE b.branch_id = $1 GROUP BY 1, 2`,
      [branchId, start, end],
    );
  }

  /** Discharges in [start, end) and their average length of stay in days. */
  lengthOfStay(tx: Tx, branchId: string, start: Date, end: Date): Promise<{ discharges: number; avg_days: number | null }> {
    return tx.one<{ discharges: number; avg_days: number | null }>(
      `SELECT count(*)::int AS discharges, avg(extract(epoch FROM (discharged_at - admitted_at)) / 86400)::float AS avg_days
       FROM admissions WHERE branch_id = $1 AND discharged_at >= $2 AND discharged_at < $3`,
      [branchId, start, end],
    );
  }
}
