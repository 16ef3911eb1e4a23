import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createTestDatabase, eventually, httpClient, type TestDatabase } from '@hms/platform-testing';
import { APP_NAMES, freePortBlock } from '../../tools/launcher/platform';
import { expectData, hmsApi } from './api';

// `npx nx g @hms/tools:service <name>` in a copy of this workspace makes a sixth service that
// type-checks, lints (its scope has a boundary rule), passes the tests it was generated with,
// deploys (the deploy tests pass on its k8s/ and docker-compose.yml entries), migrates by
// `nx run <name>:migrate`, and runs with the platform: `npm start`'s launcher starts it, the
// gateway routes to it and merges its OpenAPI document.
jest.setTimeout(600_000);

const root = path.resolve(__dirname, '..', '..');
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'hms-generator-'));
fs.chmodSync(scratch, 0o777);
const NAME = 'labs';
const ADMIN = { email: 'e2e-generator@hms.test', password: 'E2e-Generator-Pass-2026!' };
const env: NodeJS.ProcessEnv = { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false', CI: 'true' };
delete env.KAFKA_BROKERS;
delete env.DATABASE_URL;

/** Runs a command in the scratch workspace; its output, or an error with the output's tail. */
function run(command: string, args: string[], extraEnv: Record<string, string> = {}): string {
  const r = spawnSync(command, args, { cwd: scratch, env: { ...env, ...extraEnv }, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const out = `${r.stdout ?? ''}${r.stderr ?? ''}`;
  if (r.status !== 0) throw new Error(`${command} ${args.join(' ')} exited ${r.status}:\n${out.slice(-4000)}`);
  return out;
}

let db: TestDatabase | null = null;
let launcher: ChildProcess | null = null;

beforeAll(() => {
  // The workspace as a new clone has it (tracked and new files, nothing ignored), sharing node_modules.
  const files = spawnSync('git', ['ls-files', '-co', '--exclude-standard', '-z'], { cwd: root, encoding: 'utf8' }).stdout.split('\0').filter(Boolean);
  for (const f of files) {
    const from = path.join(root, f);
    if (!fs.existsSync(from) || fs.lstatSync(from).isSymbolicLink()) continue;
    fs.mkdirSync(path.dirname(path.join(scratch, f)), { recursive: true });
    fs.copyFileSync(from, path.join(scratch, f));
  }
  fs.symlinkSync(path.join(root, 'node_modules'), path.join(scratch, 'node_modules'));
});

afterAll(async () => {
  if (launcher && launcher.exitCode === null) {
    const exited = new Promise((r) => launcher?.once('exit', r));
    launcher.kill('SIGINT');
    await exited;
  }
  await db?.drop();
  fs.rmSync(scratch, { recursive: true, force: true });
});

describe('npx nx g @hms/tools:service', () => {
  it('makes a service on the one layout that builds, lints, passes its own tests, migrates, and is routed by the gateway', async () => {
    run('npx', ['nx', 'g', '@hms/tools:service', NAME, '--no-interactive']);
    for (const folder of ['http', 'records', 'data', 'migrations', 'events', 'domain']) expect(fs.statSync(path.join(scratch, 'apps', NAME, 'src', folder)).isDirectory()).toBe(true);
    expect(fs.existsSync(path.join(scratch, 'apps', NAME, 'test', 'support.ts'))).toBe(true);

    // Types, the boundary rules (a scope without a rule would fail check-tags) and lint.
    run('npx', ['tsc', '-p', 'tsconfig.json', '--noEmit']);
    run('npx', ['nx', 'show', 'projects']);
    run('node', ['tools/lint/check-tags.cjs']);
    run('npx', ['eslint', `apps/${NAME}`, `libs/contracts/${NAME}`, 'tools/launcher', 'apps/gateway/src/config.ts', 'libs/contracts/common/src']);

    // Its deployment: k8s/base/<name>, its entries in k8s/ and docker-compose.yml pass the deploy tests.
    expect(fs.existsSync(path.join(scratch, 'k8s', 'base', NAME, 'deployment.yaml'))).toBe(true);
    run('npx', ['jest', '-c', 'tests/deploy/jest.config.js']);

    // Its generated tests, unit and integration.
    run('npx', ['tsc', '-p', 'tsconfig.build.json']);
    const tests = run('npx', ['jest', '--selectProjects', 'unit', 'integration', `--testPathPatterns=apps/${NAME}/`]);
    // The domain rule's 3 unit tests and the service's 8 integration tests, every one passing.
    const [, passed, total] = /Tests:\s+(\d+) passed, (\d+) total/.exec(tests) ?? [];
    expect({ passed: Number(passed), total: Number(total) }).toEqual({ passed: 11, total: 11 });

    // `nx run <name>:migrate` migrates its schema.
    db = await createTestDatabase(__filename);
    expect(run('npx', ['nx', 'run', `${NAME}:migrate`], { DATABASE_URL: db.url })).toMatch(/migration\(s\) applied/);
    expect(await db.admin(`SELECT 1 FROM ${NAME}.typeorm_migrations WHERE name LIKE 'Records%'`)).toHaveLength(1);

    // The launcher starts it with the rest; the gateway routes to it and merges its document.
    const port = await freePortBlock(APP_NAMES.length + 1);
    let out = '';
    launcher = spawn(process.execPath, [path.join(scratch, 'dist/tools/launcher/start.js')], {
      cwd: scratch,
      env: { ...env, DATABASE_URL: db.url, PORT: String(port), HMS_DATA_DIR: path.join(scratch, '.data'), HMS_ADMIN_EMAIL: ADMIN.email, HMS_ADMIN_PASSWORD: ADMIN.password, LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    launcher.stdout?.on('data', (c: Buffer) => (out += c.toString()));
    launcher.stderr?.on('data', (c: Buffer) => (out += c.toString()));
    await eventually(
      () => {
        if (launcher?.exitCode !== null) throw new Error(`the launcher exited: ${out.slice(-3000)}`);
        if (!out.includes('Press Ctrl-C to stop')) throw new Error('not ready yet');
      },
      { timeoutMs: 180_000, intervalMs: 500, what: 'the platform with the new service to start' },
    );
    const gatewayUrl = `http://127.0.0.1:${port}`;
    const token = expectData(await hmsApi(gatewayUrl).POST('/api/v1/auth/login', { body: ADMIN }), 200).accessToken;
    const api = hmsApi(gatewayUrl, { token });
    // The new service's routes are not in the committed document the typed client is made from
    // (they exist only in this scratch copy), so they are called as raw HTTP.
    const gw = httpClient(gatewayUrl);
    const created = await gw.post(`/api/v1/${NAME}/records`, { title: 'First record' }, { token });
    expect(created.status).toBe(201);
    const list = await gw.get(`/api/v1/${NAME}/records`, { token });
    expect(list.status).toBe(200);
    expect(list.body).toMatchObject({ items: [{ id: created.body.id, title: 'First record' }], limit: 20, offset: 0, nextOffset: null });
    expect((await gw.get(`/api/v1/${NAME}/records`)).status).toBe(401);
    const doc = await gw.get('/docs/openapi.json');
    expect(Object.keys(doc.body.paths)).toEqual(expect.arrayContaining([`/api/v1/${NAME}/records`, `/api/v1/${NAME}/records/{id}`]));
    // Its event reached the audit trail through the bus.
    await eventually(async () => {
      const trail = expectData(await api.GET('/api/v1/audit/events', { params: { query: { type: `${NAME}.record.created` } } }), 200);
      expect(trail.items).toHaveLength(1);
    });
  });
});
