import { Injectable } from '@nestjs/common';
import { DomainError } from '@hms/contracts-common';
import type { Caller } from '@hms/platform-auth';
import { Database } from '@hms/platform-persistence';
import { indianDateRange } from '@hms/platform-time';

interface BoardRow {
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

const MAX_RANGE_DAYS = 366;

/** The live bed board, census and occupancy. One query each, indexed by branch and ward. */
@Injectable()
export class BoardService {
  constructor(private readonly db: Database) {}

  async board(caller: Caller, wardId?: string) {
    const rows = await this.db.transaction(
      { branchId: caller.branchId },
      (tx) =>
        tx.query<BoardRow>(
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
          [caller.branchId, wardId ?? null],
        ),
      { readOnly: true },
    );
    const wards = new Map<string, { id: string; code: string; name: string; floor: string | null; counts: Record<string, number>; beds: unknown[] }>();
    for (const r of rows) {
      let ward = wards.get(r.ward_id);
      if (!ward) wards.set(r.ward_id, (ward = { id: r.ward_id, code: r.ward_code, name: r.ward_name, floor: r.floor, counts: {}, beds: [] }));
      ward.counts[r.state] = (ward.counts[r.state] ?? 0) + 1;
      ward.beds.push({
        id: r.bed_id,
        code: r.bed_code,
        room: r.room_code,
        category: r.category_code,
        isCriticalCare: r.is_critical_care,
        state: r.state,
        since: r.since.toISOString(),
        reservedForPatientId: r.reserved_for_patient_id,
        admission: r.admission_id
          ? {
              id: r.admission_id,
              ipNumber: r.ip_number,
              patientId: r.patient_id,
              uhid: r.uhid,
              name: r.patient_name,
              expectedDischargeAt: r.expected_discharge_at?.toISOString() ?? null,
            }
          : null,
      });
    }
    return { generatedAt: new Date().toISOString(), wards: [...wards.values()] };
  }

  /** Beds by state now, per ward and per category, and the occupancy rate. */
  async census(caller: Caller) {
    const rows = await this.db.transaction(
      { branchId: caller.branchId },
      (tx) =>
        tx.query<{ ward_code: string; category_code: string; state: string; n: number }>(
          `SELECT w.code AS ward_code, c.code AS category_code, b.state, count(*)::int AS n
           FROM beds b JOIN wards w ON w.id = b.ward_id JOIN bed_categories c ON c.id = b.category_id
           WHERE b.branch_id = $1 AND b.retired_at IS NULL GROUP BY 1, 2, 3`,
          [caller.branchId],
        ),
      { readOnly: true },
    );
    const group = (key: 'ward_code' | 'category_code') => {
      const out = new Map<string, { beds: number; occupied: number; byState: Record<string, number> }>();
      for (const r of rows) {
        const g = out.get(r[key]) ?? { beds: 0, occupied: 0, byState: {} };
        g.beds += r.n;
        if (r.state === 'occupied') g.occupied += r.n;
        g.byState[r.state] = (g.byState[r.state] ?? 0) + r.n;
        out.set(r[key], g);
      }
      return [...out.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([code, g]) => ({ code, ...g, occupancy: g.beds ? round(g.occupied / g.beds) : 0 }));
    };
    const beds = rows.reduce((n, r) => n + r.n, 0);
    const occupied = rows.filter((r) => r.state === 'occupied').reduce((n, r) => n + r.n, 0);
    return { at: new Date().toISOString(), beds, occupied, occupancy: beds ? round(occupied / beds) : 0, byWard: group('ward_code'), byCategory: group('category_code') };
  }

  /**
   * Occupancy over a date range (Indian dates, inclusive): occupied bed-days over available
   * bed-days, by ward and category, and the average length of stay of discharges in the range.
   */
  async occupancy(caller: Caller, from: string, to: string) {
    // Both are calendar dates (1900–2199) the query DTO has checked; here only their order and span.
    const { start, end } = indianDateRange(from, to);
    if (end <= start) {
      throw new DomainError('validation', 'validation-failed', 'from must not be after to', {}, [{ field: 'to', message: 'must not be before from' }]);
    }
    if ((end.getTime() - start.getTime()) / 86_400_000 > MAX_RANGE_DAYS) {
      throw new DomainError('validation', 'validation-failed', `A range is at most ${MAX_RANGE_DAYS} days`, {}, [{ field: 'to', message: `must be at most ${MAX_RANGE_DAYS} days after from` }]);
    }
    return this.db.transaction(
      { branchId: caller.branchId },
      async (tx) => {
        const params = [caller.branchId, start, end];
        const usage = await tx.query<{ ward_code: string; category_code: string; occupied_days: number }>(
          `SELECT w.code AS ward_code, c.code AS category_code,
                  sum(extract(epoch FROM (least(coalesce(s.ended_at, now()), $3) - greatest(s.started_at, $2))) / 86400)::float AS occupied_days
           FROM bed_stays s JOIN wards w ON w.id = s.ward_id JOIN bed_categories c ON c.id = s.category_id
           WHERE s.branch_id = $1 AND s.started_at < $3 AND coalesce(s.ended_at, now()) > $2
           GROUP BY 1, 2`,
          params,
        );
        // Bed-days available: each bed counts from its creation (or the start) until its retirement (or the end).
        const capacity = await tx.query<{ ward_code: string; category_code: string; bed_days: number }>(
          `SELECT w.code AS ward_code, c.code AS category_code,
                  sum(greatest(0, extract(epoch FROM (least(coalesce(b.retired_at, $3), $3, greatest(now(), $2)) - greatest(b.created_at, $2))) / 86400))::float AS bed_days
           FROM beds b JOIN wards w ON w.id = b.ward_id JOIN bed_categories c ON c.id = b.category_id
           WHERE b.branch_id = $1 GROUP BY 1, 2`,
          params,
        );
        const alos = await tx.one<{ discharges: number; avg_days: number | null }>(
          `SELECT count(*)::int AS discharges, avg(extract(epoch FROM (discharged_at - admitted_at)) / 86400)::float AS avg_days
           FROM admissions WHERE branch_id = $1 AND discharged_at >= $2 AND discharged_at < $3`,
          params,
        );
        const sum = (key: 'ward_code' | 'category_code') => {
          const out = new Map<string, { occupiedBedDays: number; availableBedDays: number }>();
          for (const u of usage) {
            const g = out.get(u[key]) ?? { occupiedBedDays: 0, availableBedDays: 0 };
            g.occupiedBedDays += u.occupied_days;
            out.set(u[key], g);
          }
          for (const c of capacity) {
            const g = out.get(c[key]) ?? { occupiedBedDays: 0, availableBedDays: 0 };
            g.availableBedDays += c.bed_days;
            out.set(c[key], g);
          }
          return [...out.entries()]
            .sort(([a], [b]) => a.localeCompare(b))
            .map(([code, g]) => ({ code, occupiedBedDays: round(g.occupiedBedDays), availableBedDays: round(g.availableBedDays), occupancy: g.availableBedDays ? round(g.occupiedBedDays / g.availableBedDays) : 0 }));
        };
        const occupied = usage.reduce((n, u) => n + u.occupied_days, 0);
        const available = capacity.reduce((n, c) => n + c.bed_days, 0);
        return {
          from,
          to,
          occupiedBedDays: round(occupied),
          availableBedDays: round(available),
          occupancy: available ? round(occupied / available) : 0,
          byWard: sum('ward_code'),
          byCategory: sum('category_code'),
          discharges: alos.discharges,
          averageLengthOfStayDays: alos.avg_days === null ? null : round(alos.avg_days),
        };
      },
      { readOnly: true },
    );
  }
}

const round = (n: number) => Math.round(n * 1000) / 1000;
