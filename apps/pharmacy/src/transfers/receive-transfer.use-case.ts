import { Inject, Injectable } from '@nestjs/common';
import { StockTransferred } from '@hms/contracts-pharmacy';
import type { Caller } from '@hms/platform-auth';
import { Outbox } from '@hms/platform-messaging';
import { Database, retryOnConflict } from '@hms/platform-persistence';
import { CLOCK, Clock } from '@hms/platform-time';
import { StockRepository } from '../data/stock.repository';
import { TransfersRepository } from '../data/transfers.repository';
import { loadTransfers, type TransferView } from './transfer-views';
import { callerMeta, scopeOf } from '@hms/platform-service';
import { conflict, notFound } from '../domain/errors';

/** Receives an in-transit transfer into its store; a second receipt is refused (409). */
@Injectable()
export class ReceiveTransferUseCase {
  constructor(
    private readonly db: Database,
    private readonly outbox: Outbox,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly stock: StockRepository,
    private readonly transfers: TransfersRepository,
  ) {}

  execute(caller: Caller, transferId: string): Promise<TransferView> {
    return retryOnConflict(() =>
      this.db.transaction(scopeOf(caller), async (tx) => {
        const now = this.clock.now();
        // The row lock makes a concurrent second receipt wait, then see 'received'.
        const transfer = await this.transfers.lockForReceipt(tx, transferId);
        if (!transfer) throw notFound('The transfer', 'transfer-not-found');
        if (transfer.status === 'received') {
          throw conflict('transfer-already-received', `This transfer was received on ${(transfer.receivedAt as Date).toISOString()}; it is received only once`);
        }
        const lines = await this.transfers.linesToReceive(tx, transfer.id);
        await this.stock.lockBalances(tx, caller.branchId, { storeIds: [transfer.toStoreId], itemIds: lines.map((l) => l.itemId) });
        await this.transfers.markReceived(tx, transfer.id, now, caller.userId);
        await this.stock.recordMovements(
          tx,
          caller.branchId,
          caller.userId,
          lines.map((l) => ({
            storeId: transfer.toStoreId,
            itemId: l.itemId,
            batchId: l.batchId,
            expiry: l.expiry,
            quantity: l.quantity,
            movement: 'transfer-in',
            referenceType: 'transfer',
            referenceId: transfer.id,
          })),
        );
        const view = (await loadTransfers(this.transfers, tx, caller.branchId, { ids: [transfer.id] }))[0];
        await this.outbox.append(
          tx,
          StockTransferred,
          {
            transferId: view.id,
            fromStoreId: view.fromStoreId,
            toStoreId: view.toStoreId,
            status: 'received',
            lines: lines.map((l) => ({ itemId: l.itemId, batchId: l.batchId, batchNo: l.batchNo, quantity: l.quantity })),
          },
          { ...callerMeta(caller), key: view.id },
        );
        return view;
      }),
    );
  }
}
