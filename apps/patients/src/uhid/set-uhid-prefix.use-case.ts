import { Injectable } from '@nestjs/common';
import type { Caller } from '@hms/platform-auth';
import { Database } from '@hms/platform-persistence';
import { validateUhidPrefix } from '@hms/patients-domain';
import { UhidSeriesRepository } from '../data/uhid-series.repository';
import { prefixLocked, uhidSettingsOf } from '../domain/uhid-series';
import { scopeOf } from '@hms/platform-service';
import type { UhidSettings } from './get-uhid-settings.use-case';
import { conflict, patientsError } from '../domain/errors';

/** Sets the branch's UHID prefix; only before its first registration, because UHIDs are permanent. */
@Injectable()
export class SetUhidPrefixUseCase {
  constructor(
    private readonly db: Database,
    private readonly uhidSeries: UhidSeriesRepository,
  ) {}

  async execute(caller: Caller, prefix: string): Promise<UhidSettings> {
    const problem = validateUhidPrefix(prefix);
    if (problem) throw patientsError('validation', 'validation-failed', `prefix ${problem}`, {}, [{ field: 'prefix', message: problem }]);
    return this.db.transaction(scopeOf(caller), async (tx) => {
      const series = await this.uhidSeries.lockByBranch(tx, caller.branchId);
      if (prefixLocked(series)) throw conflict('uhid-series-in-use', 'UHIDs were issued with the current prefix already; it can no longer change');
      return uhidSettingsOf(await this.uhidSeries.savePrefix(tx, caller.branchId, prefix), caller.branchCode);
    });
  }
}
