import { Inject, Injectable } from '@nestjs/common';
import { Dispensed, type DispensedLine, type DrugSchedule, type SupplyKind } from '@hms/contracts-pharmacy';
import type { Caller } from '@hms/platform-auth';
import { isNotBlank } from '@hms/platform-http';
import { Outbox } from '@hms/platform-messaging';
import { Database, type Tx } from '@hms/platform-persistence';
import { CLOCK, Clock, ID_GENERATOR, type IdGenerator } from '@hms/platform-time';
import { displayName } from '../catalogue/item-name';
import { DispensesRepository } from '../data/dispenses.repository';
import { ItemsRepository, type DispensableItem } from '../data/items.repository';
import { StockRepository, type MovementRow } from '../data/stock.repository';
import { StoresRepository } from '../data/stores.repository';
import { dispensePartyProblem, indianDate, pickFefo, scheduleProblem, usableOnHand } from '../domain';
import { CarePartiesReadModel } from '../events/care-parties.read-model';
import { ReorderAlerts } from '../stock/reorder-alerts';
import { callerMeta, scopeOf } from '@hms/platform-service';
import { conflict, notFound, pharmacyError } from '../domain/errors';

export interface DispenseInput {
  storeId: string;
  supplyKind: SupplyKind;
  patientId?: string;
  patientName?: string | null;
  admissionId?: string;
  prescription?: { id?: string; prescriberName: string; prescriberRegistrationNumber: string; prescriberAddress?: string; prescribedOn?: string };
  lines: { itemId: string; quantity: number }[];
}

type Item = DispensableItem & { schedule: DrugSchedule };

/**
 * Dispensing: first-expiry-first-out across batches, never an expired batch, never below zero,
 * schedule rules checked, and the H1 register written in the same transaction as the supply.
 * All batches of the items in the store are locked (in store, batch order, like every stock
 * operation), so concurrent dispenses of one item queue rather than oversell.
 */
@Injectable()
export class DispenseUseCase {
  constructor(
    private readonly db: Database,
    private readonly outbox: Outbox,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly stores: StoresRepository,
    private readonly items: ItemsRepository,
    private readonly stock: StockRepository,
    private readonly dispenses: DispensesRepository,
    private readonly parties: CarePartiesReadModel,
    private readonly reorderAlerts: ReorderAlerts,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
  ) {}

  async execute(caller: Caller, request: DispenseInput) {
    // Ids are compared as text below (repeated lines, the item map) and go into events: lower case only.
    const input: DispenseInput = {
      ...request,
      storeId: request.storeId.toLowerCase(),
      patientId: request.patientId?.toLowerCase(),
      admissionId: request.admissionId?.toLowerCase(),
      lines: request.lines.map((l) => ({ ...l, itemId: l.itemId.toLowerCase() })),
    };
    if (input.supplyKind === 'inpatient' && (!input.admissionId || !input.patientId)) {
      throw pharmacyError('validation', 'validation-failed', 'An in-patient supply names the patient and the admission', {}, [
        { field: 'admissionId', message: 'is required for an in-patient supply' },
      ]);
    }
    if (input.admissionId && !input.patientId) {
      throw pharmacyError('validation', 'validation-failed', 'A supply against an admission names the patient too', {}, [{ field: 'patientId', message: 'is required with admissionId' }]);
    }
    const ids = input.lines.map((l) => l.itemId);
    if (new Set(ids).size !== ids.length) throw pharmacyError('validation', 'validation-failed', 'Name each item once per dispense');
    // A typed name is what the H1 register records for a walk-in: never empty or blank.
    if (input.patientName !== undefined && input.patientName !== null && !isNotBlank(input.patientName)) {
      throw pharmacyError('unprocessable', 'patient-name-blank', 'patientName is empty or only spaces: give the patient’s name, or leave it out', {}, [
        { field: 'patientName', message: 'must not be empty or only spaces' },
      ]);
    }
    const now = this.clock.now();
    const today = indianDate(now);
    return this.db.transaction(scopeOf(caller), async (tx) => {
      const store = await this.stores.state(tx, input.storeId);
      if (!store) throw notFound('The store', 'store-not-found');
      if (store.retired) throw pharmacyError('unprocessable', 'store-inactive', `Store ${store.code} is deactivated: it dispenses nothing`, {}, [{ field: 'storeId', message: 'is a deactivated store' }]);
      const storeId = store.id;
      // The patient's name in the H1 register is the patient record's whenever a patient is named.
      const patientName = await this.checkParties(tx, caller.branchId, input);
      const items = new Map<string, Item>();
      for (const [i, line] of input.lines.entries()) {
        const item = (await this.items.forDispense(tx, line.itemId, today)) as Item | null;
        if (!item) throw notFound(`Item ${line.itemId}`, 'item-not-found');
        if (item.retired) {
          throw pharmacyError('unprocessable', 'item-inactive', `${displayName(item)} is deactivated: it is no longer dispensed`, {}, [{ field: `lines[${i}].itemId`, message: 'is a deactivated item' }]);
        }
        if (item.rateBp === null) throw pharmacyError('unprocessable', 'gst-rate-missing', `${displayName(item)} has no GST rate in force today`);
        const problem = scheduleProblem(item.schedule, displayName(item), input.prescription ? { ...input.prescription, patientName } : null, input.supplyKind);
        if (problem) throw pharmacyError('unprocessable', item.schedule === 'H1' && input.prescription ? 'h1-register-incomplete' : 'prescription-required', problem);
        items.set(item.id, item);
      }

      const dispenseId = this.ids.next();
      const movements: MovementRow[] = [];
      const lines: DispensedLine[] = [];
      const reorderChecks: { itemId: string; before: number; after: number }[] = [];
      // Every batch of every item, locked in one statement in (store, batch) order as all stock
      // operations do, so a dispense and a transfer or adjustment of the same items queue, not deadlock.
      const locked = await this.stock.lockBalances(tx, caller.branchId, { storeIds: [storeId], itemIds: [...items.keys()] });
      for (const line of [...input.lines].sort((a, b) => a.itemId.localeCompare(b.itemId))) {
        const item = items.get(line.itemId) as Item;
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
            gstRateBp: item.rateBp as number,
            schedule: item.schedule,
          });
        }
      }

      await this.dispenses.insert(tx, {
        id: dispenseId,
        branchId: caller.branchId,
        storeId: input.storeId,
        supplyKind: input.supplyKind,
        patientId: input.patientId ?? null,
        patientName,
        admissionId: input.admissionId ?? null,
        prescriptionId: input.prescription?.id ?? null,
        prescriberName: input.prescription?.prescriberName ?? null,
        prescriberRegistrationNumber: input.prescription?.prescriberRegistrationNumber ?? null,
        prescriberAddress: input.prescription?.prescriberAddress ?? null,
        prescribedOn: input.prescription?.prescribedOn ?? null,
        dispensedAt: now,
        actorId: caller.userId,
      });
      await this.dispenses.insertLines(tx, caller.branchId, dispenseId, lines);
      await this.stock.recordMovements(tx, caller.branchId, caller.userId, movements);
      // The H1 register, written with the supply or not at all (DRUG-02).
      for (const l of lines.filter((x) => x.schedule === 'H1')) {
        const rx = input.prescription as NonNullable<DispenseInput['prescription']>;
        await this.dispenses.insertH1Entry(tx, caller.branchId, dispenseId, {
          id: this.ids.next(),
          suppliedAt: now,
          prescriberName: rx.prescriberName,
          prescriberRegistrationNumber: rx.prescriberRegistrationNumber,
          prescriberAddress: rx.prescriberAddress as string,
          patientName: patientName as string,
          drugName: l.itemName,
          itemId: l.itemId,
          batchNo: l.batchNo,
          quantity: l.quantity,
          pharmacistId: caller.userId,
        });
      }
      const meta = callerMeta(caller);
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
      await this.reorderAlerts.raise(tx, storeId, reorderChecks, meta);
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
    const patient = input.patientId ? await this.parties.findPatient(tx, branchId, input.patientId) : null;
    const admission = input.admissionId ? await this.parties.findAdmission(tx, branchId, input.admissionId) : null;
    const problem = dispensePartyProblem({ patientId: input.patientId, admissionId: input.admissionId }, patient, admission);
    if (problem) throw pharmacyError('unprocessable', problem.code, problem.detail, problem.extra, [{ field: problem.field, message: problem.detail }]);
    return patient ? patient.name : (input.patientName ?? null);
  }
}
