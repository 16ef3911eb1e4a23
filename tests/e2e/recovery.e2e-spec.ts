import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { aPatient, eventually, httpClient, type HttpClient, type TestResponse } from '@hms/platform-testing';
import { freePortBlock, provisionLogins, startPlatform, type RunningPlatform } from '../../tools/launcher/platform';
import { ensureSecretsKeyFile, readSecretsKey } from '../../tools/launcher/secrets';

// Crashes and restarts, with the platform as real processes on a PostgreSQL of this file's own
// (the embedded one `npm start` uses), so the database itself can be stopped and started:
// - the database restarts in the middle of a burst of reads and writes: no process dies, nothing
//   answers 500 (an outage is a 503 with Retry-After), readiness is back within seconds, and no
//   event is lost;
// - the patients service is killed in the middle of a burst of registrations sent with
//   Idempotency-Keys: every retry either replays the stored answer or runs afresh, none waits on
//   a claim for a day, and nobody is registered twice.
const ADMIN = { email: 'e2e-recovery@hms.test', password: 'E2e-Recovery-Pass-2026!' };
const root = path.resolve(__dirname, '..', '..');
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hms-recovery-'));
fs.chmodSync(dataDir, 0o777);

let pgPort = 0;
let database: { url: string; stop(): Promise<void> };
let platform: RunningPlatform;
let gw: HttpClient;
let admin: string;

/** The embedded PostgreSQL in a process of its own (tools/launcher/run-database), so it can be stopped and started. */
function startDatabase(): Promise<{ url: string; stop(): Promise<void> }> {
  const child: ChildProcess = spawn(
    process.execPath,
    ['-r', path.join(root, 'dist/tools/runtime/register-paths.js'), path.join(root, 'dist/tools/launcher/run-database.js'), dataDir, String(pgPort)],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let err = '';
  child.stderr?.on('data', (c: Buffer) => (err += c.toString()));
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (c: Buffer) => {
      out += c.toString();
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) {
        resolve({
          url: (JSON.parse(line) as { url: string }).url,
          stop: () =>
            new Promise<void>((done) => {
              child.once('exit', () => done());
              child.kill('SIGTERM');
            }),
        });
      }
    });
    child.once('exit', (code) => reject(new Error(`the database process exited (${code}): ${err.slice(-500)}`)));
  });
}

beforeAll(async () => {
  const port = await freePortBlock(6);
  pgPort = port + 5;
  database = await startDatabase();
  const secretsKeyFile = ensureSecretsKeyFile(dataDir);
  platform = await startPlatform({
    databaseUrl: database.url,
    serviceDatabaseUrls: await provisionLogins(database.url, readSecretsKey({ file: secretsKeyFile })),
    secretsKeyFile,
    port,
    root,
    logDir: path.join(dataDir, 'logs'),
    // Nothing restarts a process here: a process that dies stays dead, and the test sees it.
    supervise: false,
    env: { HMS_ADMIN_EMAIL: ADMIN.email, HMS_ADMIN_PASSWORD: ADMIN.password, LOG_LEVEL: 'info', LOGIN_RATE_LIMIT: '1000', ACCESS_TOKEN_TTL_SECONDS: '3600', REDIS_URL: undefined },
  });
  gw = httpClient(platform.gatewayUrl);
  admin = (await gw.post('/api/v1/auth/login', ADMIN)).body.accessToken as string;
});

afterAll(async () => {
  await platform?.stop();
  await database?.stop();
  if (!process.env.KEEP_RECOVERY_DATA) fs.rmSync(dataDir, { recursive: true, force: true });
});

const ready = () => fetch(`${platform.gatewayUrl}/health/ready`).then((r) => r.status, () => 0);
const phone = (i: number) => `+9198${String(76_000_000 + i).padStart(8, '0')}`;

describe('a database restart in the middle of a burst', () => {
  it('crashes nothing, answers 503 with Retry-After (never 500) while it is down, is ready again within seconds and loses no event', async () => {
    const pids = new Map([...platform.apps].map(([name, app]) => [name, app.child?.pid]));
    const answers: { what: string; r: TestResponse }[] = [];
    const registered: string[] = [];
    let running = true;
    let n = 0;
    const writer = async () => {
      while (running) {
        const i = n++;
        const r = await gw.post('/api/v1/patients', aPatient().named(`Outage Patient ${i}`).withPhone(phone(i)).build(), { token: admin }).catch(() => null);
        if (r) {
          answers.push({ what: 'register', r });
          if (r.status === 201) registered.push(r.body.id as string);
        }
      }
    };
    const reader = async () => {
      while (running) {
        for (const p of ['/api/v1/patients?q=Outage', '/api/v1/wards/bed-board', '/api/v1/pharmacy/stores', '/api/v1/audit/events?limit=5']) {
          const r = await gw.get(p, { token: admin }).catch(() => null);
          if (r) answers.push({ what: p, r });
        }
      }
    };
    const burst = Promise.all([writer(), writer(), reader()]);
    await eventually(async () => expect(registered.length).toBeGreaterThanOrEqual(5), { what: 'the burst to be under way' });

    // The database goes away for a few seconds, then comes back.
    await database.stop();
    await new Promise((r) => setTimeout(r, 4000));
    const downAnswers = answers.length;
    database = await startDatabase();
    const backAt = Date.now();
    await eventually(async () => expect(await ready()).toBe(200), { timeoutMs: 30_000, intervalMs: 200, what: 'the gateway to be ready again' });
    const readyAfter = (Date.now() - backAt) / 1000;
    // Some more traffic after the outage, then stop.
    const after = registered.length;
    await eventually(async () => expect(registered.length).toBeGreaterThanOrEqual(after + 5), { what: 'registrations to succeed again' });
    running = false;
    await burst;

    // No process died.
    for (const [name, app] of platform.apps) {
      expect({ name, pid: app.child?.pid, alive: app.child?.exitCode === null }).toEqual({ name, pid: pids.get(name), alive: true });
    }
    // Nothing answered 500; every outage answer was a 503 problem with Retry-After.
    const statuses = answers.map((a) => a.r.status);
    // Named by request and body, so a failure says which answer was wrong.
    expect(answers.filter((a) => a.r.status >= 500 && a.r.status !== 503).map((a) => ({ what: a.what, status: a.r.status, body: a.r.body }))).toEqual([]);
    expect(statuses.filter((s) => s >= 500 && s !== 503)).toEqual([]);
    const outage = answers.filter((a) => a.r.status === 503);
    expect(outage.length).toBeGreaterThan(0);
    expect(downAnswers).toBeGreaterThan(0);
    for (const a of outage) {
      expect(a.r.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(Number(a.r.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    }
    expect(statuses.filter((s) => ![200, 201, 503].includes(s))).toEqual([]);
    expect(readyAfter).toBeLessThan(15);

    // Every registration that was answered 201 reached the audit trail, exactly once.
    await eventually(
      async () => {
        const rows = await gw.get(`/api/v1/audit/events?type=patients.patient.registered&limit=100`, { token: admin });
        expect(rows.status).toBe(200);
        const seen = new Set<string>();
        for (let offset = 0; ; offset += 100) {
          const page = await gw.get(`/api/v1/audit/events?type=patients.patient.registered&limit=100&offset=${offset}`, { token: admin });
          for (const e of page.body.items as { patientIds: string[] }[]) for (const id of e.patientIds) seen.add(id);
          if (page.body.nextOffset === null) break;
        }
        expect(registered.filter((id) => !seen.has(id))).toEqual([]);
      },
      { timeoutMs: 60_000, what: 'every registration in the audit trail' },
    );
    expect((await gw.get('/api/v1/audit/verify', { token: admin })).body).toMatchObject({ valid: true });
  });
});

describe('the patients service killed in the middle of a burst of registrations', () => {
  it('answers every retried Idempotency-Key with the stored response or afresh, never "in progress", and registers nobody twice', async () => {
    const requests = Array.from({ length: 40 }, (_, i) => ({
      key: `crash-burst-${i}-${process.pid}`,
      body: aPatient().named(`Crash Burst ${i}`).withPhone(phone(5000 + i)).build(),
    }));
    const first = Promise.all(
      requests.map((q) => gw.post('/api/v1/patients', q.body, { token: admin, headers: { 'idempotency-key': q.key } }).then((r) => r.status, () => 0)),
    );
    await new Promise((r) => setTimeout(r, 150));
    await platform.stopApp('patients', 'SIGKILL');
    const firstStatuses = await first;
    await platform.startApp('patients');
    // Whatever happened to the first attempts (201, 503, or a lost connection), the retries settle it.
    const retries = await Promise.all(requests.map((q) => gw.post('/api/v1/patients', q.body, { token: admin, headers: { 'idempotency-key': q.key } })));
    const codes = retries.map((r) => (r.status === 201 ? 'ok' : `${r.status} ${(r.body as { code?: string }).code}`));
    expect(codes.filter((c) => c !== 'ok')).toEqual([]);
    // Those whose first attempt committed are replayed, with the same patient.
    const replayed = retries.filter((r) => r.headers.get('idempotent-replayed') === 'true').length;
    expect(replayed).toBeGreaterThanOrEqual(firstStatuses.filter((s) => s === 201).length);
    // Each key names one patient, and nobody is on the register twice.
    const ids = retries.map((r) => r.body.id as string);
    expect(new Set(ids).size).toBe(requests.length);
    for (const [i, q] of requests.entries()) {
      const found = await gw.get(`/api/v1/patients?q=${encodeURIComponent(q.body.phone as string)}`, { token: admin });
      expect({ i, ids: (found.body.items as { id: string }[]).map((p) => p.id) }).toEqual({ i, ids: [ids[i]] });
    }
  });
});
