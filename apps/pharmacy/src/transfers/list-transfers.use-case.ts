import { Injectable } from '@nestjs/common';
import type { Caller } from '@hms/platform-auth';
import { toPage, type Page, type PageRequest } from '@hms/platform-http';
import { Database } from '@hms/platform-persistence';
import { scopeOf } from '@hms/platform-service';
import { TransfersRepository, type TransferStatus } from '../data/transfers.repository';
import { loadTransfers, type TransferView } from './transfer-views';

/** Transfers, newest first, optionally by status and by a store at either end. */
@Injectable()
export class ListTransfersUseCase {
  constructor(
    private readonly db: Database,
    private readonly transfers: TransfersRepository,
  ) {}

  async execute(caller: Caller, filter: { status?: TransferStatus; storeId?: string }, page: PageRequest): Promise<Page<TransferView>> {
    const rows = await this.db.transaction(
      scopeOf(caller),
      (tx) => loadTransfers(this.transfers, tx, caller.branchId, { status: filter.status, storeId: filter.storeId, limit: page.limit + 1, offset: page.offset }),
      { readOnly: true },
    );
    return toPage(rows, page);
  }
}
