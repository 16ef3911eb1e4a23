import { Injectable } from '@nestjs/common';
import { DomainError, conflict, notFound } from '@hms/contracts-common';
import type { Caller } from '@hms/platform-auth';
import { Database, onUniqueViolation, uuidv7, type Tx } from '@hms/platform-persistence';
import { indianDate, isCalendarDate, validateGstin } from '../domain';

const scopeOf = (caller: Caller) => ({ branchId: caller.branchId });

export interface ItemInput {
  code: string;
  kind: 'drug' | 'consumable';
  genericName: string;
  brandName?: string;
  form: string;
  strength?: string;
  unit: string;
  packSize: number;
  hsn: string;
  schedule: string;
  gstRateBp: number;
  gstEffectiveFrom: string;
}

/** Item master (with GST rate history), stores, reorder levels and suppliers. */
@Injectable()
export class CatalogueService {
  constructor(private readonly db: Database) {}

  async createItem(caller: Caller, input: ItemInput) {
    assertDate(input.gstEffectiveFrom, 'gstEffectiveFrom');
    return this.unique(`An item with code ${input.code} exists already`, () =>
      this.db.transaction(scopeOf(caller), async (tx) => {
        const id = uuidv7();
        await tx.query(
          `INSERT INTO items (id, branch_id, code, kind, generic_name, brand_name, form, strength, unit, pack_size, hsn, schedule)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
          [id, caller.branchId, input.code, input.kind, input.genericName, input.brandName ?? null, input.form, input.strength ?? null, input.unit, input.packSize, input.hsn, input.schedule],
        );
        await tx.query('INSERT INTO item_gst_rates (id, branch_id, item_id, effective_from, rate_bp) VALUES ($1, $2, $3, $4, $5)', [
          uuidv7(),
          caller.branchId,
          id,
          input.gstEffectiveFrom,
          input.gstRateBp,
        ]);
        return itemView(tx, id);
      }),
    );
  }

  async addGstRate(caller: Caller, itemId: string, effectiveFrom: string, rateBp: number) {
    assertDate(effectiveFrom, 'effectiveFrom');
    return this.unique(`A GST rate from ${effectiveFrom} exists already for this item`, () =>
      this.db.transaction(scopeOf(caller), async (tx) => {
        if (!(await tx.maybeOne('SELECT 1 FROM items WHERE id = $1', [itemId]))) throw notFound('The item', 'item-not-found');
        await tx.query('INSERT INTO item_gst_rates (id, branch_id, item_id, effective_from, rate_bp) VALUES ($1, $2, $3, $4, $5)', [
          uuidv7(),
          caller.branchId,
          itemId,
          effectiveFrom,
          rateBp,
        ]);
        return itemView(tx, itemId);
      }),
    );
  }

  getItem(caller: Caller, itemId: string) {
    return this.db.transaction(scopeOf(caller), (tx) => itemView(tx, itemId), { readOnly: true });
  }

  async listItems(caller: Caller, q: string | undefined, limit: number, offset: number) {
    return this.db.transaction(
      scopeOf(caller),
      async (tx) => {
        const rows = await tx.query<{ id: string }>(
          `SELECT id FROM items WHERE branch_id = $1 AND retired_at IS NULL
             AND ($2::text IS NULL OR code = upper($5) OR lower(generic_name) LIKE lower($2) || '%' OR lower(brand_name) LIKE lower($2) || '%')
           ORDER BY generic_name, code LIMIT $3 OFFSET $4`,
          // $2 is escaped for LIKE; the exact code match takes q as typed (codes may hold `_`).
          [caller.branchId, q?.replace(/[%_\\]/g, '\\$&') ?? null, limit, offset, q ?? null],
        );
        return Promise.all(rows.map((r) => itemView(tx, r.id)));
      },
      { readOnly: true },
    );
  }

  async createStore(caller: Caller, input: { code: string; name: string; kind: string; wardId?: string }) {
    if (input.kind === 'ward' && !input.wardId) throw new DomainError('validation', 'validation-failed', 'A ward sub-store names its ward (wardId)', {}, [{ field: 'wardId', message: 'is required for a ward store' }]);
    return this.unique(`A store with code ${input.code} exists already`, () =>
      this.db.transaction(scopeOf(caller), async (tx) => {
        const id = uuidv7();
        await tx.query('INSERT INTO stores (id, branch_id, code, name, kind, ward_id) VALUES ($1, $2, $3, $4, $5, $6)', [
          id,
          caller.branchId,
          input.code,
          input.name,
          input.kind,
          input.wardId ?? null,
        ]);
        return { id, code: input.code, name: input.name, kind: input.kind, wardId: input.wardId ?? null };
      }),
    );
  }

  listStores(caller: Caller) {
    return this.db.transaction(
      scopeOf(caller),
      (tx) => tx.query(`SELECT id, code, name, kind, ward_id AS "wardId" FROM stores WHERE retired_at IS NULL ORDER BY code`),
      { readOnly: true },
    );
  }

  async setReorderLevel(caller: Caller, storeId: string, itemId: string, level: number, quantity: number) {
    return this.db.transaction(scopeOf(caller), async (tx) => {
      if (!(await tx.maybeOne('SELECT 1 FROM stores WHERE id = $1 AND retired_at IS NULL', [storeId]))) throw notFound('The store', 'store-not-found');
      if (!(await tx.maybeOne('SELECT 1 FROM items WHERE id = $1', [itemId]))) throw notFound('The item', 'item-not-found');
      await tx.query(
        `INSERT INTO reorder_levels (store_id, item_id, branch_id, reorder_level, reorder_quantity) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (store_id, item_id) DO UPDATE SET reorder_level = EXCLUDED.reorder_level, reorder_quantity = EXCLUDED.reorder_quantity`,
        [storeId, itemId, caller.branchId, level, quantity],
      );
      return { storeId, itemId, reorderLevel: level, reorderQuantity: quantity };
    });
  }

  async createSupplier(caller: Caller, name: string, gstinInput: string) {
    const gstin = validateGstin(gstinInput);
    if (!gstin.ok) throw new DomainError('validation', 'validation-failed', `gstin ${gstin.reason}`, {}, [{ field: 'gstin', message: gstin.reason }]);
    return this.unique(`A supplier with GSTIN ${gstin.gstin} exists already`, () =>
      this.db.transaction(scopeOf(caller), async (tx) => {
        const id = uuidv7();
        await tx.query('INSERT INTO suppliers (id, branch_id, name, gstin, state_code) VALUES ($1, $2, $3, $4, $5)', [id, caller.branchId, name, gstin.gstin, gstin.stateCode]);
        return { id, name, gstin: gstin.gstin, stateCode: gstin.stateCode };
      }),
    );
  }

  listSuppliers(caller: Caller) {
    return this.db.transaction(scopeOf(caller), (tx) => tx.query(`SELECT id, name, gstin, state_code AS "stateCode" FROM suppliers ORDER BY name`), { readOnly: true });
  }

  private unique<T>(message: string, work: () => Promise<T>): Promise<T> {
    return onUniqueViolation(work, () => conflict('already-exists', message));
  }
}

function assertDate(value: string, field: string): void {
  if (!isCalendarDate(value)) throw new DomainError('validation', 'validation-failed', `${field} is not a calendar date`, {}, [{ field, message: 'is not a calendar date' }]);
}

/** An item with its GST rate history and the rate in force today (India). */
export async function itemView(tx: Tx, itemId: string) {
  const item = await tx.maybeOne<{
    id: string;
    code: string;
    kind: string;
    generic_name: string;
    brand_name: string | null;
    form: string;
    strength: string | null;
    unit: string;
    pack_size: number;
    hsn: string;
    schedule: string;
  }>('SELECT * FROM items WHERE id = $1', [itemId]);
  if (!item) throw notFound('The item', 'item-not-found');
  const rates = await tx.query<{ effective_from: string; rate_bp: number }>(
    `SELECT to_char(effective_from, 'YYYY-MM-DD') AS effective_from, rate_bp FROM item_gst_rates WHERE item_id = $1 ORDER BY effective_from`,
    [itemId],
  );
  const today = indianDate(new Date());
  const current = [...rates].reverse().find((r) => r.effective_from <= today);
  return {
    id: item.id,
    code: item.code,
    kind: item.kind,
    genericName: item.generic_name,
    brandName: item.brand_name,
    form: item.form,
    strength: item.strength,
    unit: item.unit,
    packSize: item.pack_size,
    hsn: item.hsn,
    schedule: item.schedule,
    gstRateBp: current?.rate_bp ?? null,
    gstRates: rates.map((r) => ({ effectiveFrom: r.effective_from, rateBp: r.rate_bp })),
  };
}
