import type { Tx } from '@hms/platform-persistence';
import type { BedsRepository } from '../data/beds.repository';
import { notFound } from '../domain/errors';

/** The bed as the API shows it; 404 when there is none. */
export async function bedView(beds: BedsRepository, tx: Tx, bedId: string) {
  const b = await beds.withPlace(tx, bedId);
  if (!b) throw notFound('The bed', 'bed-not-found');
  return {
    id: b.id,
    code: b.code,
    wardId: b.wardId,
    wardCode: b.ward.code,
    roomId: b.roomId,
    roomCode: b.room?.code ?? null,
    categoryId: b.categoryId,
    categoryCode: b.category.code,
    isCriticalCare: b.category.isCriticalCare,
    state: b.state,
    since: b.stateSince,
    admissionId: b.admissionId,
    reservedForPatientId: b.reservedForPatientId,
    retired: b.retiredAt !== null,
    version: b.version,
  };
}
