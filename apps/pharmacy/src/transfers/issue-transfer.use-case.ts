import { Inject, Injectable } from '@nestjs/common';
import { DomainError } from '@hms/contracts-common';
import { StockTransferred, type StockMovementLine } from '@hms/contracts-pharmacy';
import type { Caller } from '@hms/platform-auth';
import { Outbox } from '@hms/platform-messaging';
import { Database, retryOnConflict } from '@hms/platform-persistence';
import { CLOCK, Clock, ID_GENERATOR, type IdGenerator } from '@hms/platform-time';
import { StockRepository, type LockedBalance, type MovementRow } from '../data/stock.repository';
import { TransfersRepository, type TransferStatus } from '../data/transfers.repository';
import { indianDate, mergePicks, planIssue, usableDrops, type IssueRefusal } from '../domain';
import { ReorderAlerts } from '../stock/reorder-alerts';
import { StockLookups, assertNamedOnce, type ItemName } from '../stock/stock-lookups';
import { loadTransfers, type TransferView } from './transfer-views';
import { callerMeta, scopeOf } from '@hms/platform-service';
import { conflict, pharmacyError } from '../domain/errors';

export interface TransferInput {
  fromStoreId: string;
  toStoreId: string;
  lines: { itemId: string; batchId?: string; quantity: number }[];
  /** Receive at the other store in the same transaction, rather than leave the stock in transit. */
  receive?: boolean;
}

/**
 * Sends stock to another store of the branch: the issue (transfer-out, FEFO unless a batch is
 * named, never an expired batch, never below zero) and, with `receive`, the receipt (transfer-in)
 * at once; otherwise the stock is in transit until received.
 */
@Injectable()
export class IssueTransferUseCase {
  constructor(
    private readonly db: Database,
    private readonly outbox: Outbox,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly stock: StockRepository,
    private readonly transfers: TransfersRepository,
    private readonly lookups: StockLookups,
    private readonly reorderAlerts: ReorderAlerts,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
  ) {}

  async execute(caller: Caller, input: TransferInput): Promise<TransferView> {
    if (input.fromStoreId.toLowerCase() === input.toStoreId.toLowerCase()) {
      throw pharmacyError('validation', 'validation-failed', 'A transfer goes from one store to another', {}, [{ field: 'toStoreId', message: 'is the issuing store' }]);
    }
    return retryOnConflict(() =>
      this.db.transaction(scopeOf(caller), async (tx) => {
        const now = this.clock.now();
        const today = indianDate(now);
        const from = await this.lookups.requireStore(tx, input.fromStoreId, 'The issuing store');
        const to = await this.lookups.requireStore(tx, input.toStoreId, 'The receiving store');
        const items = await this.lookups.namedItems(
          tx,
          caller.branchId,
          input.lines.map((l, i) => ({ itemId: l.itemId, field: `lines[${i}].itemId` })),
        );
        const named = input.lines.flatMap((l, i) => (l.batchId ? [{ batchId: l.batchId, field: `lines[${i}].batchId`, itemId: l.itemId.toLowerCase() }] : []));
        assertNamedOnce(
          named.map((n) => n.batchId),
          'batch',
        );
        const batches = await this.lookups.namedBatches(tx, caller.branchId, named);
        for (const n of named) {
          if (batches.get(n.batchId.toLowerCase())?.itemId !== n.itemId) {
            throw pharmacyError('validation', 'validation-failed', `${n.field} is not a batch of that item`, {}, [{ field: n.field, message: 'is not a batch of that item' }]);
          }
        }
        const lines = input.lines.map((l) => ({ itemId: l.itemId.toLowerCase(), batchId: l.batchId?.toLowerCase(), quantity: l.quantity }));

        // Both stores' rows when the receipt happens now, so the two halves lock in one order.
        const locked = await this.stock.lockBalances(tx, caller.branchId, { storeIds: input.receive ? [from.id, to.id] : [from.id], itemIds: [...items.keys()] });
        const source = locked.filter((b) => b.storeId === from.id);
        const plan = planIssue(source, lines, today);
        if ('refusal' in plan) throw refusal(plan.refusal, items, source, from.code);
        const picks = mergePicks(plan.picks).map((p) => ({ ...p, batch: source.find((b) => b.batchId === p.batchId) as LockedBalance }));

        const id = this.ids.next();
        const status: TransferStatus = input.receive ? 'received' : 'in-transit';
        await this.transfers.insert(tx, {
          id,
          branchId: caller.branchId,
          fromStoreId: from.id,
          toStoreId: to.id,
          status,
          sentAt: now,
          receivedAt: input.receive ? now : null,
          createdBy: caller.userId,
          receivedBy: input.receive ? caller.userId : null,
        });
        await this.transfers.insertLines(tx, caller.branchId, id, picks);
        const out: MovementRow[] = picks.map((p) => ({
          storeId: from.id,
          itemId: p.itemId,
          batchId: p.batchId,
          expiry: p.batch.expiry,
          quantity: -p.quantity,
          movement: 'transfer-out',
          referenceType: 'transfer',
          referenceId: id,
        }));
        const into: MovementRow[] = input.receive ? out.map((m) => ({ ...m, storeId: to.id, quantity: -m.quantity, movement: 'transfer-in' })) : [];
        await this.stock.recordMovements(tx, caller.branchId, caller.userId, [...out, ...into]);

        const meta = callerMeta(caller);
        const eventLines: StockMovementLine[] = picks.map((p) => ({ itemId: p.itemId, batchId: p.batchId, batchNo: p.batch.batchNo, quantity: p.quantity }));
        await this.outbox.append(tx, StockTransferred, { transferId: id, fromStoreId: from.id, toStoreId: to.id, status, lines: eventLines }, { ...meta, key: id });
        await this.reorderAlerts.raise(tx, from.id, usableDrops(source, out, today), meta);
        return (await loadTransfers(this.transfers, tx, caller.branchId, { ids: [id] }))[0];
      }),
    );
  }
}

function refusal(r: IssueRefusal, items: Map<string, ItemName>, source: readonly LockedBalance[], storeCode: string): DomainError {
  const item = items.get(r.itemId)?.name ?? r.itemId;
  const batch = r.batchId ? source.find((b) => b.batchId === r.batchId) : undefined;
  const field = r.batchId ? `lines[${r.line}].batchId` : `lines[${r.line}].quantity`;
  if (r.reason === 'batch-expired') {
    return pharmacyError('unprocessable', 'batch-expired', `Batch ${batch?.batchNo ?? r.batchId} of ${item} expired on ${r.expiry}; an expired batch is never issued`, {}, [
      { field, message: 'is an expired batch' },
    ]);
  }
  const what = r.batchId ? `${item} batch ${batch?.batchNo ?? r.batchId}` : `usable ${item}`;
  return conflict('insufficient-stock', `Only ${r.available} unit(s) of ${what} in store ${storeCode}; ${r.asked} asked`, { available: r.available, field });
}
