import type { Tx } from '@hms/platform-persistence';
import type { TransferStatus, TransfersRepository } from '../data/transfers.repository';

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

/** Transfers with their lines, by id or by filter (newest first), for the caller's branch. */
export async function loadTransfers(
  transfers: TransfersRepository,
  tx: Tx,
  branchId: string,
  where: { ids?: string[]; status?: TransferStatus; storeId?: string; limit?: number; offset?: number },
): Promise<TransferView[]> {
  const headers = await transfers.headers(tx, branchId, where);
  if (!headers.length) return [];
  const lines = await transfers.lines(
    tx,
    branchId,
    headers.map((h) => h.id),
  );
  return headers.map((h) => ({
    ...h,
    sentAt: h.sentAt.toISOString(),
    receivedAt: h.receivedAt?.toISOString() ?? null,
    lines: lines
      .filter((l) => l.transferId === h.id)
      .map((l) => ({ itemId: l.itemId, itemName: l.itemName, batchId: l.batchId, batchNo: l.batchNo, expiry: l.expiry, quantity: l.quantity })),
  }));
}
