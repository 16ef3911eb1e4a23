import { Injectable } from '@nestjs/common';
import type { Caller } from '@hms/platform-auth';
import { toPage, type Page, type PageRequest } from '@hms/platform-http';
import { Database } from '@hms/platform-persistence';
import { WardsRepository } from '../data/wards.repository';
import type { RoomView } from './ward-view';
import { scopeOf } from '@hms/platform-service';
import { notFound } from '../domain/errors';

/** The rooms of a ward, by code, in pages; retired rooms only when asked for. */
@Injectable()
export class ListRoomsUseCase {
  constructor(
    private readonly db: Database,
    private readonly wards: WardsRepository,
  ) {}

  execute(caller: Caller, wardId: string, includeRetired: boolean, page: PageRequest): Promise<Page<RoomView>> {
    return this.db.transaction(
      scopeOf(caller),
      async (tx) => {
        if (!(await this.wards.exists(tx, wardId))) throw notFound('The ward', 'ward-not-found');
        return toPage(await this.wards.rooms(tx, wardId, includeRetired, page.limit + 1, page.offset), page);
      },
      { readOnly: true },
    );
  }
}
