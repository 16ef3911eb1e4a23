import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { aPatient, eventually } from '@hms/platform-testing';
import { freePortBlock } from '../../tools/launcher/platform';
import { databasePassword, readSecretsKey } from '../../tools/launcher/secrets';
import { expectData, hmsApi } from './api';

// `npm start` as a new user runs it: the launcher with no DATABASE_URL starts an embedded
// PostgreSQL in HMS_DATA_DIR, the apps, prints where they are; Ctrl-C stops everything; the
// next start finds the same data.
jest.setTimeout(300_000);

const root = path.resolve(__dirname, '..', '..');
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hms-launcher-'));
fs.chmodSync(dataDir, 0o777);
// The apps take port…port+4 and the embedded PostgreSQL port+10: one block of free ports.
let port = 0;
let pgPort = 0;
let gatewayUrl = '';
beforeAll(async () => {
  port = await freePortBlock(11);
  pgPort = port + 10;
  gatewayUrl = `http://127.0.0.1:${port}`;
});

function launch(): { child: ChildProcess; output: () => string; ready: Promise<void> } {
  const env: NodeJS.ProcessEnv = { ...process.env, HMS_DATA_DIR: dataDir, PORT: String(port), HMS_PG_PORT: String(pgPort) };
  delete env.DATABASE_URL;
  delete env.KAFKA_BROKERS;
  const child = spawn(process.execPath, [path.join(root, 'dist/tools/launcher/start.js')], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout?.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (out += c.toString()));
  const ready = eventually(
    () => {
      if (child.exitCode !== null) throw new Error(`launcher exited: ${out}`);
      if (!out.includes('Press Ctrl-C to stop')) throw new Error('not ready yet');
    },
    { timeoutMs: 150_000, intervalMs: 250, what: 'the launcher to report the platform ready' },
  );
  return { child, output: () => out, ready };
}

async function interrupt(child: ChildProcess): Promise<number | null> {
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.kill('SIGINT');
  return exited;
}

const portOpen = (url: string) =>
  fetch(`${url}/health/live`, { signal: AbortSignal.timeout(1000) }).then(
    () => true,
    () => false,
  );

afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

const signIn = async (password: string) => expectData(await hmsApi(gatewayUrl).POST('/api/v1/auth/login', { body: { email: 'admin@hms.local', password } }), 200);

/** A client of the embedded PostgreSQL, as its administrator or as one of the services' logins. */
async function embeddedClient(user = 'postgres', password = fs.readFileSync(path.join(dataDir, 'pg-password'), 'utf8').trim()): Promise<Client> {
  const client = new Client({ host: '127.0.0.1', port: pgPort, user, password, database: 'hms' });
  client.on('error', () => undefined);
  await client.connect();
  return client;
}

it('starts everything on an embedded database, stops on Ctrl-C, and keeps the data for the next start', async () => {
  const first = launch();
  await first.ready;
  const banner = first.output();
  expect(banner).toContain(`http://localhost:${port}/docs`);
  expect(banner).toMatch(/Building the platform|Built in|Starting the embedded PostgreSQL/);
  expect(banner).toMatch(/ready in \d+\.\d s since npm start/);
  // No default password: one made for this first start, shown once.
  expect(banner).not.toContain('Admin-Pass-2026!');
  const generated = /Sign in: +admin@hms\.local \/ (\S+)/.exec(banner)?.[1] ?? '';
  expect(generated).toMatch(/^[A-Za-z0-9_-]{16}-\d{2}$/);

  const login = await signIn(generated);
  const patient = expectData(await hmsApi(gatewayUrl, { token: login.accessToken }).POST('/api/v1/patients', { body: aPatient().named('Diya Nair').build() }), 201);

  // Each service logs in as its own role, and that role cannot read another service's schema.
  const admin = await embeddedClient();
  try {
    const users = (await admin.query<{ usename: string }>(`SELECT DISTINCT usename FROM pg_stat_activity WHERE datname = 'hms' AND usename LIKE 'hms\\_%' ORDER BY usename`)).rows.map((r) => r.usename);
    expect(users).toEqual(['hms_audit_login', 'hms_gateway_login', 'hms_patients_login', 'hms_pharmacy_login', 'hms_wards_login']);
    expect((await admin.query(`SELECT 1 FROM pg_stat_activity WHERE datname = 'hms' AND usename = 'postgres' AND application_name LIKE 'hms-%'`)).rowCount).toBe(0);
  } finally {
    await admin.end();
  }
  const key = readSecretsKey({ file: path.join(dataDir, 'secrets.key') });
  expect(fs.statSync(path.join(dataDir, 'secrets.key')).mode & 0o777).toBe(0o600);
  const patientsLogin = await embeddedClient('hms_patients_login', databasePassword(key, 'patients'));
  try {
    await expect(patientsLogin.query('SELECT * FROM gateway.signing_keys')).rejects.toThrow(/permission denied/);
    await expect(patientsLogin.query('SELECT * FROM gateway.users')).rejects.toThrow(/permission denied/);
    await expect(patientsLogin.query('SELECT * FROM pharmacy.stock_ledger')).rejects.toThrow(/permission denied/);
    await expect(patientsLogin.query('INSERT INTO hms_auth.user_access (user_id, active, branches) VALUES ($1, true, $2)', ['x', '[]'])).rejects.toThrow(/permission denied/);
  } finally {
    await patientsLogin.end();
  }

  // The launcher keeps its PostgreSQL running: killed, it is started again and the platform recovers.
  const postmaster = Number(fs.readFileSync(path.join(dataDir, 'pg', 'postmaster.pid'), 'utf8').split('\n')[0]);
  process.kill(postmaster, 'SIGKILL');
  await eventually(
    async () => {
      const ready = await fetch(`${gatewayUrl}/health/ready`).then((r) => r.status, () => 0);
      expect(ready).toBe(200);
      expect(Number(fs.readFileSync(path.join(dataDir, 'pg', 'postmaster.pid'), 'utf8').split('\n')[0])).not.toBe(postmaster);
    },
    { timeoutMs: 60_000, intervalMs: 500, what: 'PostgreSQL to be restarted and the platform ready again' },
  );
  expect(first.output()).toMatch(/\[postgres\] warn: PostgreSQL exited/);
  expect(first.child.exitCode).toBeNull();

  expect(await interrupt(first.child)).toBe(0);
  for (const p of [0, 1, 2, 3, 4].map((i) => port + i)) expect(await portOpen(`http://127.0.0.1:${p}`)).toBe(false);
  // Ctrl-C stopped the embedded PostgreSQL too.
  await expect(embeddedClient()).rejects.toThrow();
  expect(fs.existsSync(path.join(dataDir, 'pg', 'PG_VERSION'))).toBe(true);

  const second = launch();
  await second.ready;
  try {
    // The password made on the first start is never shown again.
    expect(second.output()).not.toContain(generated);
    expect(second.output()).toContain('with the password from the first start');
    const api = hmsApi(gatewayUrl, { token: (await signIn(generated)).accessToken });
    const found = expectData(await api.GET('/api/v1/patients/{id}', { params: { path: { id: patient.id } } }), 200);
    expect(found).toMatchObject({ uhid: patient.uhid, name: 'Diya Nair' });
    expect(expectData(await api.GET('/api/v1/admin/users'), 200).items).toHaveLength(1);
  } finally {
    expect(await interrupt(second.child)).toBe(0);
  }
});
