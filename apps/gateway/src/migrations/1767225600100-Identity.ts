import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Applied by the earlier runner as `0001_identity`; its SQL is frozen here as it ran then.
 */
export class Identity1767225600100 implements MigrationInterface {
  readonly name = 'Identity1767225600100';
  readonly legacyId = '0001_identity';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`      CREATE TABLE branches (
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
      REVOKE ALL ON signing_keys FROM "hms_gateway";`);
  }

  async down(): Promise<void> {
    throw new Error('Gateway migrations go forward only: write a new migration that undoes this one');
  }
}
