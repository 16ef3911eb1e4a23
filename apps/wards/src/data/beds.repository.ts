import { Injectable } from '@nestjs/common';
import type { BedState } from '@hms/contracts-wards';
import type { Tx } from '@hms/platform-persistence';
import { In, IsNull } from 'typeorm';
import { BedStateHistoryEntity } from './bed-state-history.entity';
import { insertRows, refusingDuplicate } from './columns';
import { BedCategoryEntity } from './bed-categories.entity';
import { BedEntity } from './beds.entity';
import { RoomEntity } from './rooms.entity';
import { WardEntity } from './wards.entity';
import { conflict } from '../domain/errors';

/** A bed as an admission, transfer or discharge needs it: with its ward, room, category and today's tariff. */
export type PlacedBed = Pick<BedEntity, 'id' | 'code' | 'state' | 'reservedForPatientId' | 'admissionId' | 'retiredAt' | 'wardId' | 'categoryId'> &
  Pick<WardEntity, 'genderPolicy'> &
  Pick<BedCategoryEntity, 'isCriticalCare'> & {
    wardCode: string;
    roomCode: string | null;
    categoryCode: string;
    rate: number | null;
  };

/** What a manual change of state or a retirement checks, read under the bed's row lock. */
export type LockedBed = Pick<BedEntity, 'state' | 'code' | 'retiredAt' | 'reservedForPatientId'>;

/** A bed with its ward, room (if any) and category, read in one statement. */
export type BedWithPlace = BedEntity & { ward: WardEntity; room?: RoomEntity | null; category: BedCategoryEntity };

/** What a BedStateChanged event carries about the bed. */
export type BedEventFacts = Pick<BedEntity, 'code' | 'wardId'> &
  Pick<BedCategoryEntity, 'isCriticalCare'> & {
    wardCode: string;
    categoryCode: string;
    rate: number | null;
  };

export interface BedHistoryEntry {
  branchId: string;
  bedId: string;
  from: BedState | null;
  to: BedState;
  at: Date;
  actorId: string;
  reason: string | null;
  admissionId?: string | null;
}

/** A bed that a room's or ward's retirement took out of service, with the state it was left in. */
export type RetiredBed = {
  id: string;
  code: string;
  state: BedState;
};

/**
 * The tariff (paise, read as a number: far below 2^53) in force for a category `c` on the Indian
 * date bound at `param` (the caller's today, from the injected clock).
 */
const rateOn = (param: string) => `(SELECT t.daily_rate_paise FROM category_tariffs t WHERE t.category_id = c.id AND t.effective_from <= ${param}::date
   ORDER BY t.effective_from DESC LIMIT 1)::float8`;

/** Beds, their state and its history. */
@Injectable()
export class BedsRepository {
  /**
   * Locks beds in id order (two desks locking the same pair never deadlock) and reads what a
   * placement needs, with the tariff in force on `today` (an Indian date).
   */
  async lockPlaced(tx: Tx, ids: string[], today: string): Promise<Map<string, PlacedBed>> {
    const sorted = [...new Set(ids)].sort();
    await tx.query('SELECT id FROM beds WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE', [sorted]);
    const rows = await tx.query<PlacedBed>(
      `SELECT b.id, b.code, b.state, b.reserved_for_patient_id AS "reservedForPatientId", b.admission_id AS "admissionId", b.retired_at AS "retiredAt",
              b.ward_id AS "wardId", w.code AS "wardCode", w.gender_policy AS "genderPolicy",
              r.code AS "roomCode", b.category_id AS "categoryId", c.code AS "categoryCode", c.is_critical_care AS "isCriticalCare", ${rateOn('$2')} AS rate
       FROM beds b JOIN wards w ON w.id = b.ward_id JOIN bed_categories c ON c.id = b.category_id LEFT JOIN rooms r ON r.id = b.room_id
       WHERE b.id = ANY($1::uuid[])`,
      [sorted, today],
    );
    return new Map(rows.map((r) => [r.id, r]));
  }

  /** One bed, locked for a change of its state. */
  lock(tx: Tx, bedId: string): Promise<LockedBed | null> {
    return tx.manager.findOne(BedEntity, {
      select: { state: true, code: true, retiredAt: true, reservedForPatientId: true },
      where: { id: bedId },
      lock: { mode: 'pessimistic_write' },
    });
  }

  exists(tx: Tx, bedId: string): Promise<boolean> {
    return tx.manager.exists(BedEntity, { where: { id: bedId } });
  }

  async code(tx: Tx, bedId: string): Promise<string | null> {
    return (await tx.manager.findOne(BedEntity, { select: { code: true }, where: { id: bedId } }))?.code ?? null;
  }

  async insert(tx: Tx, bed: Pick<BedEntity, 'id' | 'branchId' | 'wardId' | 'roomId' | 'code' | 'categoryId' | 'stateSince'>): Promise<void> {
    await tx.manager.insert(BedEntity, bed);
  }

  /** A change of state by hand at `at`: a reservation names its patient, every other state clears it. */
  async setState(tx: Tx, bedId: string, to: BedState, reservedFor: string | null, at: Date): Promise<void> {
    await tx.manager.update(BedEntity, { id: bedId }, { state: to, stateSince: at, reservedForPatientId: reservedFor, version: () => 'version + 1' });
  }

  /** The bed holds the admission from `at`; 409 when the admission holds another bed already (a race). */
  async occupy(tx: Tx, bedId: string, admissionId: string, at: Date): Promise<void> {
    await refusingDuplicate(
      'beds_one_per_admission',
      // Plain SQL on the admission's hot path (see insertRows).
      () => tx.query(`UPDATE beds SET state = 'occupied', state_since = $2, admission_id = $3, reserved_for_patient_id = NULL, version = version + 1 WHERE id = $1`, [bedId, at, admissionId]),
      () => conflict('admission-has-bed', 'This admission holds another bed already'),
    );
  }

  /** The patient has left the bed at `at`: it goes to cleaning. */
  async vacate(tx: Tx, bedId: string, at: Date): Promise<void> {
    await tx.manager.update(BedEntity, { id: bedId }, { state: 'cleaning', stateSince: at, admissionId: null, version: () => 'version + 1' });
  }

  /** Takes the bed out of service at `at`, recording it in its history (in the state it was left in, copied by the database). */
  async retire(tx: Tx, bedId: string, actorId: string, at: Date): Promise<void> {
    await tx.manager.update(BedEntity, { id: bedId }, { retiredAt: at, version: () => 'version + 1' });
    await tx.query(`INSERT INTO bed_state_history (branch_id, bed_id, from_state, to_state, actor_id, reason, at) SELECT branch_id, id, state, state, $2, 'bed retired', $3 FROM beds WHERE id = $1`, [
      bedId,
      actorId,
      at,
    ]);
  }

  async appendHistory(tx: Tx, e: BedHistoryEntry): Promise<void> {
    await insertRows(tx, BedStateHistoryEntity, { branchId: e.branchId, bedId: e.bedId, fromState: e.from, toState: e.to, at: e.at, actorId: e.actorId, reason: e.reason, admissionId: e.admissionId ?? null });
  }

  /** The bed's changes of state, newest first. */
  history(tx: Tx, bedId: string, limit: number, offset: number): Promise<BedStateHistoryEntity[]> {
    return tx.manager.find(BedStateHistoryEntity, { where: { bedId }, order: { id: 'DESC' }, take: limit, skip: offset });
  }

  /** The bed (of the branch, when given) with its ward, room and category. */
  async withPlace(tx: Tx, bedId: string, branchId?: string): Promise<BedWithPlace | null> {
    const query = tx.manager
      .createQueryBuilder(BedEntity, 'b')
      .innerJoinAndMapOne('b.ward', WardEntity, 'w', 'w.id = b.wardId')
      .innerJoinAndMapOne('b.category', BedCategoryEntity, 'c', 'c.id = b.categoryId')
      .leftJoinAndMapOne('b.room', RoomEntity, 'r', 'r.id = b.roomId')
      .where('b.id = :bedId', { bedId });
    if (branchId !== undefined) query.andWhere('b.branchId = :branchId', { branchId });
    return (await query.getOne()) as BedWithPlace | null;
  }

  /** The bed with its category and the tariff in force on `today` (an Indian date), as a BedStateChanged event describes it. */
  eventFacts(tx: Tx, bedId: string, today: string): Promise<BedEventFacts> {
    return tx.one<BedEventFacts>(
      `SELECT b.code, b.ward_id AS "wardId", w.code AS "wardCode", c.code AS "categoryCode", c.is_critical_care AS "isCriticalCare", ${rateOn('$2')} AS rate
       FROM beds b JOIN wards w ON w.id = b.ward_id JOIN bed_categories c ON c.id = b.category_id WHERE b.id = $1`,
      [bedId, today],
    );
  }

  /** Whether any bed of the category is in service. */
  categoryInUse(tx: Tx, categoryId: string): Promise<boolean> {
    return tx.manager.exists(BedEntity, { where: { categoryId, retiredAt: IsNull() } });
  }

  /** The beds in service of a ward or a room that hold or await a patient, locked, by code. */
  busy(tx: Tx, where: { wardId: string } | { roomId: string }): Promise<Pick<BedEntity, 'code' | 'state'>[]> {
    return tx.manager.find(BedEntity, {
      select: { code: true, state: true },
      where: { ...where, retiredAt: IsNull(), state: In(['occupied', 'reserved']) },
      order: { code: 'ASC' },
      lock: { mode: 'pessimistic_write' },
    });
  }

  /** The beds in service of a ward or a room, locked, by code. */
  async lockInService(tx: Tx, where: { wardId: string } | { roomId: string }): Promise<RetiredBed[]> {
    const beds = await tx.manager.find(BedEntity, {
      select: { id: true, code: true, state: true },
      where: { ...where, retiredAt: IsNull() },
      order: { code: 'ASC' },
      lock: { mode: 'pessimistic_write' },
    });
    return beds.map((b) => ({ id: b.id, code: b.code, state: b.state }));
  }
}
