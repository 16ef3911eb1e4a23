import { Injectable } from '@nestjs/common';
import type { Caller } from '@hms/platform-auth';
import { toPage, type Page, type PageRequest } from '@hms/platform-http';
import { Database } from '@hms/platform-persistence';
import { scopeOf } from '@hms/platform-service';
import { DispensesRepository } from '../data/dispenses.repository';
import type { H1CsvEntry } from './h1-register-csv';

export type H1Entry = H1CsvEntry & { id: string };

/** The H1 register between two dates (India, inclusive), oldest first, a page at a time, for inspection. */
@Injectable()
export class ReadH1RegisterUseCase {
  constructor(
    private readonly db: Database,
    private readonly dispenses: DispensesRepository,
  ) {}

  async execute(caller: Caller, range: { from: string; to: string }, page: PageRequest): Promise<Page<H1Entry>> {
    const rows = await this.db.transaction(scopeOf(caller), (tx) => this.dispenses.h1Entries(tx, caller.branchId, range.from, range.to, page.limit + 1, page.offset), { readOnly: true });
    return toPage(
      rows.map((r) => ({ ...r, suppliedAt: r.suppliedAt.toISOString() })),
      page,
    );
  }
}
