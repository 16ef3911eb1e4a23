import { Injectable } from '@nestjs/common';
import type { Caller } from '@hms/platform-auth';
import { Database } from '@hms/platform-persistence';
import { scopeOf } from '@hms/platform-service';
import { DispensesRepository } from '../data/dispenses.repository';
import { h1RegisterCsv } from './h1-register-csv';
import { pharmacyError } from '../domain/errors';

/** The most register entries one CSV export carries. */
export const H1_CSV_MAX_ROWS = 10_000;

/**
 * The H1 register between two dates as CSV, whole (at most H1_CSV_MAX_ROWS entries, so that one
 * export is one bounded read; a longer period is exported in parts).
 */
@Injectable()
export class ExportH1RegisterUseCase {
  constructor(
    private readonly db: Database,
    private readonly dispenses: DispensesRepository,
  ) {}

  async execute(caller: Caller, range: { from: string; to: string }): Promise<string> {
    const rows = await this.db.transaction(scopeOf(caller), (tx) => this.dispenses.h1Entries(tx, caller.branchId, range.from, range.to, H1_CSV_MAX_ROWS + 1, 0), { readOnly: true });
    if (rows.length > H1_CSV_MAX_ROWS) {
      throw pharmacyError('unprocessable', 'h1-export-too-large', `More than ${H1_CSV_MAX_ROWS} H1 register entries from ${range.from} to ${range.to}: export a shorter period at a time`, {
        maxRows: H1_CSV_MAX_ROWS,
      });
    }
    return h1RegisterCsv(rows.map((r) => ({ ...r, suppliedAt: r.suppliedAt.toISOString() })));
  }
}
