import { Inject, Injectable } from '@nestjs/common';
import { DomainError, conflict, notFound } from '@hms/contracts-common';
import { Dispensed, type DispensedLine, type DrugSchedule, type SupplyKind } from '@hms/contracts-pharmacy';
import type { Caller } from '@hms/platform-auth';
import { toPage, type PageRequest } from '@hms/platform-http';
import { Outbox } from '@hms/platform-messaging';
import { Clock, Database, uuidv7 } from '@hms/platform-persistence';
import { indianDate, isCalendarDate, pickFefo, scheduleProblem, usableOnHand } from '../domain';
import { recordMovements, type MovementRow } from '../stock/ledger';
import { CLOCK } from '../stock/receipts.service';
import { raiseReorderAlerts } from '../stock/stock-events';
import { lockBalances } from '../stock/stock-locks';

export interface DispenseInput {
  storeId: string;
  supplyKind: SupplyKind;
  patientId?: string;
  patientName?: string;
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
    const prescribedOn = input.prescription?.prescribedOn;
    if (prescribedOn !== undefined && !isCalendarDate(prescribedOn)) {
      throw new DomainError('validation', 'validation-failed', 'prescription.prescribedOn is not a calendar date', {}, [
        { field: 'prescription.prescribedOn', message: 'is not a calendar date' },
      ]);
    }
    if (input.supplyKind === 'inpatient' && (!input.admissionId || !input.patientId)) {
      throw new DomainError('validation', 'validation-failed', 'An in-patient supply names the patient and the admission', {}, [
        { field: 'admissionId', message: 'is required for an in-patient supply' },
      ]);
    }
    const ids = input.lines.map((l) => l.itemId);
    if (new Set(ids).size !== ids.length) throw new DomainError('validation', 'validation-failed', 'Name each item once per dispense');
    const now = this.clock.now();
    const today = indianDate(now);
    return this.db.transaction({ branchId: caller.branchId }, async (tx) => {
      const store = await tx.maybeOne<{ id: string; code: string }>('SELECT id, code FROM stores WHERE id = $1 AND retired_at IS NULL', [input.storeId]);
      if (!store) throw notFound('The store', 'store-not-found');
      const storeId = store.id;
      const items = new Map<string, ItemRow>();
      for (const line of input.lines) {
        const item = await tx.maybeOne<ItemRow>(
          `SELECT i.id, i.code, i.generic_name, i.brand_name, i.strength, i.hsn, i.schedule,
                  (SELECT r.rate_bp FROM item_gst_rates r WHERE r.item_id = i.id AND r.effective_from <= $2 ORDER BY r.effective_from DESC LIMIT 1) AS rate_bp
           FROM items i WHERE i.id = $1 AND i.retired_at IS NULL`,
          [line.itemId, today],
        );
        if (!item) throw notFound(`Item ${line.itemId}`, 'item-not-found');
        if (item.rate_bp === null) throw new DomainError('unprocessable', 'gst-rate-missing', `${displayName(item)} has no GST rate in force today`);
        const problem = scheduleProblem(item.schedule, displayName(item), input.prescription ? { ...input.prescription, patientName: input.patientName } : null, input.supplyKind);
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
          input.patientName ?? null,
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
          [uuidv7(), caller.branchId, dispenseId, now, rx.prescriberName, rx.prescriberRegistrationNumber, rx.prescriberAddress, input.patientName, l.itemName, l.itemId, l.batchNo, l.quantity, caller.userId],
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
      return { id: dispenseId, storeId: input.storeId, supplyKind: input.supplyKind, patientId: input.patientId ?? null, admissionId: input.admissionId ?? null, dispensedAt: now.toISOString(), lines };
    });
  }

  /** The H1 register between two dates (India), for inspection. */
  async h1Register(caller: Caller, from: string, to: string, page: PageRequest) {
    const start = new Date(`${from}T00:00:00+05:30`);
    const end = new Date(new Date(`${to}T00:00:00+05:30`).getTime() + 86_400_000);
    const rows = await this.db.transaction(
      { branchId: caller.branchId },
      (tx) =>
        tx.query(
          `SELECT id, dispense_id AS "dispenseId", supplied_at AS "suppliedAt", prescriber_name AS "prescriberName",
                  prescriber_registration_number AS "prescriberRegistrationNumber", prescriber_address AS "prescriberAddress",
                  patient_name AS "patientName", drug_name AS "drugName", batch_no AS "batchNo", quantity, pharmacist_id AS "pharmacistId"
           FROM h1_register WHERE branch_id = $1 AND supplied_at >= $2 AND supplied_at < $3 ORDER BY supplied_at, id LIMIT $4 OFFSET $5`,
          [caller.branchId, start, end, page.limit + 1, page.offset],
        ),
      { readOnly: true },
    );
    return toPage(rows, page);
  }
}

export function displayName(item: { generic_name: string; brand_name: string | null; strength: string | null }): string {
  return [item.brand_name ? `${item.brand_name} (${item.generic_name})` : item.generic_name, item.strength].filter(Boolean).join(' ');
}
