import { Inject, Injectable } from '@nestjs/common';
import type { Caller } from '@hms/platform-auth';
import { Database } from '@hms/platform-persistence';
import { CLOCK, type Clock, indianDateRange } from '@hms/platform-time';
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
    @Inject(CLOCK) private readonly clock: Clock,
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
        // One instant for both: open stays count until it, and no bed is available past it.
        const now = this.clock.now();
        const usage = await this.board.usage(tx, caller.branchId, start, end, now);
        const capacity = await this.board.capacity(tx, caller.branchId, start, end, now);
        const alos = await this.board.lengthOfStay(tx, caller.branchId, start, end);
        const sum = (key: 'wardCode' | 'categoryCode') => {
          const out = new Map<string, { occupiedBedDays: number; availableBedDays: number }>();
          for (const u of usage) {
            const g = out.get(u[key]) ?? { occupiedBedDays: 0, availableBedDays: 0 };
            g.occupiedBedDays += u.occupiedDays;
            out.set(u[key], g);
          }
          for (const c of capacity) {
            const g = out.get(c[key]) ?? { occupiedBedDays: 0, availableBedDays: 0 };
            g.availableBedDays += c.bedDays;
            out.set(c[key], g);
          }
          return [...out.entries()]
            .sort(([a], [b]) => a.localeCompare(b))
            .map(([code, g]) => ({ code, occupiedBedDays: round(g.occupiedBedDays), availableBedDays: round(g.availableBedDays), occupancy: g.availableBedDays ? round(g.occupiedBedDays / g.availableBedDays) : 0 }));
        };
        const occupied = usage.reduce((n, u) => n + u.occupiedDays, 0);
        const available = capacity.reduce((n, c) => n + c.bedDays, 0);
        return {
          from,
          to,
          occupiedBedDays: round(occupied),
          availableBedDays: round(available),
          occupancy: available ? round(occupied / available) : 0,
          byWard: sum('wardCode'),
          byCategory: sum('categoryCode'),
          discharges: alos.discharges,
          averageLengthOfStayDays: alos.avgDays === null ? null : round(alos.avgDays),
        };
      },
      { readOnly: true },
    );
  }
}
