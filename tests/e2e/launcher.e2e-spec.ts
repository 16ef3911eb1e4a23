import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { aPatient, eventually, httpClient } from '@hms/platform-testing';
import { freePortBlock } from '../../tools/launcher/platform';

// `npm start` as a new user runs it: the launcher with no DATABASE_URL starts an embedded
// PostgreSQL in HMS_DATA_DIR, the apps, prints where they are; Ctrl-C stops everything; the
// next start finds the same data.
jest.setTimeout(180_000);

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

it('starts everything on an embedded database, stops on Ctrl-C, and keeps the data for the next start', async () => {
  const first = launch();
  await first.ready;
  const banner = first.output();
  expect(banner).toContain(`http://localhost:${port}/docs`);
  expect(banner).toContain('admin@hms.local / Admin-Pass-2026!');

  const gw = httpClient(gatewayUrl);
  const login = await gw.post('/api/v1/auth/login', { email: 'admin@hms.local', password: 'Admin-Pass-2026!' });
  expect(login.status).toBe(200);
  const patient = await gw.post('/api/v1/patients', aPatient().named('Diya Nair').build(), { token: login.body.accessToken });
  expect(patient.status).toBe(201);

  expect(await interrupt(first.child)).toBe(0);
  for (const p of [0, 1, 2, 3, 4].map((i) => port + i)) expect(await portOpen(`http://127.0.0.1:${p}`)).toBe(false);
  expect(fs.existsSync(path.join(dataDir, 'pg', 'PG_VERSION'))).toBe(true);

  const second = launch();
  await second.ready;
  try {
    const again = await gw.post('/api/v1/auth/login', { email: 'admin@hms.local', password: 'Admin-Pass-2026!' });
    const found = await gw.get(`/api/v1/patients/${patient.body.id}`, { token: again.body.accessToken });
    expect(found.body).toMatchObject({ uhid: patient.body.uhid, name: 'Diya Nair' });
    const users = await gw.get('/api/v1/admin/users', { token: again.body.accessToken });
    expect(users.body.items).toHaveLength(1);
  } finally {
    expect(await interrupt(second.child)).toBe(0);
  }
});
