import { Injectable } from '@nestjs/common';
import type { Caller } from '@hms/platform-auth';
import { Database } from '@hms/platform-persistence';
import { UhidSeriesRepository } from '../data/uhid-series.repository';
import { uhidSettingsOf } from '../domain/uhid-series';
import { scopeOf } from '@hms/platform-service';

export interface UhidSettings {
  prefix: string;
  nextValue: number;
  locked: boolean;
}

/** The branch's UHID prefix and next number (locked once a UHID was issued). */
@Injectable()
export class GetUhidSettingsUseCase {
  constructor(
    private readonly db: Database,
    private readonly uhidSeries: UhidSeriesRepository,
  ) {}

  async execute(caller: Caller): Promise<UhidSettings> {
    const series = await this.db.transaction(scopeOf(caller), (tx) => this.uhidSeries.findByBranch(tx, caller.branchId));
    return uhidSettingsOf(series, caller.branchCode);
  }
}
