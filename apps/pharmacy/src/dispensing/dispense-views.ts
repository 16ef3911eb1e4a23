import type { SupplyKind } from '@hms/contracts-pharmacy';
import type { Tx } from '@hms/platform-persistence';
import { displayName } from '../catalogue/item-name';
import type { DispensesRepository } from '../data/dispenses.repository';

export interface DispenseView {
  id: string;
  storeId: string;
  storeCode: string;
  supplyKind: SupplyKind;
  patientId: string | null;
  patientName: string | null;
  admissionId: string | null;
  prescription: { id: string | null; prescriberName: string; prescriberRegistrationNumber: string; prescriberAddress: string | null; prescribedOn: string | null } | null;
  dispensedAt: string;
  dispensedBy: string;
  lines: { itemId: string; itemName: string; batchId: string; batchNo: string; expiry: string; quantity: number; returnedQuantity: number; mrpPaise: number; hsn: string; gstRateBp: number }[];
}

/** Dispenses with their lines, by id or by patient or admission, newest first. */
export async function loadDispenses(
  dispenses: DispensesRepository,
  tx: Tx,
  branchId: string,
  where: { ids?: string[]; patientIds?: string[] | null; admissionId?: string | null; limit: number; offset: number },
): Promise<DispenseView[]> {
  const headers = await dispenses.headers(tx, branchId, where);
  if (!headers.length) return [];
  const lines = await dispenses.lines(
    tx,
    branchId,
    headers.map((h) => h.id),
  );
  return headers.map((h) => ({
    id: h.id,
    storeId: h.storeId,
    storeCode: h.storeCode,
    supplyKind: h.supplyKind,
    patientId: h.patientId,
    patientName: h.patientName,
    admissionId: h.admissionId,
    prescription:
      h.prescriberName === null
        ? null
        : {
            id: h.prescriptionId,
            prescriberName: h.prescriberName,
            prescriberRegistrationNumber: h.prescriberRegistrationNumber ?? '',
            prescriberAddress: h.prescriberAddress,
            prescribedOn: h.prescribedOn,
          },
    dispensedAt: h.dispensedAt.toISOString(),
    dispensedBy: h.actorId,
    lines: lines
      .filter((l) => l.dispenseId === h.id)
      .map((l) => ({
        itemId: l.itemId,
        itemName: displayName(l),
        batchId: l.batchId,
        batchNo: l.batchNo,
        expiry: l.expiry,
        quantity: l.quantity,
        returnedQuantity: l.returnedQuantity,
        mrpPaise: Number(l.mrpPaise),
        hsn: l.hsn,
        gstRateBp: l.gstRateBp,
      })),
  }));
}
