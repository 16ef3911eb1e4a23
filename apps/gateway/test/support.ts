/**
 * Support for the gateway's integration tests: starting the gateway in-process on a test
 * database, a fake upstream service, and small helpers for signing in and creating users.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { runService, type RunningService } from '@hms/platform-service';
import { httpClient, type HttpClient, type TestDatabase, type TestResponse } from '@hms/platform-testing';
import { ROUTED_SERVICES } from '../src/config';
import { gatewayDefinition } from '../src/gateway.definition';

export const ADMIN_PASSWORD = 'Admin-Pass-2026!';
export const USER_PASSWORD = 'Desk-Pass-2026!';
export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

/** The key that seals the signing key in the test databases (one per test process). */
export const SECRETS_KEY = randomBytes(32).toString('base64');

export const REDIS_PREFIX = `hms-test-${randomBytes(4).toString('hex')}:`;

/** A suffix that keeps emails (and so Redis rate-limit keys) apart between runs. */
export const runId = () => randomBytes(4).toString('hex');

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  tokenType: string;
  expiresIn: number;
  refreshExpiresIn: number;
}

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  instance?: string;
  correlationId?: string;
  errors?: { field: string; message: string }[];
}

export interface Gateway {
  service: RunningService;
  http: HttpClient;
  close(): Promise<void>;
}

/** Variables of the surrounding environment that would change what the gateway under test does. */
const OWN_VARIABLES = new Set([
  ...ROUTED_SERVICES.map((s) => `${s.toUpperCase()}_URL`),
  'REDIS_URL',
  'REDIS_PREFIX',
  'HMS_ADMIN_EMAIL',
  'HMS_ADMIN_PASSWORD',
  'HMS_DEFAULT_BRANCH_CODE',
  'HMS_DEFAULT_BRANCH_NAME',
  'HMS_JWT_PRIVATE_KEY',
  'HMS_SECRETS_KEY',
  'HMS_SECRETS_KEY_FILE',
  'LOGIN_RATE_LIMIT',
  'READ_COALESCE_SECONDS',
  'REFRESH_SESSION_MAX_SECONDS',
  'UPSTREAM_TIMEOUT_MS',
  'ACCESS_TOKEN_TTL_SECONDS',
  'REFRESH_TOKEN_TTL_SECONDS',
  'AUTH_JWKS_URL',
  'PORT',
]);

/**
 * Starts the gateway in-process on `db`. Only what `env` names is configured: a REDIS_URL or
 * PATIENTS_URL in the surrounding environment does not leak in (the memory-store tests must
 * test the memory store even where CI sets REDIS_URL).
 */
export async function startGateway(db: TestDatabase, env: Record<string, string>): Promise<Gateway> {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !OWN_VARIABLES.has(k)));
  const service = await runService(gatewayDefinition, {
    port: 0,
    env: {
      ...base,
      DATABASE_URL: db.url,
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
      DB_POOL_SIZE: '5',
      HMS_ADMIN_PASSWORD: ADMIN_PASSWORD,
      HMS_SECRETS_KEY: SECRETS_KEY,
      // Keys of this test process apart from any other's in the shared Redis.
      REDIS_PREFIX: REDIS_PREFIX,
      ...env,
    },
  });
  return { service, http: httpClient(service.url), close: () => service.close() };
}

export async function login(client: HttpClient, email: string, password: string): Promise<TokenPair> {
  const r = await client.post('/api/v1/auth/login', { email, password });
  if (r.status !== 200) throw new Error(`login of ${email} failed: ${r.status} ${r.text.slice(0, 300)}`);
  return r.body as TokenPair;
}

export const problemOf = (r: TestResponse): ProblemBody => r.body as ProblemBody;

export interface CreatedUser {
  id: string;
  email: string;
  password: string;
}

/** Creates a user through the admin API with the given roles in one branch. */
export async function createUser(
  client: HttpClient,
  adminToken: string,
  input: { email: string; branchId: string; roles: string[]; password?: string; name?: string; actingBranchId?: string },
): Promise<CreatedUser> {
  const password = input.password ?? USER_PASSWORD;
  const r = await client.post(
    '/api/v1/admin/users',
    { email: input.email, name: input.name ?? 'Test User', password, memberships: [{ branchId: input.branchId, roles: input.roles }] },
    { token: adminToken, branchId: input.actingBranchId },
  );
  if (r.status !== 201) throw new Error(`creating ${input.email} failed: ${r.status} ${r.text.slice(0, 300)}`);
  return { id: (r.body as { id: string }).id, email: input.email, password };
}

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/**
 * A stand-in for the patients service: answers health and OpenAPI like a real service, returns
 * one patient for searches, a problem for unknown patients, never answers `/slow`, and records
 * (and echoes) what it received.
 */
export class FakeUpstream {
  readonly requests: ReceivedRequest[] = [];
  url = '';
  private readonly server: http.Server;

  private constructor(readonly patientId: string) {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => this.answer(req, res, Buffer.concat(chunks).toString('utf8')));
    });
  }

  static async start(patientId: string): Promise<FakeUpstream> {
    const upstream = new FakeUpstream(patientId);
    await new Promise<void>((resolve) => upstream.server.listen(0, '127.0.0.1', resolve));
    upstream.url = `http://127.0.0.1:${(upstream.server.address() as AddressInfo).port}`;
    return upstream;
  }

  /** Requests to the API (not health checks or the OpenAPI document). */
  apiRequests(): ReceivedRequest[] {
    return this.requests.filter((r) => r.path.startsWith('/api/'));
  }

  async stop(): Promise<void> {
    if (!this.server.listening) return;
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await closed;
  }

  private answer(req: http.IncomingMessage, res: http.ServerResponse, body: string): void {
    const url = new URL(req.url ?? '/', 'http://upstream');
    const received: ReceivedRequest = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body };
    this.requests.push(received);
    const json = (status: number, value: unknown, type = 'application/json') => {
      res.writeHead(status, { 'content-type': type });
      res.end(JSON.stringify(value));
    };
    const echo = {
      method: received.method,
      path: received.path,
      body,
      headers: {
        'x-branch-id': req.headers['x-branch-id'],
        'x-correlation-id': req.headers['x-correlation-id'],
        authorization: req.headers.authorization,
      },
    };
    if (url.pathname === '/health/ready') return json(200, { status: 'ok', checks: {} });
    if (url.pathname === '/openapi.json') {
      return json(200, {
        openapi: '3.0.0',
        info: { title: 'Fake patients', version: '1' },
        tags: [{ name: 'patients' }],
        paths: { '/api/v1/patients': { get: { tags: ['patients'], summary: 'Search patients', responses: { 200: { description: 'ok' } } } } },
        components: { schemas: { FakePatient: { type: 'object', properties: { id: { type: 'string' } } } } },
      });
    }
    if (url.pathname === '/api/v1/patients/slow') return; // never answers
    if (url.pathname === '/api/v1/patients/board') {
      // A large answer naming many patients, like a 1,000-bed board.
      return json(200, { items: Array.from({ length: 1000 }, (_, i) => ({ bed: `B${i}`, state: 'occupied', patientId: this.patientId, note: 'x'.repeat(200) })) });
    }
    if (req.method === 'GET' && url.pathname === '/api/v1/patients') return json(200, { items: [{ id: this.patientId }], received: echo });
    if (req.method === 'GET' && url.pathname === `/api/v1/patients/${this.patientId}`) return json(200, { id: this.patientId, received: echo });
    if (req.method === 'GET' && url.pathname.startsWith('/api/v1/patients/')) {
      return json(404, { type: 'urn:hms:problem:not-found', title: 'Not found', status: 404, detail: 'The patient was not found', code: 'not-found' }, 'application/problem+json');
    }
    return json(req.method === 'POST' ? 201 : 200, { received: echo });
  }
}

/**
 * A GET with the path sent exactly as given (fetch would resolve `.` and `..` segments first,
 * as browsers do; other clients need not).
 */
export function rawGet(baseUrl: string, path: string, token?: string): Promise<{ status: number; contentType: string; body: ProblemBody | undefined }> {
  const base = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: base.hostname, port: base.port, path, method: 'GET', agent: false, headers: token ? { authorization: `Bearer ${token}` } : {} },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body: ProblemBody | undefined;
          try {
            body = JSON.parse(text) as ProblemBody;
          } catch {
            body = undefined;
          }
          resolve({ status: res.statusCode ?? 0, contentType: String(res.headers['content-type'] ?? ''), body });
        });
      },
    );
    req.on('error', reject);
    req.end();
  });
}
