import { Injectable } from '@nestjs/common';
import { PLATFORM_ROLES } from '@hms/contracts-common';
import { AUTH_SCHEMA } from '@hms/platform-auth';
import type { Tx } from '@hms/platform-persistence';

/** Whose live access to rewrite: some users, everyone holding a role, everyone in a branch, or all. */
export type AccessScope = { users: string[] } | { role: string } | { branch: string } | 'all';

/**
 * The live access every process checks (`hms_auth.user_access`, the platform's table), kept from
 * the identity tables in the caller's transaction: a change to users, memberships, roles or
 * branches and the access commit together, so the change applies at once, everywhere.
 */
@Injectable()
export class UserAccessRepository {
  /** Rewrites the live access of the users in `scope` from the identity tables. */
  async sync(tx: Tx, scope: AccessScope): Promise<void> {
    const where =
      scope === 'all'
        ? 'true'
        : 'users' in scope
          ? 'u.id = ANY($2::uuid[])'
          : 'role' in scope
            ? 'u.id IN (SELECT user_id FROM memberships WHERE role = $2)'
            : 'u.id IN (SELECT user_id FROM memberships WHERE branch_id = $2::uuid)';
    const param = scope === 'all' ? null : 'users' in scope ? scope.users : 'role' in scope ? scope.role : scope.branch;
    if (scope !== 'all' && 'users' in scope && !scope.users.length) return;
    await tx.query(
      `WITH targets AS (SELECT u.id, u.active, u.platform_roles, u.home_branch_id FROM users u WHERE ${where}),
       grants AS (
         SELECT m.user_id, b.id, b.code, array_agg(DISTINCT m.role ORDER BY m.role) AS roles,
                coalesce(array_agg(DISTINCT p ORDER BY p) FILTER (WHERE p IS NOT NULL), '{}') AS permissions
         FROM memberships m
         JOIN targets t ON t.id = m.user_id
         JOIN branches b ON b.id = m.branch_id AND b.active
         JOIN roles r ON r.name = m.role
         LEFT JOIN LATERAL unnest(r.permissions) AS p ON true
         GROUP BY m.user_id, b.id, b.code
       )
       INSERT INTO ${AUTH_SCHEMA}.user_access (user_id, active, branches, platform, home_branch_id, updated_at)
       SELECT t.id::text, t.active,
              coalesce((SELECT jsonb_agg(jsonb_build_object('id', g.id, 'code', g.code, 'roles', to_jsonb(g.roles), 'permissions', to_jsonb(g.permissions)) ORDER BY g.code)
                        FROM grants g WHERE g.user_id = t.id), '[]'::jsonb),
              coalesce((SELECT array_agg(DISTINCT x ORDER BY x) FROM unnest(t.platform_roles) AS pr, jsonb_array_elements_text($1::jsonb -> pr) AS x), '{}'),
              t.home_branch_id, now()
       FROM targets t
       ON CONFLICT (user_id) DO UPDATE SET active = EXCLUDED.active, branches = EXCLUDED.branches, platform = EXCLUDED.platform,
         home_branch_id = EXCLUDED.home_branch_id, updated_at = EXCLUDED.updated_at`,
      scope === 'all' ? [JSON.stringify(PLATFORM_ROLES)] : [JSON.stringify(PLATFORM_ROLES), param],
    );
  }
}
