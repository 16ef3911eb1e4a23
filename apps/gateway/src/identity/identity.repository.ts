import type { Tx } from '@hms/platform-persistence';

export interface UserRow {
  id: string;
  email: string;
  name: string;
  password_hash: string;
  active: boolean;
  failed_logins: number;
  locked_until: Date | null;
}

export interface BranchRow {
  id: string;
  code: string;
  name: string;
  active: boolean;
}

export interface Grant {
  id: string;
  code: string;
  roles: string[];
  permissions: string[];
}

/** Queries on the identity tables; each runs in the caller's transaction. */
export const identityQueries = {
  userByEmail: (tx: Tx, email: string) => tx.maybeOne<UserRow>('SELECT * FROM users WHERE lower(email) = lower($1)', [email]),
  userById: (tx: Tx, id: string) => tx.maybeOne<UserRow>('SELECT * FROM users WHERE id = $1', [id]),

  /** The user's active branches with their roles and the union of those roles' permissions. */
  async grants(tx: Tx, userId: string): Promise<Grant[]> {
    return tx.query<Grant>(
      `SELECT b.id, b.code, array_agg(DISTINCT m.role ORDER BY m.role) AS roles,
              coalesce(array_agg(DISTINCT p ORDER BY p) FILTER (WHERE p IS NOT NULL), '{}') AS permissions
       FROM memberships m
       JOIN branches b ON b.id = m.branch_id AND b.active
       JOIN roles r ON r.name = m.role
       LEFT JOIN LATERAL unnest(r.permissions) AS p ON true
       WHERE m.user_id = $1
       GROUP BY b.id, b.code ORDER BY b.code`,
      [userId],
    );
  },

  async recordFailure(tx: Tx, userId: string): Promise<void> {
    // Five failures in a row lock the account for fifteen minutes; after a lock has run out the
    // count starts again, so one more mistake does not lock it at once.
    await tx.query(
      `UPDATE users SET
         failed_logins = CASE WHEN locked_until IS NOT NULL AND locked_until <= now() THEN 1 ELSE failed_logins + 1 END,
         locked_until = CASE
           WHEN locked_until IS NOT NULL AND locked_until <= now() THEN NULL
           WHEN failed_logins + 1 >= 5 THEN now() + interval '15 minutes'
           ELSE locked_until END
       WHERE id = $1`,
      [userId],
    );
  },

  async recordSuccess(tx: Tx, userId: string): Promise<void> {
    await tx.query('UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = $1 AND (failed_logins <> 0 OR locked_until IS NOT NULL)', [userId]);
  },
};
