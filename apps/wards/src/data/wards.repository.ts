import { Injectable } from '@nestjs/common';
import type { WardGenderPolicy } from '@hms/contracts-wards';
import type { Tx } from '@hms/platform-persistence';
import { IsNull } from 'typeorm';
import { RoomEntity } from './rooms.entity';
import { WardEntity } from './wards.entity';

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

const WARD_COLUMNS = `w.id, w.code, w.name, w.floor, w.gender_policy AS "genderPolicy", w.speciality, w.retired_at IS NOT NULL AS retired,
  (SELECT count(*)::int FROM beds b WHERE b.ward_id = w.id AND b.retired_at IS NULL) AS beds`;
const ROOM_COLUMNS = `r.id, r.ward_id AS "wardId", r.code, r.retired_at IS NOT NULL AS retired,
  (SELECT count(*)::int FROM beds b WHERE b.room_id = r.id AND b.retired_at IS NULL) AS beds`;

/**
 * Wards and their rooms. The views count each one's beds in service in the same statement (a
 * correlated count the entity cannot carry), so they stay SQL.
 */
@Injectable()
export class WardsRepository {
  async insert(tx: Tx, w: Pick<WardEntity, 'id' | 'branchId' | 'code' | 'name' | 'floor' | 'genderPolicy' | 'speciality'>): Promise<void> {
    await tx.manager.insert(WardEntity, w);
  }

  /** Changes the given fields of a ward in service; false when there is none. */
  async update(tx: Tx, id: string, patch: Partial<Pick<WardEntity, 'name' | 'floor' | 'genderPolicy' | 'speciality'>>): Promise<boolean> {
    const changes = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined && v !== null));
    if (!Object.keys(changes).length) return this.inService(tx, id);
    const result = await tx.manager.update(WardEntity, { id, retiredAt: IsNull() }, changes);
    return (result.affected ?? 0) > 0;
  }

  /** A page of the branch's wards by code (`limit` rows at most; ties by id). */
  list(tx: Tx, includeRetired: boolean, limit: number, offset: number): Promise<WardView[]> {
    return tx.query<WardView>(`SELECT ${WARD_COLUMNS} FROM wards w WHERE $1 OR w.retired_at IS NULL ORDER BY w.code, w.id LIMIT $2 OFFSET $3`, [includeRetired, limit, offset]);
  }

  view(tx: Tx, id: string): Promise<WardView | null> {
    return tx.maybeOne<WardView>(`SELECT ${WARD_COLUMNS} FROM wards w WHERE w.id = $1`, [id]);
  }

  exists(tx: Tx, id: string): Promise<boolean> {
    return tx.manager.exists(WardEntity, { where: { id } });
  }

  inService(tx: Tx, id: string): Promise<boolean> {
    return tx.manager.exists(WardEntity, { where: { id, retiredAt: IsNull() } });
  }

  /** Locks the ward (retired or not); false when there is none. */
  async lock(tx: Tx, id: string): Promise<boolean> {
    return (await tx.manager.findOne(WardEntity, { select: { id: true }, where: { id }, lock: { mode: 'pessimistic_write' } })) !== null;
  }

  /** Retires the ward and its rooms at `at` (its beds are retired one by one before). */
  async retire(tx: Tx, id: string, at: Date): Promise<void> {
    await tx.manager.update(RoomEntity, { wardId: id, retiredAt: IsNull() }, { retiredAt: at });
    await tx.manager.update(WardEntity, { id, retiredAt: IsNull() }, { retiredAt: at });
  }

  /** The ward of the branch, as a FHIR Location describes it. */
  find(tx: Tx, wardId: string, branchId: string): Promise<WardEntity | null> {
    return tx.manager.findOne(WardEntity, { where: { id: wardId, branchId } });
  }

  // Rooms ---------------------------------------------------------------------------------

  async insertRoom(tx: Tx, r: Pick<RoomEntity, 'id' | 'branchId' | 'wardId' | 'code'>): Promise<void> {
    await tx.manager.insert(RoomEntity, r);
  }

  /** A page of the ward's rooms by code (`limit + 1` rows, for toPage). */
  rooms(tx: Tx, wardId: string, includeRetired: boolean, limit: number, offset: number): Promise<RoomView[]> {
    return tx.query<RoomView>(`SELECT ${ROOM_COLUMNS} FROM rooms r WHERE r.ward_id = $1 AND ($2 OR r.retired_at IS NULL) ORDER BY r.code, r.id LIMIT $3 OFFSET $4`, [
      wardId,
      includeRetired,
      limit,
      offset,
    ]);
  }

  roomView(tx: Tx, id: string): Promise<RoomView | null> {
    return tx.maybeOne<RoomView>(`SELECT ${ROOM_COLUMNS} FROM rooms r WHERE r.id = $1`, [id]);
  }

  roomInServiceInWard(tx: Tx, roomId: string, wardId: string): Promise<boolean> {
    return tx.manager.exists(RoomEntity, { where: { id: roomId, wardId, retiredAt: IsNull() } });
  }

  /** Locks the room (retired or not); false when there is none. */
  async lockRoom(tx: Tx, id: string): Promise<boolean> {
    return (await tx.manager.findOne(RoomEntity, { select: { id: true }, where: { id }, lock: { mode: 'pessimistic_write' } })) !== null;
  }

  /** Retires the room at `at` (once: a second retirement keeps the first date). */
  async retireRoom(tx: Tx, id: string, at: Date): Promise<void> {
    await tx.manager.update(RoomEntity, { id, retiredAt: IsNull() }, { retiredAt: at });
  }
}
