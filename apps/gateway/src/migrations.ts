import type { Migration } from '@hms/platform-persistence';

export const gatewayMigrations: Migration[] = [
  {
    id: '0001_identity',
    up: `
      CREATE TABLE branches (
        id uuid PRIMARY KEY,
        code text NOT NULL UNIQUE CHECK (code ~ '^[A-Z][A-Z0-9]{1,7}$'),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        active boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE TABLE roles (
        name text PRIMARY KEY CHECK (name ~ '^[a-z][a-z0-9-]{1,39}$'),
        description text NOT NULL DEFAULT '',
        permissions text[] NOT NULL,
        built_in boolean NOT NULL DEFAULT false,
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE TABLE users (
        id uuid PRIMARY KEY,
        email text NOT NULL,
        name text NOT NULL,
        password_hash text NOT NULL,
        active boolean NOT NULL DEFAULT true,
        failed_logins int NOT NULL DEFAULT 0,
        locked_until timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE UNIQUE INDEX users_email ON users (lower(email));
      CREATE TABLE memberships (
        user_id uuid NOT NULL REFERENCES users (id),
        branch_id uuid NOT NULL REFERENCES branches (id),
        role text NOT NULL REFERENCES roles (name) ON UPDATE CASCADE,
        PRIMARY KEY (user_id, branch_id, role)
      );
      CREATE TABLE refresh_tokens (
        id uuid PRIMARY KEY,
        family_id uuid NOT NULL,
        user_id uuid NOT NULL REFERENCES users (id),
        token_hash text NOT NULL UNIQUE,
        expires_at timestamptz NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        used_at timestamptz,
        revoked_at timestamptz
      );
      CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id);
      CREATE TABLE signing_keys (
        kid text PRIMARY KEY,
        private_jwk jsonb NOT NULL,
        public_jwk jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        retired_at timestamptz
      );
      -- Signing keys are read only by the gateway process itself, never through the service role's grants.
      REVOKE ALL ON signing_keys FROM "{{role}}";
    `,
  },
  {
    id: '0002_platform_roles_sessions_throttle',
    up: `
      -- Platform roles (platform-admin, platform-auditor) belong to a user, never to a branch role.
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
      CREATE INDEX read_coalescing_due ON read_coalescing (window_ends_at);
    `,
  },
];
