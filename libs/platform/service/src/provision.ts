import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';
import { Client, Pool } from 'pg';
import { AUTH_READER_ROLE, AUTH_WRITER_ROLE, migrateSessionState } from '@hms/platform-auth';
import { PostgresTransport } from '@hms/platform-messaging';

const IDENT = /^[a-z][a-z0-9_]{0,30}$/;

/** The login a service connects as: it owns the service's schema and may act as the service role. */
export const loginRoleOf = (service: string) => `hms_${service}_login`;

export interface ProvisionedLogin {
  service: string;
  role: string;
  /** The platform database's URL with this login's credentials. */
  url: string;
}

/**
 * Prepares a database for services that each log in as their own role (run with an
 * administrator's URL: the launcher does for its embedded PostgreSQL, a Kubernetes Job does in
 * production). Idempotent; run it at every deployment.
 *
 * - the extension the services rely on (pg_trgm, its similarity operator marked leakproof so
 *   fuzzy search can use its index under row-level security);
 * - the shared schemas: the postgres event bus (`hms_bus`) and the session state (`hms_auth`);
 * - per service a LOGIN role `hms_<service>_login` with the given password, which owns the
 *   service's schema (so it runs its own migrations), may SET ROLE to `hms_<service>` (whose
 *   grants and row-level security every transaction runs under), uses the bus and reads the
 *   session state (the gateway's also writes it); and nothing else: no other service's schema,
 *   no superuser rights.
 *
 * A schema an earlier start created as the administrator is handed over to the login with all
 * it holds, so an existing installation upgrades in place.
 */
export async function provisionDatabase(adminUrl: string, services: readonly string[], passwordOf: (service: string) => string): Promise<ProvisionedLogin[]> {
  for (const s of services) if (!IDENT.test(s)) throw new Error(`invalid service name ${s}`);
  const pool = new Pool({ connectionString: adminUrl, max: 2 });
  pool.on('error', () => undefined);
  try {
    await pool.query('CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public');
    await pool.query('ALTER FUNCTION public.similarity_op(text, text) LEAKPROOF');
    const bus = new PostgresTransport({ pool, connectionString: adminUrl });
    await bus.init();
    await migrateSessionState(pool);
    const database = (await pool.query<{ db: string }>('SELECT current_database() AS db')).rows[0].db;
    const logins: ProvisionedLogin[] = [];
    for (const service of services) {
      const login = loginRoleOf(service);
      const role = `hms_${service}`;
      await ensureRole(pool, role, false);
      await ensureRole(pool, login, true);
      // The server gets the password's SCRAM verifier, never the password itself (a statement log
      // would show whatever the statement carries).
      await pool.query(`ALTER ROLE "${login}" WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD '${scramVerifier(passwordOf(service))}'`);
      await pool.query(`GRANT "${role}" TO "${login}"`);
      await pool.query(`GRANT hms_bus TO "${login}"`);
      await pool.query(`GRANT ${service === 'gateway' ? AUTH_WRITER_ROLE : AUTH_READER_ROLE} TO "${login}"`);
      await pool.query(`GRANT CONNECT ON DATABASE "${database}" TO "${login}"`);
      await adoptSchema(pool, service, login);
      logins.push({ service, role: login, url: withCredentials(adminUrl, login, passwordOf(service)) });
    }
    return logins;
  } finally {
    await pool.end();
  }
}

/** Whether the URL's user may provision (a superuser, or one allowed to create roles). */
export async function canProvision(url: string): Promise<boolean> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    const { rows } = await client.query<{ ok: boolean }>('SELECT rolsuper OR rolcreaterole AS ok FROM pg_roles WHERE rolname = current_user');
    return rows[0]?.ok === true;
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function ensureRole(pool: Pool, role: string, login: boolean): Promise<void> {
  await pool.query(`DO $$ BEGIN
      IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${role}') THEN CREATE ROLE "${role}" ${login ? 'LOGIN' : 'NOLOGIN'}; END IF;
    EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
    END $$`);
}

/** Gives the login the service's schema and everything in it (tables, views, sequences, functions). */
async function adoptSchema(pool: Pool, schema: string, login: string): Promise<void> {
  const exists = (await pool.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema])).rowCount === 1;
  if (!exists) {
    await pool.query(`CREATE SCHEMA "${schema}" AUTHORIZATION "${login}"`);
    return;
  }
  await pool.query(`ALTER SCHEMA "${schema}" OWNER TO "${login}"`);
  await pool.query(`DO $$
    DECLARE r record;
    BEGIN
      FOR r IN
        SELECT c.oid::regclass AS obj, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = '${schema}' AND c.relowner <> '${login}'::regrole
          AND (c.relkind IN ('r', 'p', 'v', 'm', 'f')
               -- a sequence that belongs to a column moves with its table
               OR (c.relkind = 'S' AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype IN ('a', 'i'))))
      LOOP
        EXECUTE format('ALTER %s %s OWNER TO %I',
          CASE r.relkind WHEN 'S' THEN 'SEQUENCE' WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW' WHEN 'f' THEN 'FOREIGN TABLE' ELSE 'TABLE' END,
          r.obj, '${login}');
      END LOOP;
      FOR r IN SELECT p.oid::regprocedure AS fn FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
               WHERE n.nspname = '${schema}' AND p.proowner <> '${login}'::regrole
      LOOP
        EXECUTE format('ALTER ROUTINE %s OWNER TO %I', r.fn, '${login}');
      END LOOP;
    END $$`);
}

/**
 * The SCRAM-SHA-256 verifier PostgreSQL stores for a password (RFC 5802, RFC 7677), in the form
 * `ALTER ROLE … PASSWORD` accepts as already encrypted. Passwords here are ASCII (SASLprep leaves
 * them as they are).
 */
export function scramVerifier(password: string, iterations = 4096, salt = randomBytes(16)): string {
  const salted = pbkdf2Sync(password, salt, iterations, 32, 'sha256');
  const clientKey = createHmac('sha256', salted).update('Client Key').digest();
  const storedKey = createHash('sha256').update(clientKey).digest();
  const serverKey = createHmac('sha256', salted).update('Server Key').digest();
  return `SCRAM-SHA-256$${iterations}:${salt.toString('base64')}$${storedKey.toString('base64')}:${serverKey.toString('base64')}`;
}

function withCredentials(url: string, user: string, password: string): string {
  const u = new URL(url);
  u.username = encodeURIComponent(user);
  u.password = encodeURIComponent(password);
  return u.toString();
}
