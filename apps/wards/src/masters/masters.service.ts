import { Injectable } from '@nestjs/common';
import { conflict, notFound } from '@hms/contracts-common';
import { BedStateChanged, type BedState, type WardGenderPolicy } from '@hms/contracts-wards';
import type { Caller } from '@hms/platform-auth';
import { toPage, type Page, type PageRequest } from '@hms/platform-http';
import { Outbox } from '@hms/platform-messaging';
import { Database, onUniqueViolation, uuidv7, type Tx } from '@hms/platform-persistence';
import { indianDate } from '@hms/platform-time';
import { DEFAULT_BED_CATEGORIES } from '../domain';

const scopeOf = (caller: Caller) => ({ branchId: caller.branchId });

export interface CategoryView {
  id: string;
  code: string;
  name: string;
  isCriticalCare: boolean;
  retired: boolean;
  currentDailyRatePaise: number | null;
  tariffs: { effectiveFrom: string; dailyRatePaise: number }[];
}

// Types, not interfaces: the database client's row type wants an index signature, which only a type alias satisfies.
export type WardView = {
  id: string;
  code: string;
  name: string;
  floor: string | null;
  genderPolicy: WardGenderPolicy;
  speciality: string | null;
  retired: boolean;
  /** Beds in service (not retired). */
  beds: number;
};

export type RoomView = {
  id: string;
  wardId: string;
  code: string;
  retired: boolean;
  /** Beds in service (not retired). */
  beds: number;
};

/** A bed that a room's or ward's retirement took out of service, with the state it was left in. */
export type RetiredBed = {
  id: string;
  code: string;
  state: BedState;
};

const WARD_COLUMNS = `w.id, w.code, w.name, w.floor, w.gender_policy AS "genderPolicy", w.speciality, w.retired_at IS NOT NULL AS retired,
  (SELECT count(*)::int FROM beds b WHERE b.ward_id = w.id AND b.retired_at IS NULL) AS beds`;
const ROOM_COLUMNS = `r.id, r.ward_id AS "wardId", r.code, r.retired_at IS NOT NULL AS retired,
  (SELECT count(*)::int FROM beds b WHERE b.room_id = r.id AND b.retired_at IS NULL) AS beds`;

/**
 * Masters of the wards: bed categories with dated tariffs, wards, rooms and beds. Retiring
 * refuses anything a patient is in, so the bed board never loses a patient.
 */
@Injectable()
export class MastersService {
  constructor(
    private readonly db: Database,
    private readonly outbox: Outbox,
  ) {}

  async createCategory(caller: Caller, input: { code: string; name: string; isCriticalCare: boolean }) {
    return this.unique(`A bed category ${input.code} exists already`, () =>
      this.db.transaction(scopeOf(caller), async (tx) => {
        const id = uuidv7();
        await tx.query('INSERT INTO bed_categories (id, branch_id, code, name, is_critical_care) VALUES ($1, $2, $3, $4, $5)', [
          id,
          caller.branchId,
          input.code,
          input.name,
          input.isCriticalCare,
        ]);
        return this.category(tx, id);
      }),
    );
  }

  /** Creates the usual categories (general … day care) that the branch does not have yet. */
  async createDefaultCategories(caller: Caller): Promise<CategoryView[]> {
    return this.db.transaction(scopeOf(caller), async (tx) => {
      for (const c of DEFAULT_BED_CATEGORIES) {
        await tx.query(
          'INSERT INTO bed_categories (id, branch_id, code, name, is_critical_care) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (branch_id, code) DO NOTHING',
          [uuidv7(), caller.branchId, c.code, c.name, c.isCriticalCare],
        );
      }
      return this.categories(tx);
    });
  }

  listCategories(caller: Caller): Promise<CategoryView[]> {
    return this.db.transaction(scopeOf(caller), (tx) => this.categories(tx), { readOnly: true });
  }

  /** `effectiveFrom` is a calendar date the request DTO has checked (IsCalendarDate). */
  async addTariff(caller: Caller, categoryId: string, effectiveFrom: string, dailyRatePaise: number): Promise<CategoryView> {
    return this.unique(`A tariff effective from ${effectiveFrom} exists already for this category; tariffs are versions, add one with another date`, () =>
      this.db.transaction(scopeOf(caller), async (tx) => {
        const category = await tx.maybeOne('SELECT id FROM bed_categories WHERE id = $1 AND retired_at IS NULL', [categoryId]);
        if (!category) throw notFound('The bed category', 'category-not-found');
        await tx.query(
          'INSERT INTO category_tariffs (id, branch_id, category_id, effective_from, daily_rate_paise, created_by) VALUES ($1, $2, $3, $4, $5, $6)',
          [uuidv7(), caller.branchId, categoryId, effectiveFrom, dailyRatePaise, caller.userId],
        );
        return this.category(tx, categoryId);
      }),
    );
  }

  async retireCategory(caller: Caller, categoryId: string): Promise<CategoryView> {
    return this.db.transaction(scopeOf(caller), async (tx) => {
      const inUse = await tx.query('SELECT 1 FROM beds WHERE category_id = $1 AND retired_at IS NULL LIMIT 1', [categoryId]);
      if (inUse.length) throw conflict('category-in-use', 'Beds of this category are in service; move or retire them first');
      const row = await tx.maybeOne('UPDATE bed_categories SET retired_at = coalesce(retired_at, now()) WHERE id = $1 RETURNING id', [categoryId]);
      if (!row) throw notFound('The bed category', 'category-not-found');
      return this.category(tx, categoryId);
    });
  }

  async createWard(caller: Caller, input: { code: string; name: string; floor?: string; genderPolicy: string; speciality?: string }) {
    return this.unique(`A ward ${input.code} exists already`, () =>
      this.db.transaction(scopeOf(caller), async (tx) => {
        const id = uuidv7();
        await tx.query('INSERT INTO wards (id, branch_id, code, name, floor, gender_policy, speciality) VALUES ($1, $2, $3, $4, $5, $6, $7)', [
          id,
          caller.branchId,
          input.code,
          input.name,
          input.floor ?? null,
          input.genderPolicy,
          input.speciality ?? null,
        ]);
        return this.ward(tx, id);
      }),
    );
  }

  async updateWard(caller: Caller, id: string, patch: { name?: string; floor?: string; genderPolicy?: string; speciality?: string }) {
    return this.db.transaction(scopeOf(caller), async (tx) => {
      const row = await tx.maybeOne(
        `UPDATE wards SET name = coalesce($2, name), floor = coalesce($3, floor), gender_policy = coalesce($4, gender_policy), speciality = coalesce($5, speciality)
         WHERE id = $1 AND retired_at IS NULL RETURNING id`,
        [id, patch.name ?? null, patch.floor ?? null, patch.genderPolicy ?? null, patch.speciality ?? null],
      );
      if (!row) throw notFound('The ward', 'ward-not-found');
      return this.ward(tx, id);
    });
  }

  listWards(caller: Caller, includeRetired: boolean): Promise<WardView[]> {
    return this.db.transaction(
      scopeOf(caller),
      (tx) => tx.query<WardView>(`SELECT ${WARD_COLUMNS} FROM wards w WHERE $1 OR w.retired_at IS NULL ORDER BY w.code`, [includeRetired]),
      { readOnly: true },
    );
  }

  /** One ward of the branch, retired or not. */
  getWard(caller: Caller, id: string): Promise<WardView> {
    return this.db.transaction(scopeOf(caller), (tx) => this.ward(tx, id), { readOnly: true });
  }

  /** The rooms of a ward, by code, in pages; retired rooms only when asked for. */
  listRooms(caller: Caller, wardId: string, includeRetired: boolean, page: PageRequest): Promise<Page<RoomView>> {
    return this.db.transaction(
      scopeOf(caller),
      async (tx) => {
        if (!(await tx.maybeOne('SELECT 1 FROM wards WHERE id = $1', [wardId]))) throw notFound('The ward', 'ward-not-found');
        const rows = await tx.query<RoomView>(
          `SELECT ${ROOM_COLUMNS} FROM rooms r WHERE r.ward_id = $1 AND ($2 OR r.retired_at IS NULL) ORDER BY r.code, r.id LIMIT $3 OFFSET $4`,
          [wardId, includeRetired, page.limit + 1, page.offset],
        );
        return toPage(rows, page);
      },
      { readOnly: true },
    );
  }

  /** One room of the branch, retired or not. */
  getRoom(caller: Caller, id: string): Promise<RoomView> {
    return this.db.transaction(scopeOf(caller), (tx) => this.room(tx, id), { readOnly: true });
  }

  /** Retires a ward with its rooms and beds; refused while any bed holds or awaits a patient. Lists the beds it retired. */
  async retireWard(caller: Caller, id: string): Promise<WardView & { retiredBeds: RetiredBed[] }> {
    return this.db.transaction(scopeOf(caller), async (tx) => {
      const ward = await tx.maybeOne('SELECT id FROM wards WHERE id = $1 FOR UPDATE', [id]);
      if (!ward) throw notFound('The ward', 'ward-not-found');
      const busy = await tx.query<{ code: string; state: string }>(
        `SELECT code, state FROM beds WHERE ward_id = $1 AND retired_at IS NULL AND state IN ('occupied', 'reserved') ORDER BY code FOR UPDATE`,
        [id],
      );
      if (busy.length) throw conflict('ward-in-use', `Beds ${busy.map((b) => `${b.code} (${b.state})`).join(', ')} hold or await patients; the ward cannot be retired`);
      const beds = await tx.query<RetiredBed>('SELECT id, code, state FROM beds WHERE ward_id = $1 AND retired_at IS NULL ORDER BY code FOR UPDATE', [id]);
      for (const bed of beds) await this.retireBedRow(tx, caller, bed.id);
      await tx.query('UPDATE rooms SET retired_at = now() WHERE ward_id = $1 AND retired_at IS NULL', [id]);
      await tx.query('UPDATE wards SET retired_at = now() WHERE id = $1 AND retired_at IS NULL', [id]);
      return { ...(await this.ward(tx, id)), retiredBeds: beds };
    });
  }

  async createRoom(caller: Caller, wardId: string, code: string): Promise<RoomView> {
    return this.unique(`A room ${code} exists already in this ward`, () =>
      this.db.transaction(scopeOf(caller), async (tx) => {
        const ward = await tx.maybeOne('SELECT id FROM wards WHERE id = $1 AND retired_at IS NULL', [wardId]);
        if (!ward) throw notFound('The ward', 'ward-not-found');
        const id = uuidv7();
        await tx.query('INSERT INTO rooms (id, branch_id, ward_id, code) VALUES ($1, $2, $3, $4)', [id, caller.branchId, wardId, code]);
        return this.room(tx, id);
      }),
    );
  }

  /** Retires a room with its beds; refused while any bed holds or awaits a patient. Lists the beds it retired. */
  async retireRoom(caller: Caller, roomId: string): Promise<RoomView & { retiredBeds: RetiredBed[] }> {
    return this.db.transaction(scopeOf(caller), async (tx) => {
      const room = await tx.maybeOne('SELECT id FROM rooms WHERE id = $1 FOR UPDATE', [roomId]);
      if (!room) throw notFound('The room', 'room-not-found');
      const busy = await tx.query<{ code: string }>(`SELECT code FROM beds WHERE room_id = $1 AND retired_at IS NULL AND state IN ('occupied', 'reserved') FOR UPDATE`, [roomId]);
      if (busy.length) throw conflict('room-in-use', `Beds ${busy.map((b) => b.code).join(', ')} hold or await patients; the room cannot be retired`);
      const beds = await tx.query<RetiredBed>('SELECT id, code, state FROM beds WHERE room_id = $1 AND retired_at IS NULL ORDER BY code FOR UPDATE', [roomId]);
      for (const bed of beds) await this.retireBedRow(tx, caller, bed.id);
      await tx.query('UPDATE rooms SET retired_at = coalesce(retired_at, now()) WHERE id = $1', [roomId]);
      return { ...(await this.room(tx, roomId)), retiredBeds: beds };
    });
  }

  async createBed(caller: Caller, input: { wardId: string; roomId?: string; code: string; categoryId: string }) {
    return this.unique(`A bed ${input.code} exists already in this ward`, () =>
      this.db.transaction(scopeOf(caller), async (tx) => {
        const ward = await tx.maybeOne('SELECT id FROM wards WHERE id = $1 AND retired_at IS NULL', [input.wardId]);
        if (!ward) throw notFound('The ward', 'ward-not-found');
        if (input.roomId) {
          const room = await tx.maybeOne('SELECT id FROM rooms WHERE id = $1 AND ward_id = $2 AND retired_at IS NULL', [input.roomId, input.wardId]);
          if (!room) throw notFound('The room (in this ward)', 'room-not-found');
        }
        const category = await tx.maybeOne('SELECT id FROM bed_categories WHERE id = $1 AND retired_at IS NULL', [input.categoryId]);
        if (!category) throw notFound('The bed category', 'category-not-found');
        const id = uuidv7();
        await tx.query('INSERT INTO beds (id, branch_id, ward_id, room_id, code, category_id) VALUES ($1, $2, $3, $4, $5, $6)', [
          id,
          caller.branchId,
          input.wardId,
          input.roomId ?? null,
          input.code,
          input.categoryId,
        ]);
        await tx.query(`INSERT INTO bed_state_history (branch_id, bed_id, from_state, to_state, actor_id, reason) VALUES ($1, $2, NULL, 'available', $3, 'bed created')`, [
          caller.branchId,
          id,
          caller.userId,
        ]);
        await emitBedState(this.outbox, tx, caller, id, null, 'available', 'bed created', null);
        return { id, wardId: input.wardId, roomId: input.roomId ?? null, code: input.code, categoryId: input.categoryId, state: 'available' as BedState };
      }),
    );
  }

  async retireBed(caller: Caller, bedId: string) {
    return this.db.transaction(scopeOf(caller), async (tx) => {
      const bed = await tx.maybeOne<{ state: BedState; code: string; retired_at: Date | null }>('SELECT state, code, retired_at FROM beds WHERE id = $1 FOR UPDATE', [bedId]);
      if (!bed) throw notFound('The bed', 'bed-not-found');
      if (bed.state === 'occupied' || bed.state === 'reserved') {
        throw conflict('bed-in-use', `Bed ${bed.code} is ${bed.state}; transfer or discharge the patient (or release the reservation) first`);
      }
      if (!bed.retired_at) await this.retireBedRow(tx, caller, bedId);
      return { id: bedId, code: bed.code, retired: true };
    });
  }

  private async retireBedRow(tx: Tx, caller: Caller, bedId: string) {
    await tx.query('UPDATE beds SET retired_at = now(), version = version + 1 WHERE id = $1', [bedId]);
    await tx.query(`INSERT INTO bed_state_history (branch_id, bed_id, from_state, to_state, actor_id, reason) SELECT branch_id, id, state, state, $2, 'bed retired' FROM beds WHERE id = $1`, [
      bedId,
      caller.userId,
    ]);
  }

  private async categories(tx: Tx): Promise<CategoryView[]> {
    const rows = await tx.query<{ id: string }>('SELECT id FROM bed_categories ORDER BY code');
    // One query at a time: a transaction is one connection, and pg refuses overlapping queries on it.
    const views: CategoryView[] = [];
    for (const r of rows) views.push(await this.category(tx, r.id));
    return views;
  }

  private async category(tx: Tx, id: string): Promise<CategoryView> {
    const c = await tx.one<{ id: string; code: string; name: string; is_critical_care: boolean; retired_at: Date | null }>(
      'SELECT id, code, name, is_critical_care, retired_at FROM bed_categories WHERE id = $1',
      [id],
    );
    const tariffs = await tx.query<{ effective_from: string; daily_rate_paise: string }>(
      `SELECT to_char(effective_from, 'YYYY-MM-DD') AS effective_from, daily_rate_paise FROM category_tariffs WHERE category_id = $1 ORDER BY effective_from`,
      [id],
    );
    const today = indianDate(new Date());
    const current = [...tariffs].reverse().find((t) => t.effective_from <= today);
    return {
      id: c.id,
      code: c.code,
      name: c.name,
      isCriticalCare: c.is_critical_care,
      retired: c.retired_at !== null,
      currentDailyRatePaise: current ? Number(current.daily_rate_paise) : null,
      tariffs: tariffs.map((t) => ({ effectiveFrom: t.effective_from, dailyRatePaise: Number(t.daily_rate_paise) })),
    };
  }

  private async ward(tx: Tx, id: string): Promise<WardView> {
    const ward = await tx.maybeOne<WardView>(`SELECT ${WARD_COLUMNS} FROM wards w WHERE w.id = $1`, [id]);
    if (!ward) throw notFound('The ward', 'ward-not-found');
    return ward;
  }

  private async room(tx: Tx, id: string): Promise<RoomView> {
    const room = await tx.maybeOne<RoomView>(`SELECT ${ROOM_COLUMNS} FROM rooms r WHERE r.id = $1`, [id]);
    if (!room) throw notFound('The room', 'room-not-found');
    return room;
  }

  private unique<T>(message: string, work: () => Promise<T>): Promise<T> {
    return onUniqueViolation(work, () => conflict('already-exists', message));
  }
}

/** Publishes a bed's change of state with its category and tariff, so billing never needs to call back. */
export async function emitBedState(
  outbox: Outbox,
  tx: Tx,
  caller: Caller,
  bedId: string,
  from: BedState | null,
  to: BedState,
  reason: string | null,
  admission: { id: string; patientId: string } | null,
): Promise<void> {
  const bed = await tx.one<{ code: string; ward_id: string; ward_code: string; category_code: string; is_critical_care: boolean; rate: string | null }>(
    `SELECT b.code, b.ward_id, w.code AS ward_code, c.code AS category_code, c.is_critical_care,
            (SELECT t.daily_rate_paise FROM category_tariffs t WHERE t.category_id = c.id AND t.effective_from <= (now() AT TIME ZONE 'Asia/Kolkata')::date
             ORDER BY t.effective_from DESC LIMIT 1) AS rate
     FROM beds b JOIN wards w ON w.id = b.ward_id JOIN bed_categories c ON c.id = b.category_id WHERE b.id = $1`,
    [bedId],
  );
  await outbox.append(
    tx,
    BedStateChanged,
    {
      bedId,
      bedCode: bed.code,
      wardId: bed.ward_id,
      wardCode: bed.ward_code,
      from,
      to,
      reason,
      admissionId: admission?.id ?? null,
      patientId: admission?.patientId ?? null,
      categoryCode: bed.category_code,
      isCriticalCare: bed.is_critical_care,
      dailyRatePaise: bed.rate === null ? null : Number(bed.rate),
    },
    { key: bedId, branchId: caller.branchId, actor: { type: 'user', id: caller.userId, name: caller.name }, correlationId: caller.correlationId },
  );
}
