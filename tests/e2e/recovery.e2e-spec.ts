import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { aPatient, eventually } from '@hms/platform-testing';
import { freePortBlock, provisionLogins, startPlatform, type RunningPlatform } from '../../tools/launcher/platform';
import { ensureSecretsKeyFile, readSecretsKey } from '../../tools/launcher/secrets';
import { expectData, hmsApi, type HmsApi } from './api';

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
let api: HmsApi;

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
  const { accessToken } = expectData(await hmsApi(platform.gatewayUrl).POST('/api/v1/auth/login', { body: ADMIN }), 200);
  api = hmsApi(platform.gatewayUrl, { token: accessToken });
});

afterAll(async () => {
  await platform?.stop();
  await database?.stop();
  if (!process.env.KEEP_RECOVERY_DATA) fs.rmSync(dataDir, { recursive: true, force: true });
});

const ready = () => fetch(`${platform.gatewayUrl}/health/ready`).then((r) => r.status, () => 0);
const phone = (i: number) => `+9198${String(76_000_000 + i).padStart(8, '0')}`;

/** What a typed call answered, whatever its operation. */
type Result = { data?: unknown; error?: unknown; response: Response };
interface Answer {
  status: number;
  headers: Headers;
  body: unknown;
}
const answer = (r: Result): Answer => ({ status: r.response.status, headers: r.response.headers, body: r.error ?? r.data });
const register = (q: { key: string; body: ReturnType<ReturnType<typeof aPatient>['build']> }) =>
  api.POST('/api/v1/patients', { body: q.body, params: { header: { 'Idempotency-Key': q.key } } });

describe('a database restart in the middle of a burst', () => {
  it('crashes nothing, answers 503 with Retry-After (never 500) while it is down, is ready again within seconds and loses no event', async () => {
    const pids = new Map([...platform.apps].map(([name, app]) => [name, app.child?.pid]));
    // Each answer as it came: status, headers and body (a problem's, or the data).
    const answers: { what: string; r: Answer }[] = [];
    const registered: string[] = [];
    let running = true;
    let n = 0;
    const writer = async () => {
      while (running) {
        const i = n++;
        const r = await api.POST('/api/v1/patients', { body: aPatient().named(`Outage Patient ${i}`).withPhone(phone(i)).build() }).catch(() => null);
        if (r) {
          answers.push({ what: 'register', r: answer(r) });
          if (r.data) registered.push(r.data.id);
        }
      }
    };
    const reader = async () => {
      while (running) {
        const reads: [string, () => Promise<Result>][] = [
          ['patients?q=Outage', () => api.GET('/api/v1/patients', { params: { query: { q: 'Outage' } } })],
          ['wards/bed-board', () => api.GET('/api/v1/wards/bed-board')],
          ['pharmacy/stores', () => api.GET('/api/v1/pharmacy/stores')],
          ['audit/events?limit=5', () => api.GET('/api/v1/audit/events', { params: { query: { limit: 5 } } })],
        ];
        for (const [what, read] of reads) {
          const r = await read().catch(() => null);
          if (r) answers.push({ what, r: answer(r) });
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
        const seen = new Set<string>();
        for (let offset = 0; ; offset += 100) {
          const page = expectData(await api.GET('/api/v1/audit/events', { params: { query: { type: 'patients.patient.registered', limit: 100, offset } } }), 200);
          for (const e of page.items) for (const id of e.patientIds) seen.add(id);
          if (page.nextOffset === null) break;
        }
        expect(registered.filter((id) => !seen.has(id))).toEqual([]);
      },
      { timeoutMs: 60_000, what: 'every registration in the audit trail' },
    );
    expect(expectData(await api.GET('/api/v1/audit/verify'), 200)).toMatchObject({ valid: true });
  });
});

describe('the patients service killed in the middle of a burst of registrations', () => {
  it('answers every retried Idempotency-Key with the stored response or afresh, never "in progress", and registers nobody twice', async () => {
    const requests = Array.from({ length: 40 }, (_, i) => ({
      key: `crash-burst-${i}-${process.pid}`,
      phone: phone(5000 + i),
      body: aPatient().named(`Crash Burst ${i}`).withPhone(phone(5000 + i)).build(),
    }));
    const first = Promise.all(
      requests.map((q) => register(q).then((r) => r.response.status, () => 0)),
    );
    await new Promise((r) => setTimeout(r, 150));
    await platform.stopApp('patients', 'SIGKILL');
    const firstStatuses = await first;
    await platform.startApp('patients');
    // Whatever happened to the first attempts (201, 503, or a lost connection), the retries settle it.
    const retries = await Promise.all(requests.map(register));
    const codes = retries.map((r) => (r.response.status === 201 ? 'ok' : `${r.response.status} ${(r.error as { code?: string } | undefined)?.code}`));
    expect(codes.filter((c) => c !== 'ok')).toEqual([]);
    // Those whose first attempt committed are replayed, with the same patient.
    const replayed = retries.filter((r) => r.response.headers.get('idempotent-replayed') === 'true').length;
    expect(replayed).toBeGreaterThanOrEqual(firstStatuses.filter((s) => s === 201).length);
    // Each key names one patient, and nobody is on the register twice.
    const ids = retries.map((r) => expectData(r, 201).id);
    expect(new Set(ids).size).toBe(requests.length);
    for (const [i, q] of requests.entries()) {
      const found = expectData(await api.GET('/api/v1/patients', { params: { query: { q: q.phone } } }), 200);
      expect({ i, ids: found.items.map((p) => p.id) }).toEqual({ i, ids: [ids[i]] });
    }
  });
});
