import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { createTestDatabase, type TestDatabase } from '@hms/platform-testing';
import { APP_NAMES, freePortBlock, provisionLogins, startPlatform, type RunningPlatform } from '../../tools/launcher/platform';
import { ensureSecretsKeyFile, readSecretsKey } from '../../tools/launcher/secrets';
import { expectData, hmsApi } from './api';

/**
 * Databases as the platform left them before its migrations became TypeORM classes: dumps of
 * the whole database after the pharmacy and the wards end-to-end flows ran on commit 76af9a4
 * (every service's schema, the bus and the session state, with their rows). The rows that hold
 * signing keys and refresh tokens were left out of the dumps; a gateway makes a new key.
 */
const FIXTURES = [
  { file: '76af9a4-pharmacy-flow.sql', admin: { email: 'e2e-pharmacy@hms.test', password: 'E2e-Pharmacy-Pass-2026!' } },
  { file: '76af9a4-wards-flow.sql', admin: { email: 'e2e-wards@hms.test', password: 'E2e-Wards-Pass-2026!' } },
];
const ROLES = ['hms_audit', 'hms_gateway', 'hms_patients', 'hms_pharmacy', 'hms_wards', 'hms_bus', 'hms_auth_reader', 'hms_auth_writer'];
const SCHEMAS = [...APP_NAMES, 'hms_bus', 'hms_auth'];
const root = path.resolve(__dirname, '..', '..');
const run = promisify(execFile);

async function restore(db: TestDatabase, file: string): Promise<void> {
  for (const role of ROLES) {
    await db.admin(`DO $$ BEGIN CREATE ROLE ${role} NOLOGIN; EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$`);
  }
  await db.admin(readFileSync(path.join(__dirname, '..', 'upgrade', 'fixtures', file), 'utf8'));
  await db.admin(`SELECT pg_catalog.set_config('search_path', 'public', false)`);
}

/** Every row of every table in the platform's schemas, as a digest per table, so a changed row shows too. */
async function contents(db: TestDatabase): Promise<Record<string, { rows: number; digest: string }>> {
  const tables = await db.admin<{ t: string }>(
    `SELECT format('%I.%I', schemaname, tablename) AS t FROM pg_tables WHERE schemaname = ANY($1) AND tablename NOT IN ('typeorm_migrations') ORDER BY 1`,
    [SCHEMAS],
  );
  const out: Record<string, { rows: number; digest: string }> = {};
  for (const { t } of tables) {
    const [r] = await db.admin<{ rows: string; digest: string | null }>(`SELECT count(*) AS rows, md5(string_agg(x::text, '|' ORDER BY x::text)) AS digest FROM ${t} x`);
    out[t] = { rows: Number(r.rows), digest: r.digest ?? '' };
  }
  return out;
}

describe.each(FIXTURES)('a database from before the TypeORM migrations ($file)', ({ file, admin }) => {
  let db: TestDatabase;
  let platform: RunningPlatform | null = null;
  let logins: Record<string, string>;
  let before: Record<string, { rows: number; digest: string }>;
  const logDir = () => path.join(root, 'tmp', 'e2e-logs', db.name);

  beforeAll(async () => {
    db = await createTestDatabase(`${__filename}-${file}`);
    await restore(db, file);
    before = await contents(db);
    logins = await provisionLogins(db.url, readSecretsKey({ file: ensureSecretsKeyFile(logDir()) }));
  });

  afterAll(async () => {
    await platform?.stop();
    await db?.drop();
  });

  it('holds rows in every service’s schema to begin with', () => {
    for (const schema of APP_NAMES) {
      const rows = Object.entries(before).filter(([t]) => t.startsWith(`${schema}.`)).reduce((n, [, c]) => n + c.rows, 0);
      expect({ schema, hasRows: rows > 0 }).toEqual({ schema, hasRows: true });
    }
  });

  it('adopts every migration the earlier runner applied, runs none again, and changes no row (nx run <svc>:migrate)', async () => {
    for (const service of APP_NAMES) {
      const { stdout } = await run(process.execPath, ['-r', path.join(root, 'dist/tools/runtime/register-paths.js'), path.join(root, `dist/apps/${service}/src/main.js`), '--migrate-only'], {
        cwd: root,
        env: { ...process.env, DATABASE_URL: logins[service], LOG_LEVEL: 'error' },
      });
      expect(stdout.trim()).toBe(`${service}: 0 migration(s) applied`);
      const recorded = await db.admin<{ name: string }>(`SELECT name FROM "${service}".typeorm_migrations ORDER BY timestamp`);
      const legacy = await db.admin<{ id: string }>(`SELECT id FROM "${service}".schema_migrations`);
      expect(recorded.length).toBe(legacy.length);
    }
    expect(await contents(db)).toEqual(before);
  });

  it('starts on the upgraded database and finds its records: the same users sign in, the patient is there, the audit chain verifies', async () => {
    const secretsKeyFile = ensureSecretsKeyFile(logDir());
    platform = await startPlatform({
      databaseUrl: db.url,
      serviceDatabaseUrls: logins,
      secretsKeyFile,
      port: await freePortBlock(APP_NAMES.length),
      root,
      logDir: logDir(),
      env: { LOG_LEVEL: 'info', LOGIN_RATE_LIMIT: '1000' },
    });
    const { accessToken: token } = expectData(await hmsApi(platform.gatewayUrl).POST('/api/v1/auth/login', { body: admin }), 200);
    const api = hmsApi(platform.gatewayUrl, { token });
    const [patient] = await db.admin<{ id: string; uhid: string }>('SELECT id, uhid FROM patients.patients LIMIT 1');
    expect(expectData(await api.GET('/api/v1/patients/{id}', { params: { path: { id: patient.id } } }), 200)).toMatchObject({ id: patient.id, uhid: patient.uhid });
    const entries = before['audit.entries'].rows;
    expect(expectData(await api.GET('/api/v1/audit/verify'), 200)).toMatchObject({ valid: true });
    expect(entries).toBeGreaterThan(0);
  });
});
