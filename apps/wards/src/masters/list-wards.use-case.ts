import { Injectable } from '@nestjs/common';
import type { Caller } from '@hms/platform-auth';
import { toPage, type Page, type PageRequest } from '@hms/platform-http';
import { Database } from '@hms/platform-persistence';
import { WardsRepository } from '../data/wards.repository';
import type { WardView } from './ward-view';
import { scopeOf } from '@hms/platform-service';

@Injectable()
export class ListWardsUseCase {
  constructor(
    private readonly db: Database,
    private readonly wards: WardsRepository,
  ) {}

  /** The branch's wards by code, a page at a time. */
  async execute(caller: Caller, includeRetired: boolean, page: PageRequest): Promise<Page<WardView>> {
    const rows = await this.db.transaction(scopeOf(caller), (tx) => this.wards.list(tx, includeRetired, page.limit + 1, page.offset), { readOnly: true });
    return toPage(rows, page);
  }
}
