import { Inject, Injectable } from '@nestjs/common';
import { DomainError, conflict, notFound } from '@hms/contracts-common';
import type { Caller } from '@hms/platform-auth';
import { Database, onUniqueViolation, uuidv7, type Tx } from '@hms/platform-persistence';
import { CLOCK, Clock } from '@hms/platform-time';
import { gstRateProblem, indianDate, validateGstin } from '../domain';

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

/** A PATCH of an item: absent fields stay; null clears brand name or strength; active: false deactivates. */
export interface ItemChanges {
  kind?: 'drug' | 'consumable';
  genericName?: string;
  brandName?: string | null;
  form?: string;
  strength?: string | null;
  unit?: string;
  packSize?: number;
  hsn?: string;
  schedule?: string;
  active?: boolean;
}

export interface StoreChanges {
  name?: string;
  minShelfLifeDays?: number;
  active?: boolean;
}

export interface SupplierChanges {
  name?: string;
  active?: boolean;
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

/** Item master (with GST rate history), stores, reorder levels and suppliers. */
@Injectable()
export class CatalogueService {
  constructor(
    private readonly db: Database,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  private today(): string {
    return indianDate(this.clock.now());
  }

  async createItem(caller: Caller, input: ItemInput) {
    assertGstRate(input.gstRateBp, input.gstEffectiveFrom, 'gstRateBp');
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
        return itemView(tx, id, this.today());
      }),
    );
  }

  async addGstRate(caller: Caller, itemId: string, effectiveFrom: string, rateBp: number) {
    assertGstRate(rateBp, effectiveFrom, 'rateBp');
    return this.unique(`A GST rate from ${effectiveFrom} exists already for this item`, () =>
      this.db.transaction(scopeOf(caller), async (tx) => {
        // The rate history is part of the item's representation: a new rate is a new version.
        if (!(await tx.maybeOne('UPDATE items SET version = version + 1 WHERE id = $1 RETURNING 1', [itemId]))) throw notFound('The item', 'item-not-found');
        await tx.query('INSERT INTO item_gst_rates (id, branch_id, item_id, effective_from, rate_bp) VALUES ($1, $2, $3, $4, $5)', [
          uuidv7(),
          caller.branchId,
          itemId,
          effectiveFrom,
          rateBp,
        ]);
        return itemView(tx, itemId, this.today());
      }),
    );
  }

  getItem(caller: Caller, itemId: string) {
    return this.db.transaction(scopeOf(caller), (tx) => itemView(tx, itemId, this.today()), { readOnly: true });
  }

  async listItems(caller: Caller, q: string | undefined, limit: number, offset: number, includeInactive = false) {
    const today = this.today();
    return this.db.transaction(
      scopeOf(caller),
      async (tx) => {
        const rows = await tx.query<{ id: string }>(
          `SELECT id FROM items WHERE branch_id = $1 AND ($6 OR retired_at IS NULL)
             AND ($2::text IS NULL OR code = upper($5) OR lower(generic_name) LIKE lower($2) || '%' OR lower(brand_name) LIKE lower($2) || '%')
           ORDER BY generic_name, code LIMIT $3 OFFSET $4`,
          // $2 is escaped for LIKE; the exact code match takes q as typed (codes may hold `_`).
          [caller.branchId, q?.replace(/[%_\\]/g, '\\$&') ?? null, limit, offset, q ?? null, includeInactive],
        );
        // One query at a time: a transaction's client runs its queries in order, never in parallel.
        const views = [];
        for (const r of rows) views.push(await itemView(tx, r.id, today));
        return views;
      },
      { readOnly: true },
    );
  }

  /** Changes an item the client saw at `expectedVersion` (412 if it changed since). */
  async updateItem(caller: Caller, itemId: string, expectedVersion: number, changes: ItemChanges) {
    assertChanges(changes);
    return this.db.transaction(scopeOf(caller), async (tx) => {
      const current = await tx.maybeOne<{ version: number }>('SELECT version FROM items WHERE id = $1 FOR UPDATE', [itemId]);
      if (!current) throw notFound('The item', 'item-not-found');
      assertVersion('item', current.version, expectedVersion);
      const set = (field: keyof ItemChanges) => changes[field] !== undefined;
      await tx.query(
        `UPDATE items SET
           kind = CASE WHEN $2 THEN $3 ELSE kind END,
           generic_name = CASE WHEN $4 THEN $5 ELSE generic_name END,
           brand_name = CASE WHEN $6 THEN $7 ELSE brand_name END,
           form = CASE WHEN $8 THEN $9 ELSE form END,
           strength = CASE WHEN $10 THEN $11 ELSE strength END,
           unit = CASE WHEN $12 THEN $13 ELSE unit END,
           pack_size = CASE WHEN $14 THEN $15::int ELSE pack_size END,
           hsn = CASE WHEN $16 THEN $17 ELSE hsn END,
           schedule = CASE WHEN $18 THEN $19 ELSE schedule END,
           retired_at = CASE WHEN $20 THEN (CASE WHEN $21 THEN NULL ELSE coalesce(retired_at, $22) END) ELSE retired_at END,
           version = version + 1
         WHERE id = $1`,
        [
          itemId,
          set('kind'),
          changes.kind ?? null,
          set('genericName'),
          changes.genericName ?? null,
          set('brandName'),
          changes.brandName ?? null,
          set('form'),
          changes.form ?? null,
          set('strength'),
          changes.strength ?? null,
          set('unit'),
          changes.unit ?? null,
          set('packSize'),
          changes.packSize ?? null,
          set('hsn'),
          changes.hsn ?? null,
          set('schedule'),
          changes.schedule ?? null,
          set('active'),
          changes.active ?? null,
          this.clock.now(),
        ],
      );
      return itemView(tx, itemId, this.today());
    });
  }

  async createStore(caller: Caller, input: { code: string; name: string; kind: string; wardId?: string; minShelfLifeDays?: number }) {
    if (input.kind === 'ward' && !input.wardId) throw new DomainError('validation', 'validation-failed', 'A ward sub-store names its ward (wardId)', {}, [{ field: 'wardId', message: 'is required for a ward store' }]);
    return this.unique(`A store with code ${input.code} exists already`, () =>
      this.db.transaction(scopeOf(caller), async (tx) => {
        const id = uuidv7();
        await tx.query('INSERT INTO stores (id, branch_id, code, name, kind, ward_id, min_shelf_life_days) VALUES ($1, $2, $3, $4, $5, $6, $7)', [
          id,
          caller.branchId,
          input.code,
          input.name,
          input.kind,
          input.wardId ?? null,
          input.minShelfLifeDays ?? 0,
        ]);
        return storeView(tx, id);
      }),
    );
  }

  getStore(caller: Caller, storeId: string): Promise<StoreView> {
    return this.db.transaction(scopeOf(caller), (tx) => storeView(tx, storeId), { readOnly: true });
  }

  listStores(caller: Caller, includeInactive = false): Promise<StoreView[]> {
    return this.db.transaction(scopeOf(caller), (tx) => tx.query<StoreView>(`SELECT ${STORE_COLUMNS} FROM stores WHERE ($1 OR retired_at IS NULL) ORDER BY code`, [includeInactive]), {
      readOnly: true,
    });
  }

  /**
   * Changes a store the client saw at `expectedVersion`. A store is deactivated only when empty:
   * nothing on hand and nothing in transit to or from it (409 otherwise), so no stock is stranded.
   */
  async updateStore(caller: Caller, storeId: string, expectedVersion: number, changes: StoreChanges): Promise<StoreView> {
    assertChanges(changes);
    return this.db.transaction(scopeOf(caller), async (tx) => {
      const current = await tx.maybeOne<{ version: number; code: string; retired: boolean }>('SELECT version, code, retired_at IS NOT NULL AS retired FROM stores WHERE id = $1 FOR UPDATE', [
        storeId,
      ]);
      if (!current) throw notFound('The store', 'store-not-found');
      assertVersion('store', current.version, expectedVersion);
      if (changes.active === false && !current.retired) {
        const [left] = await tx.query<{ on_hand: string; in_transit: string }>(
          `SELECT (SELECT coalesce(sum(on_hand), 0) FROM stock_balances WHERE store_id = $1) AS on_hand,
                  (SELECT count(*) FROM transfers WHERE status = 'in-transit' AND (from_store_id = $1 OR to_store_id = $1)) AS in_transit`,
          [storeId],
        );
        if (Number(left.on_hand) > 0 || Number(left.in_transit) > 0) {
          throw conflict(
            'store-not-empty',
            `Store ${current.code} holds ${left.on_hand} unit(s) and has ${left.in_transit} transfer(s) in transit: transfer, return or write off its stock before deactivating it`,
            { onHand: Number(left.on_hand), transfersInTransit: Number(left.in_transit) },
          );
        }
      }
      await tx.query(
        `UPDATE stores SET
           name = coalesce($2, name),
           min_shelf_life_days = coalesce($3::int, min_shelf_life_days),
           retired_at = CASE WHEN $4::boolean IS NULL THEN retired_at WHEN $4 THEN NULL ELSE coalesce(retired_at, $5) END,
           version = version + 1
         WHERE id = $1`,
        [storeId, changes.name ?? null, changes.minShelfLifeDays ?? null, changes.active ?? null, this.clock.now()],
      );
      return storeView(tx, storeId);
    });
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

  async createSupplier(caller: Caller, name: string, gstinInput: string): Promise<SupplierView> {
    const gstin = validateGstin(gstinInput);
    if (!gstin.ok) throw new DomainError('validation', 'validation-failed', `gstin ${gstin.reason}`, {}, [{ field: 'gstin', message: gstin.reason }]);
    return this.unique(`A supplier with GSTIN ${gstin.gstin} exists already`, () =>
      this.db.transaction(scopeOf(caller), async (tx) => {
        const id = uuidv7();
        await tx.query('INSERT INTO suppliers (id, branch_id, name, gstin, state_code) VALUES ($1, $2, $3, $4, $5)', [id, caller.branchId, name, gstin.gstin, gstin.stateCode]);
        return supplierView(tx, id);
      }),
    );
  }

  getSupplier(caller: Caller, supplierId: string): Promise<SupplierView> {
    return this.db.transaction(scopeOf(caller), (tx) => supplierView(tx, supplierId), { readOnly: true });
  }

  listSuppliers(caller: Caller, includeInactive = false): Promise<SupplierView[]> {
    return this.db.transaction(
      scopeOf(caller),
      (tx) => tx.query<SupplierView>(`SELECT ${SUPPLIER_COLUMNS} FROM suppliers WHERE ($1 OR retired_at IS NULL) ORDER BY name, id`, [includeInactive]),
      { readOnly: true },
    );
  }

  /** Changes a supplier the client saw at `expectedVersion`; a deactivated supplier delivers nothing more. */
  async updateSupplier(caller: Caller, supplierId: string, expectedVersion: number, changes: SupplierChanges): Promise<SupplierView> {
    assertChanges(changes);
    return this.db.transaction(scopeOf(caller), async (tx) => {
      const current = await tx.maybeOne<{ version: number }>('SELECT version FROM suppliers WHERE id = $1 FOR UPDATE', [supplierId]);
      if (!current) throw notFound('The supplier', 'supplier-not-found');
      assertVersion('supplier', current.version, expectedVersion);
      await tx.query(
        `UPDATE suppliers SET
           name = coalesce($2, name),
           retired_at = CASE WHEN $3::boolean IS NULL THEN retired_at WHEN $3 THEN NULL ELSE coalesce(retired_at, $4) END,
           version = version + 1
         WHERE id = $1`,
        [supplierId, changes.name ?? null, changes.active ?? null, this.clock.now()],
      );
      return supplierView(tx, supplierId);
    });
  }

  private unique<T>(message: string, work: () => Promise<T>): Promise<T> {
    return onUniqueViolation(work, () => conflict('already-exists', message));
  }
}

/** A GST rate must be one in force on its effective date (GST-05), or a 400 naming the field. */
function assertGstRate(rateBp: number, effectiveFrom: string, field: string): void {
  const problem = gstRateProblem(rateBp, effectiveFrom);
  if (problem) throw new DomainError('validation', 'validation-failed', `${field}: ${problem}`, {}, [{ field, message: problem }]);
}

function assertChanges(changes: object): void {
  if (!Object.values(changes).some((v) => v !== undefined)) throw new DomainError('validation', 'validation-failed', 'The request changes nothing: send at least one field');
}

/** The version the client changes must be the current one (If-Match), else 412 with the current version. */
function assertVersion(what: string, current: number, expected: number): void {
  if (current !== expected) {
    throw new DomainError('precondition-failed', 'version-mismatch', `The ${what} was changed by someone else (now version ${current}); reload and try again`, { currentVersion: current });
  }
}

const STORE_COLUMNS = `id, code, name, kind, ward_id AS "wardId", min_shelf_life_days AS "minShelfLifeDays", retired_at IS NULL AS active, version`;
const SUPPLIER_COLUMNS = `id, name, gstin, state_code AS "stateCode", retired_at IS NULL AS active, version`;

async function storeView(tx: Tx, storeId: string): Promise<StoreView> {
  const store = await tx.maybeOne<StoreView>(`SELECT ${STORE_COLUMNS} FROM stores WHERE id = $1`, [storeId]);
  if (!store) throw notFound('The store', 'store-not-found');
  return store;
}

async function supplierView(tx: Tx, supplierId: string): Promise<SupplierView> {
  const supplier = await tx.maybeOne<SupplierView>(`SELECT ${SUPPLIER_COLUMNS} FROM suppliers WHERE id = $1`, [supplierId]);
  if (!supplier) throw notFound('The supplier', 'supplier-not-found');
  return supplier;
}

/** An item with its GST rate history and the rate in force on `today` (India). */
export async function itemView(tx: Tx, itemId: string, today: string) {
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
    retired_at: Date | null;
    version: number;
  }>('SELECT * FROM items WHERE id = $1', [itemId]);
  if (!item) throw notFound('The item', 'item-not-found');
  const rates = await tx.query<{ effective_from: string; rate_bp: number }>(
    `SELECT to_char(effective_from, 'YYYY-MM-DD') AS effective_from, rate_bp FROM item_gst_rates WHERE item_id = $1 ORDER BY effective_from`,
    [itemId],
  );
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
    active: item.retired_at === null,
    version: item.version,
  };
}
