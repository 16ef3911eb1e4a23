import { Injectable } from '@nestjs/common';
import type { Caller } from '@hms/platform-auth';
import { Database } from '@hms/platform-persistence';
import { scopeOf } from '@hms/platform-service';
import { TransfersRepository } from '../data/transfers.repository';
import { loadTransfers, type TransferView } from './transfer-views';
import { notFound } from '../domain/errors';

/** One transfer with its batches. */
@Injectable()
export class GetTransferUseCase {
  constructor(
    private readonly db: Database,
    private readonly transfers: TransfersRepository,
  ) {}

  execute(caller: Caller, transferId: string): Promise<TransferView> {
    return this.db.transaction(
      scopeOf(caller),
      async (tx) => {
        const [view] = await loadTransfers(this.transfers, tx, caller.branchId, { ids: [transferId] });
        if (!view) throw notFound('The transfer', 'transfer-not-found');
        return view;
      },
      { readOnly: true },
    );
  }
}
