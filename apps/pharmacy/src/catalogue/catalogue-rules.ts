import { onUniqueViolation, type Tx } from '@hms/platform-persistence';
import type { ItemsRepository } from '../data/items.repository';
import type { StoreEntity } from '../data/store.entity';
import type { SupplierEntity } from '../data/supplier.entity';
import { gstRateProblem } from '../domain';
import { conflict, notFound, pharmacyError } from '../domain/errors';

/** A GST rate must be one in force on its effective date (GST-05), or a 400 naming the field. */
export function assertGstRate(rateBp: number, effectiveFrom: string, field: string): void {
  const problem = gstRateProblem(rateBp, effectiveFrom);
  if (problem) throw pharmacyError('validation', 'validation-failed', `${field}: ${problem}`, {}, [{ field, message: problem }]);
}

export function assertChanges(changes: object): void {
  if (!Object.values(changes).some((v) => v !== undefined)) throw pharmacyError('validation', 'validation-failed', 'The request changes nothing: send at least one field');
}

/** The version the client changes must be the current one (If-Match), else 412 with the current version. */
export function assertVersion(what: string, current: number, expected: number): void {
  if (current !== expected) {
    throw pharmacyError('precondition-failed', 'version-mismatch', `The ${what} was changed by someone else (now version ${current}); reload and try again`, { currentVersion: current });
  }
}

/** `work`, with a unique violation answered 409 already-exists. */
export function unique<T>(message: string, work: () => Promise<T>): Promise<T> {
  return onUniqueViolation(work, () => conflict('already-exists', message));
}

/** `retired_at` after an `active` change: cleared when reactivated, kept (or set now) when deactivated. */
export function retiredAfter(active: boolean | undefined, retiredAt: Date | null, now: Date): { retiredAt?: Date | null } {
  if (active === undefined) return {};
  return { retiredAt: active ? null : (retiredAt ?? now) };
}

export interface StoreView {
  id: string;
  code: string;
  name: string;
  kind: string;
  wardId: string | null;
  minShelfLifeDays: number;
  active: boolean;
  version: number;
}

export interface SupplierView {
  id: string;
  name: string;
  gstin: string;
  stateCode: string;
  active: boolean;
  version: number;
}

export const storeView = (s: StoreEntity): StoreView => ({
  id: s.id,
  code: s.code,
  name: s.name,
  kind: s.kind,
  wardId: s.wardId,
  minShelfLifeDays: s.minShelfLifeDays,
  active: s.retiredAt === null,
  version: s.version,
});

export const supplierView = (s: SupplierEntity): SupplierView => ({ id: s.id, name: s.name, gstin: s.gstin, stateCode: s.stateCode, active: s.retiredAt === null, version: s.version });

export interface ItemView {
  id: string;
  code: string;
  kind: string;
  genericName: string;
  brandName: string | null;
  form: string;
  strength: string | null;
  unit: string;
  packSize: number;
  hsn: string;
  schedule: string;
  gstRateBp: number | null;
  gstRates: { effectiveFrom: string; rateBp: number }[];
  active: boolean;
  version: number;
}

/** An item with its GST rate history and the rate in force on `today` (India); 404 if there is none. */
export async function readItem(items: ItemsRepository, tx: Tx, itemId: string, today: string): Promise<ItemView> {
  const item = await items.find(tx, itemId);
  if (!item) throw notFound('The item', 'item-not-found');
  const rates = await items.gstRates(tx, itemId);
  const current = [...rates].reverse().find((r) => r.effectiveFrom <= today);
  return {
    id: item.id,
    code: item.code,
    kind: item.kind,
    genericName: item.genericName,
    brandName: item.brandName,
    form: item.form,
    strength: item.strength,
    unit: item.unit,
    packSize: item.packSize,
    hsn: item.hsn,
    schedule: item.schedule,
    gstRateBp: current?.rateBp ?? null,
    gstRates: rates.map((r) => ({ effectiveFrom: r.effectiveFrom, rateBp: r.rateBp })),
    active: item.retiredAt === null,
    version: item.version,
  };
}
