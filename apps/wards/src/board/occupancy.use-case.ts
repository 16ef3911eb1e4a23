import { Injectable } from '@nestjs/common';
import type { Caller } from '@hms/platform-auth';
import { Database } from '@hms/platform-persistence';
import { indianDateRange } from '@hms/platform-time';
import { BedBoardRepository } from '../data/bed-board.repository';
import { round } from '../domain';
import { scopeOf } from '@hms/platform-service';
import { wardsError } from '../domain/errors';

const MAX_RANGE_DAYS = 366;

/**
 * Occupancy over a date range (Indian dates, inclusive): occupied bed-days over available
 * bed-days, by ward and category, and the average length of stay of discharges in the range.
 */
@Injectable()
export class OccupancyUseCase {
  constructor(
    private readonly db: Database,
    private readonly board: BedBoardRepository,
  ) {}

  execute(caller: Caller, from: string, to: string) {
    // Both are calendar dates (1900–2199) the query DTO has checked; here only their order and span.
    const { start, end } = indianDateRange(from, to);
    if (end <= start) {
      throw wardsError('validation', 'validation-failed', 'from must not be after to', {}, [{ field: 'to', message: 'must not be before from' }]);
    }
    if ((end.getTime() - start.getTime()) / 86_400_000 > MAX_RANGE_DAYS) {
      throw wardsError('validation', 'validation-failed', `A range is at most ${MAX_RANGE_DAYS} days`, {}, [{ field: 'to', message: `must be at most ${MAX_RANGE_DAYS} days after from` }]);
    }
    return this.db.transaction(
      scopeOf(caller),
      async (tx) => {
        const usage = await this.board.usage(tx, caller.branchId, start, end);
        const capacity = await this.board.capacity(tx, caller.branchId, start, end);
        const alos = await this.board.lengthOfStay(tx, caller.branchId, start, end);
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
