/**
 * The pharmacy's data for `npm run bench`: two stores and a supplier through the API, then the
 * item master, GST rates, batches, reorder levels and the stock ledger straight into SQL. The
 * ledger is receipts and dispenses in pairs (a receipt, then a smaller dispense of the same batch
 * in the same store), so no running balance is ever negative; the balances are then the ledger's
 * sums, computed in one statement, as the service would have kept them row by row.
 */
import { performance } from 'node:perf_hooks';
import { Client, type Pool, type PoolClient } from 'pg';
import { uuidv7 } from '@hms/platform-persistence';
import type { Random } from './names';
import { Progress } from './progress';
import type { Caller } from './registration';
import { callMany, type Call } from './wards-api';

export const SUPPLIER_GSTIN = '27AAPFU0939F1ZV';
/** Ledger rows per INSERT (even: a pair never straddles two statements). */
const LEDGER_CHUNK = 100_000;
/** Ledger INSERTs in flight at once. */
const LEDGER_PARALLEL = 2;
/** The seeded ledger spans the last two years, oldest row first. */
const LEDGER_SPAN_SECONDS = 730 * 86_400;
/** The tables the pharmacy bench fills; VACUUM ANALYZEd after seeding, as autovacuum would have long since. */
export const PHARMACY_TABLES = ['stores', 'suppliers', 'items', 'item_gst_rates', 'batches', 'reorder_levels', 'stock_ledger', 'stock_balances'] as const;

interface Drug {
  generic: string;
  strengths: readonly string[];
  form: string;
  unit: string;
  schedule: 'NONE' | 'G' | 'H' | 'H1';
  hsn: string;
  kind: 'drug' | 'consumable';
}

const drug = (generic: string, strengths: string[], form: string, unit: string, schedule: Drug['schedule'], hsn = '30049099'): Drug => ({
  generic,
  strengths,
  form,
  unit,
  schedule,
  hsn,
  kind: 'drug',
});
const consumable = (generic: string, strengths: string[], unit: string, hsn: string): Drug => ({ generic, strengths, form: 'consumable', unit, schedule: 'NONE', hsn, kind: 'consumable' });

/** A hospital formulary's mix: mostly Schedule H, some over-the-counter, a few H1, consumables. */
const FORMULARY: readonly Drug[] = [
  drug('Paracetamol', ['500 mg', '650 mg'], 'tablet', 'tablet', 'NONE'),
  drug('Paracetamol', ['150 mg/ml'], 'injection', 'ampoule', 'H'),
  drug('Ibuprofen', ['200 mg', '400 mg'], 'tablet', 'tablet', 'H'),
  drug('Diclofenac', ['50 mg'], 'tablet', 'tablet', 'H'),
  drug('Amoxicillin', ['250 mg', '500 mg'], 'capsule', 'capsule', 'H', '30041010'),
  drug('Amoxicillin and Clavulanic acid', ['625 mg'], 'tablet', 'tablet', 'H', '30041010'),
  drug('Azithromycin', ['250 mg', '500 mg'], 'tablet', 'tablet', 'H', '30042019'),
  drug('Cefixime', ['200 mg'], 'tablet', 'tablet', 'H', '30042019'),
  drug('Ceftriaxone', ['1 g'], 'injection', 'vial', 'H', '30042019'),
  drug('Ciprofloxacin', ['500 mg'], 'tablet', 'tablet', 'H'),
  drug('Metronidazole', ['400 mg'], 'tablet', 'tablet', 'H'),
  drug('Levofloxacin', ['500 mg', '750 mg'], 'tablet', 'tablet', 'H1'),
  drug('Moxifloxacin', ['400 mg'], 'tablet', 'tablet', 'H1'),
  drug('Cefpodoxime', ['200 mg'], 'tablet', 'tablet', 'H1', '30042019'),
  drug('Rifampicin', ['450 mg'], 'capsule', 'capsule', 'H1'),
  drug('Isoniazid', ['300 mg'], 'tablet', 'tablet', 'H1'),
  drug('Alprazolam', ['0.25 mg', '0.5 mg'], 'tablet', 'tablet', 'H1'),
  drug('Zolpidem', ['5 mg', '10 mg'], 'tablet', 'tablet', 'H1'),
  drug('Metformin', ['500 mg', '1000 mg'], 'tablet', 'tablet', 'H'),
  drug('Glimepiride', ['1 mg', '2 mg'], 'tablet', 'tablet', 'H'),
  drug('Insulin glargine', ['100 IU/ml'], 'injection', 'pen', 'H', '30043110'),
  drug('Amlodipine', ['5 mg', '10 mg'], 'tablet', 'tablet', 'H'),
  drug('Telmisartan', ['40 mg', '80 mg'], 'tablet', 'tablet', 'H'),
  drug('Losartan', ['50 mg'], 'tablet', 'tablet', 'H'),
  drug('Metoprolol', ['25 mg', '50 mg'], 'tablet', 'tablet', 'H'),
  drug('Atorvastatin', ['10 mg', '20 mg', '40 mg'], 'tablet', 'tablet', 'H'),
  drug('Rosuvastatin', ['10 mg'], 'tablet', 'tablet', 'H'),
  drug('Clopidogrel', ['75 mg'], 'tablet', 'tablet', 'H'),
  drug('Aspirin', ['75 mg', '150 mg'], 'tablet', 'tablet', 'NONE'),
  drug('Furosemide', ['40 mg'], 'tablet', 'tablet', 'H'),
  drug('Spironolactone', ['25 mg'], 'tablet', 'tablet', 'H'),
  drug('Enoxaparin', ['40 mg', '60 mg'], 'injection', 'syringe', 'H'),
  drug('Heparin', ['5000 IU/ml'], 'injection', 'vial', 'H'),
  drug('Pantoprazole', ['40 mg'], 'tablet', 'tablet', 'H'),
  drug('Pantoprazole', ['40 mg'], 'injection', 'vial', 'H'),
  drug('Omeprazole', ['20 mg'], 'capsule', 'capsule', 'H'),
  drug('Ondansetron', ['4 mg'], 'tablet', 'tablet', 'H'),
  drug('Ondansetron', ['2 mg/ml'], 'injection', 'ampoule', 'H'),
  drug('Domperidone', ['10 mg'], 'tablet', 'tablet', 'H'),
  drug('Cetirizine', ['10 mg'], 'tablet', 'tablet', 'NONE'),
  drug('Levocetirizine', ['5 mg'], 'tablet', 'tablet', 'NONE'),
  drug('Chlorpheniramine', ['4 mg'], 'tablet', 'tablet', 'G'),
  drug('Hydroxyzine', ['25 mg'], 'tablet', 'tablet', 'G'),
  drug('Montelukast', ['10 mg'], 'tablet', 'tablet', 'H'),
  drug('Salbutamol', ['100 mcg'], 'inhaler', 'inhaler', 'H'),
  drug('Budesonide', ['200 mcg'], 'inhaler', 'inhaler', 'H'),
  drug('Prednisolone', ['5 mg', '10 mg'], 'tablet', 'tablet', 'H'),
  drug('Dexamethasone', ['4 mg/ml'], 'injection', 'ampoule', 'H'),
  drug('Lignocaine', ['2%'], 'injection', 'vial', 'H'),
  drug('Mupirocin', ['2%'], 'ointment', 'tube', 'H'),
  drug('Sodium chloride', ['0.9% 500 ml'], 'infusion', 'bottle', 'H', '30049099'),
  drug('Ringer lactate', ['500 ml'], 'infusion', 'bottle', 'H', '30049099'),
  drug('Dextrose', ['5% 500 ml'], 'infusion', 'bottle', 'H', '30049099'),
  drug('Oral rehydration salts', ['21 g'], 'sachet', 'sachet', 'NONE'),
  drug('Cholecalciferol', ['60000 IU'], 'capsule', 'capsule', 'NONE', '30045020'),
  drug('Calcium carbonate', ['500 mg'], 'tablet', 'tablet', 'NONE', '30045090'),
  drug('Ferrous ascorbate and Folic acid', ['100 mg'], 'tablet', 'tablet', 'NONE', '30045090'),
  drug('Multivitamin', ['200 ml'], 'syrup', 'bottle', 'NONE', '30045090'),
  drug('Povidone iodine', ['5% 100 ml'], 'solution', 'bottle', 'NONE'),
  consumable('Disposable syringe', ['2 ml', '5 ml', '10 ml'], 'piece', '90183100'),
  consumable('IV cannula', ['18G', '20G', '22G'], 'piece', '90183930'),
  consumable('Surgical gloves', ['6.5', '7', '7.5'], 'pair', '40151100'),
  consumable('Gauze swab', ['10 cm x 10 cm'], 'pack', '30059040'),
  consumable('Urine collection bag', ['2 l'], 'piece', '90183990'),
  consumable('Face mask 3-ply', ['adult'], 'piece', '63079090'),
];

const BRAND_STEMS = ['Vexa', 'Nora', 'Ziva', 'Calo', 'Pira', 'Soma', 'Tevo', 'Kira', 'Luma', 'Resa', 'Dura', 'Oxa', 'Feno', 'Medo', 'Rivo', 'Sano'];
const BRAND_ENDS = ['cin', 'zol', 'pril', 'dol', 'vit', 'mox', 'lin', 'fen', 'tas', 'max', 'cef', 'pan'];

export interface PharmacyStores {
  mainStoreId: string;
  secondStoreId: string;
  supplierId: string;
}

export interface PharmacySetup extends PharmacyStores {
  requests: number;
  errors: number;
  errorSamples: string[];
  seconds: number;
}

/** The two stores and the supplier through the API, as an administrator sets them up. */
export async function setupStores(baseUrl: string, caller: Caller): Promise<PharmacySetup> {
  const started = performance.now();
  const ids: string[] = ['', '', ''];
  const calls: Call[] = [
    { method: 'POST', path: '/api/v1/pharmacy/stores', body: { code: 'MAIN', name: 'Main store', kind: 'main' } },
    { method: 'POST', path: '/api/v1/pharmacy/stores', body: { code: 'OPD-PHARMACY', name: 'Out-patient pharmacy', kind: 'pharmacy' } },
    { method: 'POST', path: '/api/v1/pharmacy/suppliers', body: { name: 'Pune Pharma Distributors', gstin: SUPPLIER_GSTIN } },
  ];
  const run = await callMany('pharmacy stores and supplier', baseUrl, caller, calls, 1, {
    expected: [201],
    progress: false,
    onOk: (i, _s, body) => (ids[i] = (JSON.parse(body) as { id: string }).id),
  });
  const [mainStoreId, secondStoreId, supplierId] = ids;
  if (!mainStoreId || !secondStoreId || !supplierId) throw new Error(`pharmacy set-up failed: ${run.errorSamples.join('; ')}`);
  return { mainStoreId, secondStoreId, supplierId, requests: calls.length, errors: run.errors, errorSamples: run.errorSamples, seconds: (performance.now() - started) / 1000 };
}

export interface SeedTarget extends PharmacyStores {
  pool: Pool;
  databaseUrl: string;
  branchId: string;
  userId: string;
  /** Today in India (YYYY-MM-DD): expiry is judged by it. */
  today: string;
}

export interface PharmacySeed {
  items: number;
  batches: number;
  expiredBatches: number;
  gstRates: number;
  reorderLevels: number;
  balances: number;
  ledgerRows: number;
  seconds: {
    masters: number;
    ledger: number;
    balances: number;
    check: number;
    vacuumAnalyze: number;
    total: number;
  };
  ledgerRowsPerSec: number;
  /** Whether the ledger INSERTs ran without the foreign-key triggers (session_replication_role = replica, superuser only). */
  foreignKeyChecksSkipped: boolean;
  /** Ledger rows whose batch or item does not match (must be 0; checked after a load without foreign-key checks). */
  orphanLedgerRows: number;
  /** Balance rows that differ from their ledger sums, and ledger sums without a balance row (must be 0). */
  balanceMismatches: number;
  /** The seeded items, for the reads and the dispenses. */
  itemIds: string[];
}

export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** Runs `work` as the server account in one transaction that sees every branch. */
export async function inAllBranches<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query("SET LOCAL hms.all_branches = 'on'");
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/**
 * `items` items (3–5 batches each, every batch in the main store, the two newest batches of every
 * other item in the second store too), two GST rates each (12% from July 2017, 5% from the
 * September 2025 cut), a reorder level each in the main store, and `ledgerRows` ledger rows spread
 * over every (store, batch). Then the balances, a check that they equal the ledger's sums, and
 * VACUUM ANALYZE.
 */
export async function seedPharmacy(target: SeedTarget, items: number, ledgerRows: number, rng: Random): Promise<PharmacySeed> {
  const started = performance.now();
  const { pool, branchId, today } = target;

  // The masters, built here and written with one unnest INSERT per table.
  const item = { id: [] as string[], code: [] as string[], kind: [] as string[], generic: [] as string[], brand: [] as (string | null)[] };
  const more = { form: [] as string[], strength: [] as string[], unit: [] as string[], pack: [] as number[], hsn: [] as string[], schedule: [] as string[] };
  const batch = { id: [] as string[], item: [] as string[], no: [] as string[], expiry: [] as string[], mrp: [] as number[], rate: [] as number[] };
  const slots = { store: [] as string[], item: [] as string[], batch: [] as string[] };
  let expiredBatches = 0;
  for (let i = 1; i <= items; i++) {
    const d = FORMULARY[(i - 1) % FORMULARY.length];
    const id = uuidv7();
    item.id.push(id);
    item.code.push(`${d.generic.replace(/[^A-Za-z]/g, '').slice(0, 4).toUpperCase()}${String(i).padStart(6, '0')}`);
    item.kind.push(d.kind);
    item.generic.push(d.generic);
    item.brand.push(d.kind === 'drug' && rng.chance(0.7) ? `${rng.pick(BRAND_STEMS)}${rng.pick(BRAND_ENDS)}` : null);
    more.form.push(d.form);
    more.strength.push(rng.pick(d.strengths));
    more.unit.push(d.unit);
    more.pack.push(d.form === 'tablet' || d.form === 'capsule' ? rng.pick([10, 10, 15, 30]) : 1);
    more.hsn.push(d.hsn);
    more.schedule.push(d.schedule);
    const mrpBase = rng.int(2, 500) * 100 + rng.int(0, 99);
    const batches = 3 + (i % 3);
    for (let k = 0; k < batches; k++) {
      const batchId = uuidv7();
      // The oldest batch expires anywhere from a month ago to a year ahead; later ones half a year apart.
      const days = k === 0 ? rng.int(-30, 365) : 180 * k + rng.int(0, 180);
      const expiry = addDays(today, days);
      if (days <= 0) expiredBatches++;
      const mrp = Math.round(mrpBase * (1 + 0.03 * k));
      batch.id.push(batchId);
      batch.item.push(id);
      batch.no.push(`BN${i.toString(36).toUpperCase()}-${k + 1}`);
      batch.expiry.push(expiry);
      batch.mrp.push(mrp);
      batch.rate.push(Math.round(mrp * 0.72));
      slots.store.push(target.mainStoreId);
      slots.item.push(id);
      slots.batch.push(batchId);
      if (i % 2 === 0 && k >= batches - 2) {
        slots.store.push(target.secondStoreId);
        slots.item.push(id);
        slots.batch.push(batchId);
      }
    }
  }

  const { gstRates, reorderLevels } = await inAllBranches(pool, async (c) => {
    const [{ n }] = (await c.query<{ n: number }>('SELECT count(*)::int AS n FROM pharmacy.stock_ledger')).rows;
    if (n !== 0) throw new Error(`pharmacy seed: the ledger has ${n} rows already; the bench seeds an empty one`);
    await c.query(
      `INSERT INTO pharmacy.items (id, branch_id, code, kind, generic_name, brand_name, form, strength, unit, pack_size, hsn, schedule, created_at)
       SELECT u.id, $1, u.code, u.kind, u.generic, u.brand, u.form, u.strength, u.unit, u.pack, u.hsn, u.schedule, now() - interval '3 years'
       FROM unnest($2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::int[], $11::text[], $12::text[])
         AS u(id, code, kind, generic, brand, form, strength, unit, pack, hsn, schedule)`,
      [branchId, item.id, item.code, item.kind, item.generic, item.brand, more.form, more.strength, more.unit, more.pack, more.hsn, more.schedule],
    );
    const rates = await c.query(
        `INSERT INTO pharmacy.item_gst_rates (id, branch_id, item_id, effective_from, rate_bp)
         SELECT gen_random_uuid(), i.branch_id, i.id, r.effective_from, CASE WHEN i.kind = 'consumable' THEN r.consumable ELSE r.drug END
         FROM pharmacy.items i CROSS JOIN (VALUES (date '2017-07-01', 1200, 1800), (date '2025-09-22', 500, 1800)) AS r(effective_from, drug, consumable)
         WHERE i.id = ANY($1::uuid[])`,
        [item.id],
      );
    await c.query(
      `INSERT INTO pharmacy.batches (id, branch_id, item_id, batch_no, expiry, mrp_paise, purchase_rate_paise, created_at)
       SELECT u.id, $1, u.item_id, u.no, u.expiry, u.mrp, u.rate, now() - interval '2 years'
       FROM unnest($2::uuid[], $3::uuid[], $4::text[], $5::date[], $6::bigint[], $7::bigint[]) AS u(id, item_id, no, expiry, mrp, rate)`,
      [branchId, batch.id, batch.item, batch.no, batch.expiry, batch.mrp, batch.rate],
    );
    const levels = await c.query(
        `INSERT INTO pharmacy.reorder_levels (store_id, item_id, branch_id, reorder_level, reorder_quantity)
         SELECT $1, i.id, i.branch_id, 20 + abs(hashtext(i.code)) % 180, 500 FROM pharmacy.items i WHERE i.id = ANY($2::uuid[])`,
        [target.mainStoreId, item.id],
      );
    // Where each ledger pair goes: pair p moves slot p mod slots.
    await c.query('DROP TABLE IF EXISTS public.bench_pharmacy_slots');
    await c.query('CREATE UNLOGGED TABLE public.bench_pharmacy_slots (slot int PRIMARY KEY, store_id uuid NOT NULL, item_id uuid NOT NULL, batch_id uuid NOT NULL)');
    await c.query(
      `INSERT INTO public.bench_pharmacy_slots (slot, store_id, item_id, batch_id)
       SELECT o::int - 1, s, i, b FROM unnest($1::uuid[], $2::uuid[], $3::uuid[]) WITH ORDINALITY AS u(s, i, b, o)`,
      [slots.store, slots.item, slots.batch],
    );
    return { gstRates: rates.rowCount ?? 0, reorderLevels: levels.rowCount ?? 0 };
  });
  await pool.query('ANALYZE public.bench_pharmacy_slots');
  const mastersSeconds = (performance.now() - started) / 1000;
  process.stderr.write(
    `pharmacy: ${items} items, ${batch.id.length} batches (${expiredBatches} expired), ${gstRates} GST rates, ${reorderLevels} reorder levels, ${slots.batch.length} store batches in ${mastersSeconds.toFixed(1)} s\n`,
  );

  // The ledger: chunks of generate_series, receipts on even rows, their dispenses on the odd row after.
  const ledgerStarted = performance.now();
  const foreignKeyChecksSkipped = await seedLedger(target, ledgerRows, slots.batch.length);
  const ledgerSeconds = (performance.now() - ledgerStarted) / 1000;

  const balancesStarted = performance.now();
  const balances = await inAllBranches(pool, async (c) => {
    const inserted = await c.query(
        `INSERT INTO pharmacy.stock_balances (store_id, batch_id, branch_id, item_id, expiry, on_hand)
         SELECT l.store_id, l.batch_id, $1, l.item_id, b.expiry, sum(l.quantity)
         FROM pharmacy.stock_ledger l JOIN pharmacy.batches b ON b.id = l.batch_id
         WHERE l.branch_id = $1
         GROUP BY l.store_id, l.batch_id, l.item_id, b.expiry`,
        [branchId],
      );
    return inserted.rowCount ?? 0;
  });
  await pool.query('DROP TABLE IF EXISTS public.bench_pharmacy_slots');
  const balancesSeconds = (performance.now() - balancesStarted) / 1000;

  const checkStarted = performance.now();
  const orphanLedgerRows = await orphanRows(pool);
  const balanceMismatches = await ledgerBalanceMismatches(pool);
  const checkSeconds = (performance.now() - checkStarted) / 1000;

  process.stderr.write('VACUUM ANALYZE of the pharmacy tables…\n');
  const vacuumStarted = performance.now();
  for (const t of PHARMACY_TABLES) await pool.query(`VACUUM (ANALYZE) pharmacy.${t}`);
  const vacuumSeconds = (performance.now() - vacuumStarted) / 1000;
  return {
    items,
    batches: batch.id.length,
    expiredBatches,
    gstRates,
    reorderLevels,
    balances,
    ledgerRows,
    seconds: {
      masters: mastersSeconds,
      ledger: ledgerSeconds,
      balances: balancesSeconds,
      check: checkSeconds,
      vacuumAnalyze: vacuumSeconds,
      total: (performance.now() - started) / 1000,
    },
    ledgerRowsPerSec: ledgerRows / ledgerSeconds,
    foreignKeyChecksSkipped,
    orphanLedgerRows,
    balanceMismatches,
    itemIds: item.id,
  };
}

/**
 * `rows` ledger rows in chunks of LEDGER_CHUNK, LEDGER_PARALLEL at once, each one INSERT … SELECT
 * over generate_series. Row g (0-based) belongs to pair g/2 and slot (g/2) mod `slotCount`; an
 * even row is the pair's receipt (100–499 units), the odd row after it its dispense (1–20 units).
 * Timestamps rise with g over the last two years. Where the server account may, the foreign-key
 * triggers are skipped (session_replication_role = replica, as a restore does): every row is built
 * from the slots, and orphanRows checks afterwards. Returns whether they were skipped.
 */
async function seedLedger(target: SeedTarget, rows: number, slotCount: number): Promise<boolean> {
  const progress = new Progress('ledger', rows);
  const endsAt = new Date();
  const stepSeconds = LEDGER_SPAN_SECONDS / Math.max(1, rows);
  const sql = `INSERT INTO pharmacy.stock_ledger (branch_id, store_id, item_id, batch_id, movement, quantity, reference_type, reference_id, at, actor_id)
    SELECT $1::uuid, s.store_id, s.item_id, s.batch_id,
           CASE WHEN g % 2 = 0 THEN 'receipt' ELSE 'dispense' END,
           CASE WHEN g % 2 = 0 THEN 100 + ((g / 2) * 7919) % 400 ELSE -(1 + ((g / 2) * 104729) % 20) END,
           CASE WHEN g % 2 = 0 THEN 'goods-receipt' ELSE 'dispense' END,
           gen_random_uuid(),
           $5::timestamptz - make_interval(secs => ($6::bigint - g) * $7::float8),
           $2::text
    FROM generate_series($3::bigint, $4::bigint - 1) AS g
    JOIN public.bench_pharmacy_slots s ON s.slot = ((g / 2) % $8::bigint)::int
    ORDER BY g`;
  let next = 0;
  let done = 0;
  let skipped = true;
  progress.update(0);
  const worker = async () => {
    const client = new Client({ connectionString: target.databaseUrl, application_name: 'hms-bench-seed' });
    await client.connect();
    try {
      try {
        await client.query('SET session_replication_role = replica');
      } catch {
        skipped = false;
      }
      for (;;) {
        const lo = next;
        if (lo >= rows) return;
        const hi = Math.min(rows, lo + LEDGER_CHUNK);
        next = hi;
        await client.query('BEGIN');
        try {
          await client.query("SET LOCAL hms.all_branches = 'on'");
          await client.query(sql, [target.branchId, target.userId, lo, hi, endsAt, rows, stepSeconds, slotCount]);
          await client.query('COMMIT');
        } catch (error) {
          await client.query('ROLLBACK').catch(() => undefined);
          throw error;
        }
        done += hi - lo;
        progress.update(done);
      }
    } finally {
      await client.end().catch(() => undefined);
    }
  };
  await Promise.all(Array.from({ length: LEDGER_PARALLEL }, worker));
  return skipped;
}

/** Ledger rows whose batch is missing or of another item, or whose store is missing. */
async function orphanRows(pool: Pool): Promise<number> {
  return inAllBranches(pool, async (c) => {
    const { rows } = await c.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pharmacy.stock_ledger l
         WHERE NOT EXISTS (SELECT 1 FROM pharmacy.batches b WHERE b.id = l.batch_id AND b.item_id = l.item_id)
            OR NOT EXISTS (SELECT 1 FROM pharmacy.stores s WHERE s.id = l.store_id)`,
      );
    return rows[0].n;
  });
}

/**
 * (store, batch) pairs whose balance differs from the sum of their ledger rows, or that have one
 * and not the other, in the whole pharmacy (`itemId`: of one item only).
 */
export async function ledgerBalanceMismatches(pool: Pool, itemId?: string): Promise<number> {
  return inAllBranches(pool, async (c) => {
    const { rows } = await c.query<{ n: number }>(
        `SELECT count(*)::int AS n
         FROM (SELECT store_id, batch_id, sum(quantity) AS total FROM pharmacy.stock_ledger WHERE $1::uuid IS NULL OR item_id = $1 GROUP BY 1, 2) l
         FULL JOIN (SELECT store_id, batch_id, on_hand FROM pharmacy.stock_balances WHERE $1::uuid IS NULL OR item_id = $1) b USING (store_id, batch_id)
         WHERE l.total IS DISTINCT FROM b.on_hand AND NOT (l.total IS NULL AND b.on_hand = 0)`,
        [itemId ?? null],
      );
    return rows[0].n;
  });
}
