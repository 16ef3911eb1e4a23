import { Injectable } from '@nestjs/common';
import { indianDateRange } from '@hms/platform-time';
import type { Tx } from '@hms/platform-persistence';
import { DispenseEntity } from './dispense.entity';
import type { H1RegisterEntryEntity } from './h1-register-entry.entity';

export interface NewDispenseLine {
  itemId: string;
  batchId: string;
  quantity: number;
  mrpPaise: number;
  hsn: string;
  gstRateBp: number;
}

export type NewH1Entry = Omit<H1RegisterEntryEntity, 'branchId' | 'dispenseId'>;

/** A dispense header with its store's code. */
export interface DispenseHeader {
  id: string;
  storeId: string;
  storeCode: string;
  supplyKind: DispenseEntity['supplyKind'];
  patientId: string | null;
  patientName: string | null;
  admissionId: string | null;
  prescriptionId: string | null;
  prescriberName: string | null;
  prescriberRegistrationNumber: string | null;
  prescriberAddress: string | null;
  prescribedOn: string | null;
  dispensedAt: Date;
  actorId: string;
}

/** A dispensed batch, with its item's name parts and the batch's number and expiry. */
export interface DispenseLineRow {
  dispenseId: string;
  itemId: string;
  genericName: string;
  brandName: string | null;
  strength: string | null;
  batchId: string;
  batchNo: string;
  expiry: string;
  quantity: number;
  returnedQuantity: number;
  mrpPaise: string;
  hsn: string;
  gstRateBp: number;
}

/** An entry of the H1 register with the patient supplied. */
export interface H1Row {
  id: string;
  dispenseId: string;
  patientId: string | null;
  suppliedAt: Date;
  suppliedOn: string;
  prescriberName: string;
  prescriberRegistrationNumber: string;
  prescriberAddress: string;
  patientName: string;
  drugName: string;
  batchNo: string;
  quantity: number;
  pharmacistId: string;
}

/**
 * Dispenses (`dispenses`), the batches supplied (`dispense_lines`) and the Schedule H1 register
 * (`h1_register`). The writes of a dispense are single statements each (the dispense path is
 * benchmarked: no extra round trips).
 */
@Injectable()
export class DispensesRepository {
  async insert(tx: Tx, d: Omit<DispenseEntity, 'supplyKind'> & { supplyKind: string }): Promise<void> {
    await tx.query(
      `INSERT INTO dispenses (id, branch_id, store_id, supply_kind, patient_id, patient_name, admission_id, prescription_id, prescriber_name,
         prescriber_registration_number, prescriber_address, prescribed_on, dispensed_at, actor_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
      [
        d.id,
        d.branchId,
        d.storeId,
        d.supplyKind,
        d.patientId,
        d.patientName,
        d.admissionId,
        d.prescriptionId,
        d.prescriberName,
        d.prescriberRegistrationNumber,
        d.prescriberAddress,
        d.prescribedOn,
        d.dispensedAt,
        d.actorId,
      ],
    );
  }

  /** Every line of a dispense in one statement. */
  async insertLines(tx: Tx, branchId: string, dispenseId: string, lines: readonly NewDispenseLine[]): Promise<void> {
    await tx.query(
      `INSERT INTO dispense_lines (id, branch_id, dispense_id, item_id, batch_id, quantity, mrp_paise, hsn, gst_rate_bp)
       SELECT gen_random_uuid(), $2, $3, l.item_id, l.batch_id, l.quantity, l.mrp_paise, l.hsn, l.gst_rate_bp
       FROM jsonb_to_recordset($1::jsonb) AS l(item_id uuid, batch_id uuid, quantity int, mrp_paise bigint, hsn text, gst_rate_bp int)`,
      [JSON.stringify(lines.map((l) => ({ item_id: l.itemId, batch_id: l.batchId, quantity: l.quantity, mrp_paise: l.mrpPaise, hsn: l.hsn, gst_rate_bp: l.gstRateBp }))), branchId, dispenseId],
    );
  }

  async insertH1Entry(tx: Tx, branchId: string, dispenseId: string, e: NewH1Entry): Promise<void> {
    await tx.query(
      `INSERT INTO h1_register (id, branch_id, dispense_id, supplied_at, prescriber_name, prescriber_registration_number, prescriber_address, patient_name,
         drug_name, item_id, batch_no, quantity, pharmacist_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
      [e.id, branchId, dispenseId, e.suppliedAt, e.prescriberName, e.prescriberRegistrationNumber, e.prescriberAddress, e.patientName, e.drugName, e.itemId, e.batchNo, e.quantity, e.pharmacistId],
    );
  }

  /** Dispenses by id or by patients or admission, newest first (a total order: time, then id). */
  headers(tx: Tx, branchId: string, where: { ids?: string[]; patientIds?: string[] | null; admissionId?: string | null; limit: number; offset: number }): Promise<DispenseHeader[]> {
    return tx.query<DispenseHeader>(
      `SELECT d.id, d.store_id AS "storeId", s.code AS "storeCode", d.supply_kind AS "supplyKind", d.patient_id AS "patientId", d.patient_name AS "patientName",
              d.admission_id AS "admissionId", d.prescription_id AS "prescriptionId", d.prescriber_name AS "prescriberName",
              d.prescriber_registration_number AS "prescriberRegistrationNumber", d.prescriber_address AS "prescriberAddress",
              to_char(d.prescribed_on, 'YYYY-MM-DD') AS "prescribedOn", d.dispensed_at AS "dispensedAt", d.actor_id AS "actorId"
       FROM dispenses d JOIN stores s ON s.id = d.store_id
       WHERE d.branch_id = $1
         AND ($2::uuid[] IS NULL OR d.id = ANY($2::uuid[]))
         AND ($3::uuid[] IS NULL OR d.patient_id = ANY($3::uuid[]))
         AND ($4::uuid IS NULL OR d.admission_id = $4)
       ORDER BY d.dispensed_at DESC, d.id DESC
       LIMIT $5 OFFSET $6`,
      [branchId, where.ids ?? null, where.patientIds ?? null, where.admissionId ?? null, where.limit, where.offset],
    );
  }

  /** The lines of the dispenses, by item name, expiry and batch number. */
  lines(tx: Tx, branchId: string, dispenseIds: readonly string[]): Promise<DispenseLineRow[]> {
    return tx.query<DispenseLineRow>(
      `SELECT l.dispense_id AS "dispenseId", l.item_id AS "itemId", i.generic_name AS "genericName", i.brand_name AS "brandName", i.strength, l.batch_id AS "batchId",
              b.batch_no AS "batchNo", to_char(b.expiry, 'YYYY-MM-DD') AS expiry, l.quantity, l.returned_quantity AS "returnedQuantity", l.mrp_paise AS "mrpPaise",
              l.hsn, l.gst_rate_bp AS "gstRateBp"
       FROM dispense_lines l JOIN items i ON i.id = l.item_id JOIN batches b ON b.id = l.batch_id
       WHERE l.branch_id = $1 AND l.dispense_id = ANY($2::uuid[])
       ORDER BY i.generic_name, b.expiry, b.batch_no`,
      [branchId, dispenseIds],
    );
  }

  /** The dispense a return is made against: its store and patient. */
  findForReturn(tx: Tx, dispenseId: string): Promise<Pick<DispenseEntity, 'id' | 'storeId' | 'patientId'> | null> {
    return tx.manager.findOne(DispenseEntity, { select: { id: true, storeId: true, patientId: true }, where: { id: dispenseId } });
  }

  /** The dispense's lines, locked (so two returns against one dispense cannot both take what is left). */
  lockLines(tx: Tx, dispenseId: string): Promise<{ id: string; batchId: string; quantity: number; returnedQuantity: number }[]> {
    return tx.query('SELECT id, batch_id AS "batchId", quantity, returned_quantity AS "returnedQuantity" FROM dispense_lines WHERE dispense_id = $1 ORDER BY id FOR UPDATE', [dispenseId]);
  }

  /** Adds what came back to each line, in one statement. */
  async addReturned(tx: Tx, returned: readonly { lineId: string; quantity: number }[]): Promise<void> {
    await tx.query(
      `UPDATE dispense_lines d SET returned_quantity = d.returned_quantity + r.quantity
       FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, quantity int) WHERE d.id = r.id`,
      [JSON.stringify(returned.map((t) => ({ id: t.lineId, quantity: t.quantity })))],
    );
  }

  /** Register entries supplied between two Indian dates (both inclusive), oldest first, with the patient supplied. */
  h1Entries(tx: Tx, branchId: string, from: string, to: string, limit: number, offset: number): Promise<H1Row[]> {
    const { start, end } = indianDateRange(from, to);
    return tx.query<H1Row>(
      `SELECT h.id, h.dispense_id AS "dispenseId", d.patient_id AS "patientId", h.supplied_at AS "suppliedAt",
              to_char(h.supplied_at AT TIME ZONE 'Asia/Kolkata', 'YYYY-MM-DD') AS "suppliedOn",
              h.prescriber_name AS "prescriberName", h.prescriber_registration_number AS "prescriberRegistrationNumber", h.prescriber_address AS "prescriberAddress",
              h.patient_name AS "patientName", h.drug_name AS "drugName", h.batch_no AS "batchNo", h.quantity, h.pharmacist_id AS "pharmacistId"
       FROM h1_register h JOIN dispenses d ON d.id = h.dispense_id
       WHERE h.branch_id = $1 AND h.supplied_at >= $2 AND h.supplied_at < $3 ORDER BY h.supplied_at, h.id LIMIT $4 OFFSET $5`,
      [branchId, start, end, limit, offset],
    );
  }
}
