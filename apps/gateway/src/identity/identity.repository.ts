import type { Tx } from '@hms/platform-persistence';

export interface UserRow {
  id: string;
  email: string;
  name: string;
  password_hash: string;
  active: boolean;
  platform_roles: string[];
  home_branch_id: string | null;
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

const USER_COLUMNS = 'id, email, name, password_hash, active, platform_roles, home_branch_id';

/** Queries on the identity tables; each runs in the caller's transaction. */
export const identityQueries = {
  userByEmail: (tx: Tx, email: string) => tx.maybeOne<UserRow>(`SELECT ${USER_COLUMNS} FROM users WHERE lower(email) = lower($1)`, [email]),
  userById: (tx: Tx, id: string) => tx.maybeOne<UserRow>(`SELECT ${USER_COLUMNS} FROM users WHERE id = $1`, [id]),

  /** The open sign-in sessions (refresh token families) of a user, with when each would end. */
  async openSessions(tx: Tx, userId: string): Promise<{ family_id: string; ends: number }[]> {
    return tx.query<{ family_id: string; ends: number }>(
      `SELECT family_id, extract(epoch FROM max(session_expires_at))::float8 AS ends FROM refresh_tokens
       WHERE user_id = $1 AND revoked_at IS NULL AND session_expires_at > now() GROUP BY family_id`,
      [userId],
    );
  },

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
};
