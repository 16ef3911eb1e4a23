import { Inject, Injectable } from '@nestjs/common';
import type { Caller } from '@hms/platform-auth';
import { Database } from '@hms/platform-persistence';
import { CLOCK, type Clock } from '@hms/platform-time';
import { BedBoardRepository } from '../data/bed-board.repository';
import { round } from '../domain';
import { scopeOf } from '@hms/platform-service';

/** Beds by state now, per ward and per category, and the occupancy rate. */
@Injectable()
export class CensusUseCase {
  constructor(
    private readonly db: Database,
    private readonly board: BedBoardRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute(caller: Caller) {
    const rows = await this.db.transaction(scopeOf(caller), (tx) => this.board.census(tx, caller.branchId), { readOnly: true });
    const group = (key: 'wardCode' | 'categoryCode') => {
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
    return { at: this.clock.now().toISOString(), beds, occupied, occupancy: beds ? round(occupied / beds) : 0, byWard: group('wardCode'), byCategory: group('categoryCode') };
  }
}
