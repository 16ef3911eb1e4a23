import { Inject, Injectable } from '@nestjs/common';
import { DomainError, conflict, notFound } from '@hms/contracts-common';
import { StockTransferred, type StockMovementLine } from '@hms/contracts-pharmacy';
import type { Caller } from '@hms/platform-auth';
import { toPage, type PageRequest } from '@hms/platform-http';
import { Outbox } from '@hms/platform-messaging';
import { Database, retryOnConflict, uuidv7, type Tx } from '@hms/platform-persistence';
import { CLOCK, Clock } from '@hms/platform-time';
import { indianDate, mergePicks, planIssue, usableDrops, type IssueRefusal } from '../domain';
import { recordMovements, type MovementRow } from '../stock/ledger';
import { eventMeta, raiseReorderAlerts } from '../stock/stock-events';
import { assertNamedOnce, loadItems, type ItemName } from '../stock/stock-items';
import { loadBatches, lockBalances, requireStore, type LockedBalance } from '../stock/stock-locks';

export interface TransferInput {
  fromStoreId: string;
  toStoreId: string;
  lines: { itemId: string; batchId?: string; quantity: number }[];
  /** Receive at the other store in the same transaction, rather than leave the stock in transit. */
  receive?: boolean;
}

export type TransferStatus = 'in-transit' | 'received';

export interface TransferView {
  id: string;
  fromStoreId: string;
  fromStoreCode: string;
  toStoreId: string;
  toStoreCode: string;
  status: TransferStatus;
  sentAt: string;
  receivedAt: string | null;
  sentBy: string;
  receivedBy: string | null;
  lines: { itemId: string; itemName: string; batchId: string; batchNo: string; expiry: string; quantity: number }[];
}

/**
 * Transfers between stores of a branch: the issue (transfer-out, FEFO unless a batch is named,
 * never an expired batch, never below zero) and the receipt (transfer-in), together or, with the
 * stock in transit between them, one after the other. A transfer is received exactly once.
 */
@Injectable()
export class TransfersService {
  constructor(
    private readonly db: Database,
    private readonly outbox: Outbox,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async transfer(caller: Caller, input: TransferInput): Promise<TransferView> {
    if (input.fromStoreId.toLowerCase() === input.toStoreId.toLowerCase()) {
      throw new DomainError('validation', 'validation-failed', 'A transfer goes from one store to another', {}, [{ field: 'toStoreId', message: 'is the issuing store' }]);
    }
    return retryOnConflict(() =>
      this.db.transaction({ branchId: caller.branchId }, async (tx) => {
        const now = this.clock.now();
        const today = indianDate(now);
        const from = await requireStore(tx, input.fromStoreId, 'The issuing store');
        const to = await requireStore(tx, input.toStoreId, 'The receiving store');
        const items = await loadItems(
          tx,
          caller.branchId,
          input.lines.map((l, i) => ({ itemId: l.itemId, field: `lines[${i}].itemId` })),
        );
        const named = input.lines.flatMap((l, i) => (l.batchId ? [{ batchId: l.batchId, field: `lines[${i}].batchId`, itemId: l.itemId.toLowerCase() }] : []));
        assertNamedOnce(
          named.map((n) => n.batchId),
          'batch',
        );
        const batches = await loadBatches(tx, caller.branchId, named);
        for (const n of named) {
          if (batches.get(n.batchId.toLowerCase())?.itemId !== n.itemId) {
            throw new DomainError('validation', 'validation-failed', `${n.field} is not a batch of that item`, {}, [{ field: n.field, message: 'is not a batch of that item' }]);
          }
        }
        const lines = input.lines.map((l) => ({ itemId: l.itemId.toLowerCase(), batchId: l.batchId?.toLowerCase(), quantity: l.quantity }));

        // Both stores' rows when the receipt happens now, so the two halves lock in one order.
        const locked = await lockBalances(tx, caller.branchId, { storeIds: input.receive ? [from.id, to.id] : [from.id], itemIds: [...items.keys()] });
        const source = locked.filter((b) => b.storeId === from.id);
        const plan = planIssue(source, lines, today);
        if ('refusal' in plan) throw refusal(plan.refusal, items, source, from.code);
        const picks = mergePicks(plan.picks).map((p) => ({ ...p, batch: source.find((b) => b.batchId === p.batchId) as LockedBalance }));

        const id = uuidv7();
        const status: TransferStatus = input.receive ? 'received' : 'in-transit';
        await tx.query(
          `INSERT INTO transfers (id, branch_id, from_store_id, to_store_id, status, sent_at, received_at, created_by, received_by)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
          [id, caller.branchId, from.id, to.id, status, now, input.receive ? now : null, caller.userId, input.receive ? caller.userId : null],
        );
        await tx.query(
          `INSERT INTO transfer_lines (transfer_id, batch_id, branch_id, item_id, quantity)
           SELECT $1, l.batch_id, $2, l.item_id, l.quantity FROM jsonb_to_recordset($3::jsonb) AS l(batch_id uuid, item_id uuid, quantity int)`,
          [id, caller.branchId, JSON.stringify(picks.map((p) => ({ batch_id: p.batchId, item_id: p.itemId, quantity: p.quantity })))],
        );
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
        await recordMovements(tx, caller.branchId, caller.userId, [...out, ...into]);

        const meta = eventMeta(caller);
        const eventLines: StockMovementLine[] = picks.map((p) => ({ itemId: p.itemId, batchId: p.batchId, batchNo: p.batch.batchNo, quantity: p.quantity }));
        await this.outbox.append(tx, StockTransferred, { transferId: id, fromStoreId: from.id, toStoreId: to.id, status, lines: eventLines }, { ...meta, key: id });
        await raiseReorderAlerts(tx, this.outbox, from.id, usableDrops(source, out, today), meta);
        return (await loadTransfers(tx, caller.branchId, { ids: [id] }))[0];
      }),
    );
  }

  /** Receives an in-transit transfer into its store; a second receipt is refused (409). */
  async receive(caller: Caller, transferId: string): Promise<TransferView> {
    return retryOnConflict(() =>
      this.db.transaction({ branchId: caller.branchId }, async (tx) => {
        const now = this.clock.now();
        // The row lock makes a concurrent second receipt wait, then see 'received'.
        const transfer = await tx.maybeOne<{ id: string; to_store_id: string; status: TransferStatus; received_at: Date | null }>(
          'SELECT id, to_store_id, status, received_at FROM transfers WHERE id = $1 FOR UPDATE',
          [transferId],
        );
        if (!transfer) throw notFound('The transfer', 'transfer-not-found');
        if (transfer.status === 'received') {
          throw conflict('transfer-already-received', `This transfer was received on ${(transfer.received_at as Date).toISOString()}; it is received only once`);
        }
        const lines = await tx.query<{ batch_id: string; item_id: string; quantity: number; batch_no: string; expiry: string }>(
          `SELECT l.batch_id, l.item_id, l.quantity, b.batch_no, to_char(b.expiry, 'YYYY-MM-DD') AS expiry
           FROM transfer_lines l JOIN batches b ON b.id = l.batch_id WHERE l.transfer_id = $1 ORDER BY l.batch_id`,
          [transfer.id],
        );
        await lockBalances(tx, caller.branchId, { storeIds: [transfer.to_store_id], itemIds: lines.map((l) => l.item_id) });
        await tx.query('UPDATE transfers SET status = $2, received_at = $3, received_by = $4 WHERE id = $1', [transfer.id, 'received', now, caller.userId]);
        await recordMovements(
          tx,
          caller.branchId,
          caller.userId,
          lines.map((l) => ({
            storeId: transfer.to_store_id,
            itemId: l.item_id,
            batchId: l.batch_id,
            expiry: l.expiry,
            quantity: l.quantity,
            movement: 'transfer-in',
            referenceType: 'transfer',
            referenceId: transfer.id,
          })),
        );
        const view = (await loadTransfers(tx, caller.branchId, { ids: [transfer.id] }))[0];
        await this.outbox.append(
          tx,
          StockTransferred,
          {
            transferId: view.id,
            fromStoreId: view.fromStoreId,
            toStoreId: view.toStoreId,
            status: 'received',
            lines: lines.map((l) => ({ itemId: l.item_id, batchId: l.batch_id, batchNo: l.batch_no, quantity: l.quantity })),
          },
          { ...eventMeta(caller), key: view.id },
        );
        return view;
      }),
    );
  }

  get(caller: Caller, transferId: string): Promise<TransferView> {
    return this.db.transaction(
      { branchId: caller.branchId },
      async (tx) => {
        const [view] = await loadTransfers(tx, caller.branchId, { ids: [transferId] });
        if (!view) throw notFound('The transfer', 'transfer-not-found');
        return view;
      },
      { readOnly: true },
    );
  }

  /** Transfers, newest first, optionally by status and by a store at either end. */
  async list(caller: Caller, filter: { status?: TransferStatus; storeId?: string }, page: PageRequest) {
    const rows = await this.db.transaction(
      { branchId: caller.branchId },
      (tx) => loadTransfers(tx, caller.branchId, { status: filter.status, storeId: filter.storeId, limit: page.limit + 1, offset: page.offset }),
      { readOnly: true },
    );
    return toPage(rows, page);
  }
}

function refusal(r: IssueRefusal, items: Map<string, ItemName>, source: readonly LockedBalance[], storeCode: string): DomainError {
  const item = items.get(r.itemId)?.name ?? r.itemId;
  const batch = r.batchId ? source.find((b) => b.batchId === r.batchId) : undefined;
  const field = r.batchId ? `lines[${r.line}].batchId` : `lines[${r.line}].quantity`;
  if (r.reason === 'batch-expired') {
    return new DomainError('unprocessable', 'batch-expired', `Batch ${batch?.batchNo ?? r.batchId} of ${item} expired on ${r.expiry}; an expired batch is never issued`, {}, [
      { field, message: 'is an expired batch' },
    ]);
  }
  const what = r.batchId ? `${item} batch ${batch?.batchNo ?? r.batchId}` : `usable ${item}`;
  return conflict('insufficient-stock', `Only ${r.available} unit(s) of ${what} in store ${storeCode}; ${r.asked} asked`, { available: r.available, field });
}

interface TransferRow {
  id: string;
  from_store_id: string;
  from_code: string;
  to_store_id: string;
  to_code: string;
  status: TransferStatus;
  sent_at: Date;
  received_at: Date | null;
  created_by: string;
  received_by: string | null;
}

/** Transfers with their lines, by id or by filter (newest first), for the caller's branch. */
export async function loadTransfers(
  tx: Tx,
  branchId: string,
  where: { ids?: string[]; status?: TransferStatus; storeId?: string; limit?: number; offset?: number },
): Promise<TransferView[]> {
  const headers = await tx.query<TransferRow>(
    `SELECT t.id, t.from_store_id, f.code AS from_code, t.to_store_id, d.code AS to_code, t.status, t.sent_at, t.received_at, t.created_by, t.received_by
     FROM transfers t JOIN stores f ON f.id = t.from_store_id JOIN stores d ON d.id = t.to_store_id
     WHERE t.branch_id = $1
       AND ($2::uuid[] IS NULL OR t.id = ANY($2::uuid[]))
       AND ($3::text IS NULL OR t.status = $3)
       AND ($4::uuid IS NULL OR t.from_store_id = $4 OR t.to_store_id = $4)
     ORDER BY t.sent_at DESC, t.id DESC
     LIMIT $5 OFFSET $6`,
    [branchId, where.ids ?? null, where.status ?? null, where.storeId ?? null, where.limit ?? null, where.offset ?? 0],
  );
  if (!headers.length) return [];
  const lines = await tx.query<{ transfer_id: string; item_id: string; generic_name: string; batch_id: string; batch_no: string; expiry: string; quantity: number }>(
    `SELECT l.transfer_id, l.item_id, i.generic_name, l.batch_id, b.batch_no, to_char(b.expiry, 'YYYY-MM-DD') AS expiry, l.quantity
     FROM transfer_lines l JOIN batches b ON b.id = l.batch_id JOIN items i ON i.id = l.item_id
     WHERE l.branch_id = $1 AND l.transfer_id = ANY($2::uuid[])
     ORDER BY i.generic_name, b.expiry, b.batch_no`,
    [branchId, headers.map((h) => h.id)],
  );
  return headers.map((h) => ({
    id: h.id,
    fromStoreId: h.from_store_id,
    fromStoreCode: h.from_code,
    toStoreId: h.to_store_id,
    toStoreCode: h.to_code,
    status: h.status,
    sentAt: h.sent_at.toISOString(),
    receivedAt: h.received_at?.toISOString() ?? null,
    sentBy: h.created_by,
    receivedBy: h.received_by,
    lines: lines
      .filter((l) => l.transfer_id === h.id)
      .map((l) => ({ itemId: l.item_id, itemName: l.generic_name, batchId: l.batch_id, batchNo: l.batch_no, expiry: l.expiry, quantity: l.quantity })),
  }));
}
