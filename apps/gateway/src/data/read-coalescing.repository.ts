import { Injectable } from '@nestjs/common';
import type { PatientDataAccessedData } from '@hms/contracts-gateway';
import type { Tx } from '@hms/platform-persistence';
import type { ReadCoalescingEntity } from './read-coalescing.entity';

/** A closed window of identical reads, taken out of the table to be summed up. */
export type CoalescedReads = Pick<ReadCoalescingEntity, 'userId' | 'branchId' | 'firstEventId' | 'repeats' | 'data'>;

const TAKEN = `user_id AS "userId", branch_id AS "branchId", first_event_id AS "firstEventId", repeats, data`;

/**
 * Windows of identical reads of patient data (table `read_coalescing`). On the proxy's path:
 * each method is one statement.
 */
@Injectable()
export class ReadCoalescingRepository {
  /**
   * Opens a window for the read `key`, or counts one more repeat in the open one: `opened`,
   * `counted`, or `closed` when the key's window has ended (take it, then open again).
   */
  async openOrCount(
    tx: Tx,
    read: { key: string; userId: string; branchId: string; firstEventId: string; windowSeconds: number; data: { data: PatientDataAccessedData; actorName: string } },
  ): Promise<'opened' | 'counted' | 'closed'> {
    const [row] = await tx.query<{ inserted: boolean }>(
      `INSERT INTO read_coalescing (key, user_id, branch_id, first_event_id, window_ends_at, data)
       VALUES ($1, $2, $3, $4, now() + make_interval(secs => $5), $6)
       ON CONFLICT (key) DO UPDATE SET repeats = read_coalescing.repeats + 1 WHERE read_coalescing.window_ends_at > now()
       RETURNING (xmax = 0) AS inserted`,
      [read.key, read.userId, read.branchId, read.firstEventId, read.windowSeconds, JSON.stringify(read.data)],
    );
    return !row ? 'closed' : row.inserted ? 'opened' : 'counted';
  }

  /** Takes the window of `key` out of the table. */
  take(tx: Tx, key: string): Promise<CoalescedReads[]> {
    return tx.query<CoalescedReads>(`DELETE FROM read_coalescing WHERE key = $1 RETURNING ${TAKEN}`, [key]);
  }

  /** Takes up to `limit` closed windows out of the table, skipping any another process holds. */
  takeClosed(tx: Tx, limit: number): Promise<CoalescedReads[]> {
    return tx.query<CoalescedReads>(
      `DELETE FROM read_coalescing WHERE key IN (SELECT key FROM read_coalescing WHERE window_ends_at <= now() ORDER BY window_ends_at LIMIT $1 FOR UPDATE SKIP LOCKED)
       RETURNING ${TAKEN}`,
      [limit],
    );
  }
}
