import type { Tx } from '@hms/platform-persistence';
import type { RoomView, WardView, WardsRepository } from '../data/wards.repository';
import { notFound } from '../domain/errors';

export type { RoomView, WardView } from '../data/wards.repository';

/** One ward of the branch, retired or not; 404 when there is none. */
export async function wardView(wards: WardsRepository, tx: Tx, id: string): Promise<WardView> {
  const ward = await wards.view(tx, id);
  if (!ward) throw notFound('The ward', 'ward-not-found');
  return ward;
}

/** One room of the branch, retired or not; 404 when there is none. */
export async function roomView(wards: WardsRepository, tx: Tx, id: string): Promise<RoomView> {
  const room = await wards.roomView(tx, id);
  if (!room) throw notFound('The room', 'room-not-found');
  return room;
}
