import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Applied by the earlier runner as `0002_platform_roles_sessions_throttle`; its SQL is frozen here as it ran then.
 */
export class PlatformRolesSessionsThrottle1767225600101 implements MigrationInterface {
  readonly name = 'PlatformRolesSessionsThrottle1767225600101';
  readonly legacyId = '0002_platform_roles_sessions_throttle';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`      -- Platform roles (platform-admin, platform-auditor) belong to a user, never to a branch role.
      ALTER TABLE users ADD COLUMN platform_roles text[] NOT NULL DEFAULT '{}';
      -- The branch a request acts in when a user of several branches names none.
      ALTER TABLE users ADD COLUMN home_branch_id uuid REFERENCES branches (id);
      UPDATE users u SET home_branch_id = (SELECT m.branch_id FROM memberships m WHERE m.user_id = u.id ORDER BY m.branch_id LIMIT 1);
      -- The administrator of the first start administers the platform (roles, branches).
      UPDATE users SET platform_roles = '{platform-admin}'
        WHERE id = (SELECT u.id FROM users u JOIN memberships m ON m.user_id = u.id AND m.role = 'admin' ORDER BY u.created_at, u.id LIMIT 1);
      -- Lockout gives way to backoff per account and address (login_throttle).
      ALTER TABLE users DROP COLUMN locked_until;
      ALTER TABLE users DROP COLUMN failed_logins;
      -- A sign-in session (a refresh token family) ends at an absolute time, however often it is refreshed.
      ALTER TABLE refresh_tokens ADD COLUMN session_expires_at timestamptz;
      UPDATE refresh_tokens t SET session_expires_at = f.started + interval '30 days'
        FROM (SELECT family_id, min(created_at) AS started FROM refresh_tokens GROUP BY family_id) f WHERE f.family_id = t.family_id;
      ALTER TABLE refresh_tokens ALTER COLUMN session_expires_at SET NOT NULL;
      CREATE INDEX refresh_tokens_user ON refresh_tokens (user_id) WHERE revoked_at IS NULL;
      -- Counters and blocks of the sign-in throttle when no Redis is configured.
      CREATE TABLE login_throttle (
        key text PRIMARY KEY,
        count int NOT NULL,
        expires_at timestamptz NOT NULL
      );
      CREATE INDEX login_throttle_expiry ON login_throttle (expires_at);
      -- Reads of patient data repeated by one user inside a window, counted into one audit entry.
      CREATE TABLE read_coalescing (
        key text PRIMARY KEY,
        user_id uuid NOT NULL,
        branch_id uuid NOT NULL,
        first_event_id uuid NOT NULL,
        window_ends_at timestamptz NOT NULL,
        repeats int NOT NULL DEFAULT 0,
        data jsonb NOT NULL
      );
      CREATE INDEX read_coalescing_due ON read_coalescing (window_ends_at);`);
  }

  async down(): Promise<void> {
    throw new Error('Gateway migrations go forward only: write a new migration that undoes this one');
  }
}
