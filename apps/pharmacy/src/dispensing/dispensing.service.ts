import { Inject, Injectable } from '@nestjs/common';
import { DomainError, conflict, notFound } from '@hms/contracts-common';
import { Dispensed, type DispensedLine, type DrugSchedule, type SupplyKind } from '@hms/contracts-pharmacy';
import type { Caller } from '@hms/platform-auth';
import { isNotBlank, toPage, type Page, type PageRequest } from '@hms/platform-http';
import { Outbox } from '@hms/platform-messaging';
import { Database, uuidv7, type Tx } from '@hms/platform-persistence';
import { CLOCK, Clock, indianDateRange } from '@hms/platform-time';
import { dispensePartyProblem, indianDate, pickFefo, scheduleProblem, usableOnHand } from '../domain';
import { findAdmission, findPatient, idsOfPerson } from '../read-models/lookups';
import { recordMovements, type MovementRow } from '../stock/ledger';
import { raiseReorderAlerts } from '../stock/stock-events';
import { lockBalances } from '../stock/stock-locks';
import { h1RegisterCsv, type H1CsvEntry } from './h1-register-csv';

export interface DispenseInput {
  storeId: string;
  supplyKind: SupplyKind;
  patientId?: string;
  patientName?: string | null;
  admissionId?: string;
  prescription?: { id?: string; prescriberName: string; prescriberRegistrationNumber: string; prescriberAddress?: string; prescribedOn?: string };
  lines: { itemId: string; quantity: number }[];
}

interface ItemRow {
  id: string;
  code: string;
  generic_name: string;
  brand_name: string | null;
  strength: string | null;
  hsn: string;
  schedule: DrugSchedule;
  rate_bp: number | null;
}

/**
 * Dispensing: first-expiry-first-out across batches, never an expired batch, never below zero,
 * schedule rules checked, and the H1 register written in the same transaction as the supply.
 * All batches of the items in the store are locked (in store, batch order, like every stock
 * operation), so concurrent dispenses of one item queue rather than oversell.
 */
@Injectable()
export class DispensingService {
  constructor(
    private readonly db: Database,
    private readonly outbox: Outbox,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async dispense(caller: Caller, request: DispenseInput) {
    // Ids are compared as text below (repeated lines, the item map) and go into events: lower case only.
    const input: DispenseInput = {
      ...request,
      storeId: request.storeId.toLowerCase(),
      patientId: request.patientId?.toLowerCase(),
      admissionId: request.admissionId?.toLowerCase(),
      lines: request.lines.map((l) => ({ ...l, itemId: l.itemId.toLowerCase() })),
    };
    if (input.supplyKind === 'inpatient' && (!input.admissionId || !input.patientId)) {
      throw new DomainError('validation', 'validation-failed', 'An in-patient supply names the patient and the admission', {}, [
        { field: 'admissionId', message: 'is required for an in-patient supply' },
      ]);
    }
    if (input.admissionId && !input.patientId) {
      throw new DomainError('validation', 'validation-failed', 'A supply against an admission names the patient too', {}, [{ field: 'patientId', message: 'is required with admissionId' }]);
    }
    const ids = input.lines.map((l) => l.itemId);
    if (new Set(ids).size !== ids.length) throw new DomainError('validation', 'validation-failed', 'Name each item once per dispense');
    // A typed name is what the H1 register records for a walk-in: never empty or blank.
    if (input.patientName !== undefined && input.patientName !== null && !isNotBlank(input.patientName)) {
      throw new DomainError('unprocessable', 'patient-name-blank', 'patientName is empty or only spaces: give the patient’s name, or leave it out', {}, [
        { field: 'patientName', message: 'must not be empty or only spaces' },
      ]);
    }
    const now = this.clock.now();
    const today = indianDate(now);
    return this.db.transaction({ branchId: caller.branchId }, async (tx) => {
      const store = await tx.maybeOne<{ id: string; code: string; retired: boolean }>('SELECT id, code, retired_at IS NOT NULL AS retired FROM stores WHERE id = $1', [input.storeId]);
      if (!store) throw notFound('The store', 'store-not-found');
      if (store.retired) throw new DomainError('unprocessable', 'store-inactive', `Store ${store.code} is deactivated: it dispenses nothing`, {}, [{ field: 'storeId', message: 'is a deactivated store' }]);
      const storeId = store.id;
      // The patient's name in the H1 register is the patient record's whenever a patient is named.
      const patientName = await this.checkParties(tx, caller.branchId, input);
      const items = new Map<string, ItemRow>();
      for (const [i, line] of input.lines.entries()) {
        const item = await tx.maybeOne<ItemRow & { retired: boolean }>(
          `SELECT i.id, i.code, i.generic_name, i.brand_name, i.strength, i.hsn, i.schedule, i.retired_at IS NOT NULL AS retired,
                  (SELECT r.rate_bp FROM item_gst_rates r WHERE r.item_id = i.id AND r.effective_from <= $2 ORDER BY r.effective_from DESC LIMIT 1) AS rate_bp
           FROM items i WHERE i.id = $1`,
          [line.itemId, today],
        );
        if (!item) throw notFound(`Item ${line.itemId}`, 'item-not-found');
        if (item.retired) {
          throw new DomainError('unprocessable', 'item-inactive', `${displayName(item)} is deactivated: it is no longer dispensed`, {}, [{ field: `lines[${i}].itemId`, message: 'is a deactivated item' }]);
        }
        if (item.rate_bp === null) throw new DomainError('unprocessable', 'gst-rate-missing', `${displayName(item)} has no GST rate in force today`);
        const problem = scheduleProblem(item.schedule, displayName(item), input.prescription ? { ...input.prescription, patientName } : null, input.supplyKind);
        if (problem) throw new DomainError('unprocessable', item.schedule === 'H1' && input.prescription ? 'h1-register-incomplete' : 'prescription-required', problem);
        items.set(item.id, item);
      }

      const dispenseId = uuidv7();
      const movements: MovementRow[] = [];
      const lines: DispensedLine[] = [];
      const reorderChecks: { itemId: string; before: number; after: number }[] = [];
      // Every batch of every item, locked in one statement in (store, batch) order as all stock
      // operations do, so a dispense and a transfer or adjustment of the same items queue, not deadlock.
      const locked = await lockBalances(tx, caller.branchId, { storeIds: [storeId], itemIds: [...items.keys()] });
      for (const line of [...input.lines].sort((a, b) => a.itemId.localeCompare(b.itemId))) {
        const item = items.get(line.itemId) as ItemRow;
        const batches = locked.filter((b) => b.itemId === item.id && b.onHand > 0);
        const stock = batches.map((b) => ({ batchId: b.batchId, expiry: b.expiry, onHand: b.onHand }));
        const picks = pickFefo(stock, line.quantity, today);
        const usable = usableOnHand(stock, today);
        if (!picks) {
          throw conflict('insufficient-stock', `Only ${usable} usable unit(s) of ${displayName(item)} in store ${store.code}; ${line.quantity} asked`, { available: usable });
        }
        reorderChecks.push({ itemId: item.id, before: usable, after: usable - line.quantity });
        for (const pick of picks) {
          const batch = batches.find((b) => b.batchId === pick.batchId) as (typeof batches)[number];
          movements.push({ storeId, itemId: item.id, batchId: pick.batchId, expiry: batch.expiry, quantity: -pick.quantity, movement: 'dispense', referenceType: 'dispense', referenceId: dispenseId });
          lines.push({
            itemId: line.itemId,
            itemName: displayName(item),
            batchId: pick.batchId,
            batchNo: batch.batchNo,
            expiry: batch.expiry,
            quantity: pick.quantity,
            mrpPaise: batch.mrpPaise,
            hsn: item.hsn,
            gstRateBp: item.rate_bp as number,
            schedule: item.schedule,
          });
        }
      }

      await tx.query(
        `INSERT INTO dispenses (id, branch_id, store_id, supply_kind, patient_id, patient_name, admission_id, prescription_id, prescriber_name,
           prescriber_registration_number, prescriber_address, prescribed_on, dispensed_at, actor_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
        [
          dispenseId,
          caller.branchId,
          input.storeId,
          input.supplyKind,
          input.patientId ?? null,
          patientName,
          input.admissionId ?? null,
          input.prescription?.id ?? null,
          input.prescription?.prescriberName ?? null,
          input.prescription?.prescriberRegistrationNumber ?? null,
          input.prescription?.prescriberAddress ?? null,
          input.prescription?.prescribedOn ?? null,
          now,
          caller.userId,
        ],
      );
      await tx.query(
        `INSERT INTO dispense_lines (id, branch_id, dispense_id, item_id, batch_id, quantity, mrp_paise, hsn, gst_rate_bp)
         SELECT gen_random_uuid(), $2, $3, l.item_id, l.batch_id, l.quantity, l.mrp_paise, l.hsn, l.gst_rate_bp
         FROM jsonb_to_recordset($1::jsonb) AS l(item_id uuid, batch_id uuid, quantity int, mrp_paise bigint, hsn text, gst_rate_bp int)`,
        [
          JSON.stringify(lines.map((l) => ({ item_id: l.itemId, batch_id: l.batchId, quantity: l.quantity, mrp_paise: l.mrpPaise, hsn: l.hsn, gst_rate_bp: l.gstRateBp }))),
          caller.branchId,
          dispenseId,
        ],
      );
      await recordMovements(tx, caller.branchId, caller.userId, movements);
      // The H1 register, written with the supply or not at all (DRUG-02).
      for (const l of lines.filter((x) => x.schedule === 'H1')) {
        const rx = input.prescription as NonNullable<DispenseInput['prescription']>;
        await tx.query(
          `INSERT INTO h1_register (id, branch_id, dispense_id, supplied_at, prescriber_name, prescriber_registration_number, prescriber_address, patient_name,
             drug_name, item_id, batch_no, quantity, pharmacist_id)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
          [uuidv7(), caller.branchId, dispenseId, now, rx.prescriberName, rx.prescriberRegistrationNumber, rx.prescriberAddress, patientName, l.itemName, l.itemId, l.batchNo, l.quantity, caller.userId],
        );
      }
      const meta = { branchId: caller.branchId, actor: { type: 'user' as const, id: caller.userId, name: caller.name }, correlationId: caller.correlationId };
      await this.outbox.append(
        tx,
        Dispensed,
        {
          dispenseId,
          storeId: input.storeId,
          supplyKind: input.supplyKind,
          patientId: input.patientId ?? null,
          admissionId: input.admissionId ?? null,
          prescriptionId: input.prescription?.id ?? null,
          dispensedAt: now.toISOString(),
          lines,
        },
        { ...meta, key: dispenseId },
      );
      await raiseReorderAlerts(tx, this.outbox, storeId, reorderChecks, meta);
      return {
        id: dispenseId,
        storeId: input.storeId,
        supplyKind: input.supplyKind,
        patientId: input.patientId ?? null,
        patientName,
        admissionId: input.admissionId ?? null,
        dispensedAt: now.toISOString(),
        lines,
      };
    });
  }

  /**
   * Refuses a supply charged to a patient or admission the pharmacy does not know, a merged-away
   * record, a discharged admission or another patient's admission (422 naming the field). Returns
   * the patient's name for the records: the patient record's, or the typed one of a walk-in.
   */
  private async checkParties(tx: Tx, branchId: string, input: DispenseInput): Promise<string | null> {
    const patient = input.patientId ? await findPatient(tx, branchId, input.patientId) : null;
    const admission = input.admissionId ? await findAdmission(tx, branchId, input.admissionId) : null;
    const problem = dispensePartyProblem({ patientId: input.patientId, admissionId: input.admissionId }, patient, admission);
    if (problem) throw new DomainError('unprocessable', problem.code, problem.detail, problem.extra, [{ field: problem.field, message: problem.detail }]);
    return patient ? patient.name : (input.patientName ?? null);
  }

  /** Dispenses to a patient (and the records merged into theirs) or against an admission, newest first. */
  async list(caller: Caller, filter: { patientId?: string; admissionId?: string }, page: PageRequest): Promise<Page<DispenseView>> {
    return this.db.transaction(
      { branchId: caller.branchId },
      async (tx) => {
        const patientIds = filter.patientId ? await idsOfPerson(tx, caller.branchId, filter.patientId) : null;
        const rows = await loadDispenses(tx, caller.branchId, { patientIds, admissionId: filter.admissionId ?? null, limit: page.limit + 1, offset: page.offset });
        return toPage(rows, page);
      },
      { readOnly: true },
    );
  }

  get(caller: Caller, dispenseId: string): Promise<DispenseView> {
    return this.db.transaction(
      { branchId: caller.branchId },
      async (tx) => {
        const [view] = await loadDispenses(tx, caller.branchId, { ids: [dispenseId], limit: 1, offset: 0 });
        if (!view) throw notFound('The dispense', 'dispense-not-found');
        return view;
      },
      { readOnly: true },
    );
  }

  /** The H1 register between two dates (India), for inspection. */
  async h1Register(caller: Caller, from: string, to: string, page: PageRequest) {
    const rows = await this.db.transaction({ branchId: caller.branchId }, (tx) => h1Entries(tx, caller.branchId, from, to, page.limit + 1, page.offset), { readOnly: true });
    return toPage(rows, page);
  }

  /**
   * The H1 register between two dates as CSV, whole (at most H1_CSV_MAX_ROWS entries, so that one
   * export is one bounded read; a longer period is exported in parts).
   */
  async h1RegisterCsv(caller: Caller, from: string, to: string): Promise<string> {
    const rows = await this.db.transaction({ branchId: caller.branchId }, (tx) => h1Entries(tx, caller.branchId, from, to, H1_CSV_MAX_ROWS + 1, 0), { readOnly: true });
    if (rows.length > H1_CSV_MAX_ROWS) {
      throw new DomainError('unprocessable', 'h1-export-too-large', `More than ${H1_CSV_MAX_ROWS} H1 register entries from ${from} to ${to}: export a shorter period at a time`, {
        maxRows: H1_CSV_MAX_ROWS,
      });
    }
    return h1RegisterCsv(rows);
  }
}

/** The most register entries one CSV export carries. */
export const H1_CSV_MAX_ROWS = 10_000;

/** Register entries supplied between two Indian dates (both inclusive), oldest first, with the patient supplied. */
async function h1Entries(tx: Tx, branchId: string, from: string, to: string, limit: number, offset: number): Promise<H1CsvEntry[]> {
  const { start, end } = indianDateRange(from, to);
  const rows = await tx.query<Omit<H1CsvEntry, 'suppliedAt'> & { id: string; suppliedAt: Date }>(
    `SELECT h.id, h.dispense_id AS "dispenseId", d.patient_id AS "patientId", h.supplied_at AS "suppliedAt",
            to_char(h.supplied_at AT TIME ZONE 'Asia/Kolkata', 'YYYY-MM-DD') AS "suppliedOn",
            h.prescriber_name AS "prescriberName", h.prescriber_registration_number AS "prescriberRegistrationNumber", h.prescriber_address AS "prescriberAddress",
            h.patient_name AS "patientName", h.drug_name AS "drugName", h.batch_no AS "batchNo", h.quantity, h.pharmacist_id AS "pharmacistId"
     FROM h1_register h JOIN dispenses d ON d.id = h.dispense_id
     WHERE h.branch_id = $1 AND h.supplied_at >= $2 AND h.supplied_at < $3 ORDER BY h.supplied_at, h.id LIMIT $4 OFFSET $5`,
    [branchId, start, end, limit, offset],
  );
  return rows.map((r) => ({ ...r, suppliedAt: r.suppliedAt.toISOString() }));
}

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

interface DispenseRow {
  id: string;
  store_id: string;
  store_code: string;
  supply_kind: SupplyKind;
  patient_id: string | null;
  patient_name: string | null;
  admission_id: string | null;
  prescription_id: string | null;
  prescriber_name: string | null;
  prescriber_registration_number: string | null;
  prescriber_address: string | null;
  prescribed_on: string | null;
  dispensed_at: Date;
  actor_id: string;
}

/** Dispenses with their lines, by id or by patient or admission, newest first (a total order: time, then id). */
async function loadDispenses(
  tx: Tx,
  branchId: string,
  where: { ids?: string[]; patientIds?: string[] | null; admissionId?: string | null; limit: number; offset: number },
): Promise<DispenseView[]> {
  const headers = await tx.query<DispenseRow>(
    `SELECT d.id, d.store_id, s.code AS store_code, d.supply_kind, d.patient_id, d.patient_name, d.admission_id, d.prescription_id, d.prescriber_name,
            d.prescriber_registration_number, d.prescriber_address, to_char(d.prescribed_on, 'YYYY-MM-DD') AS prescribed_on, d.dispensed_at, d.actor_id
     FROM dispenses d JOIN stores s ON s.id = d.store_id
     WHERE d.branch_id = $1
       AND ($2::uuid[] IS NULL OR d.id = ANY($2::uuid[]))
       AND ($3::uuid[] IS NULL OR d.patient_id = ANY($3::uuid[]))
       AND ($4::uuid IS NULL OR d.admission_id = $4)
     ORDER BY d.dispensed_at DESC, d.id DESC
     LIMIT $5 OFFSET $6`,
    [branchId, where.ids ?? null, where.patientIds ?? null, where.admissionId ?? null, where.limit, where.offset],
  );
  if (!headers.length) return [];
  const lines = await tx.query<{
    dispense_id: string;
    item_id: string;
    generic_name: string;
    brand_name: string | null;
    strength: string | null;
    batch_id: string;
    batch_no: string;
    expiry: string;
    quantity: number;
    returned_quantity: number;
    mrp_paise: string;
    hsn: string;
    gst_rate_bp: number;
  }>(
    `SELECT l.dispense_id, l.item_id, i.generic_name, i.brand_name, i.strength, l.batch_id, b.batch_no, to_char(b.expiry, 'YYYY-MM-DD') AS expiry,
            l.quantity, l.returned_quantity, l.mrp_paise, l.hsn, l.gst_rate_bp
     FROM dispense_lines l JOIN items i ON i.id = l.item_id JOIN batches b ON b.id = l.batch_id
     WHERE l.branch_id = $1 AND l.dispense_id = ANY($2::uuid[])
     ORDER BY i.generic_name, b.expiry, b.batch_no`,
    [branchId, headers.map((h) => h.id)],
  );
  return headers.map((h) => ({
    id: h.id,
    storeId: h.store_id,
    storeCode: h.store_code,
    supplyKind: h.supply_kind,
    patientId: h.patient_id,
    patientName: h.patient_name,
    admissionId: h.admission_id,
    prescription:
      h.prescriber_name === null
        ? null
        : {
            id: h.prescription_id,
            prescriberName: h.prescriber_name,
            prescriberRegistrationNumber: h.prescriber_registration_number ?? '',
            prescriberAddress: h.prescriber_address,
            prescribedOn: h.prescribed_on,
          },
    dispensedAt: h.dispensed_at.toISOString(),
    dispensedBy: h.actor_id,
    lines: lines
      .filter((l) => l.dispense_id === h.id)
      .map((l) => ({
        itemId: l.item_id,
        itemName: displayName(l),
        batchId: l.batch_id,
        batchNo: l.batch_no,
        expiry: l.expiry,
        quantity: l.quantity,
        returnedQuantity: l.returned_quantity,
        mrpPaise: Number(l.mrp_paise),
        hsn: l.hsn,
        gstRateBp: l.gst_rate_bp,
      })),
  }));
}

export function displayName(item: { generic_name: string; brand_name: string | null; strength: string | null }): string {
  return [item.brand_name ? `${item.brand_name} (${item.generic_name})` : item.generic_name, item.strength].filter(Boolean).join(' ');
}
