import http from 'node:http';
import https from 'node:https';
import type { NextFunction, Request, Response } from 'express';
import { DomainError } from '@hms/contracts-common';
import { authenticateRequest, resolveCaller, type Caller } from '@hms/platform-auth';
import { ProblemFilter, sendProblem } from '@hms/platform-http';
import type { Logger } from '@hms/platform-observability';
import { patientIdsIn, patientIdsInCsv, type ReadRecorder } from './access-recorder';
import type { ServiceRegistry } from './service-registry';
import { gatewayError } from '../domain/errors';

const FORWARDED_REQUEST_HEADERS = ['authorization', 'idempotency-key', 'if-match', 'if-none-match', 'accept', 'accept-language'];
const FORWARDED_RESPONSE_HEADERS = ['content-type', 'content-disposition', 'etag', 'location', 'retry-after', 'idempotent-replayed', 'cache-control'];
const MAX_UPSTREAM_BODY = 10 * 1024 * 1024;

export interface ProxyDeps {
  registry: ServiceRegistry;
  /** The passport strategy that checks bearer tokens, the same one the gateway's own routes use. */
  authStrategy: string;
  reads: ReadRecorder;
  logger: Logger;
  timeoutMs: number;
}

/**
 * Routes `/api/v1/<service>/...` to the service. The gateway authenticates, picks the branch,
 * checks that the caller has some permission on the service there (services check the exact
 * one), forwards identity and correlation id, and records reads of patient data for the audit.
 */
export function proxyMiddleware(deps: ProxyDeps) {
  const filter = new ProblemFilter(deps.logger);
  const agents = { http: new http.Agent({ keepAlive: true, maxSockets: 256 }), https: new https.Agent({ keepAlive: true, maxSockets: 256 }) };
  return async (req: Request, res: Response, next: NextFunction) => {
    const match = /^\/api\/v1\/([a-z-]+)(?:\/|$)/.exec(req.path);
    if (!match) return next();
    const service = match[1];
    const base = deps.registry.get(service);
    if (!base) return next();
    try {
      // The upstream URL is resolved with dot segments (also %2e) removed: a path that would leave
      // /api/v1/<service> there must not pass the checks made for <service> here.
      const resolved = new URL(req.originalUrl, base).pathname;
      if (resolved !== `/api/v1/${service}` && !resolved.startsWith(`/api/v1/${service}/`)) {
        throw gatewayError('validation', 'path-invalid', `The path must stay under /api/v1/${service}/ (no "." or ".." segments)`);
      }
      const claims = await authenticateRequest(deps.authStrategy, req);
      const caller = resolveCaller(claims, req.header('x-branch-id'), (req as Request & { correlationId?: string }).correlationId ?? null);
      if (![...caller.permissions].some((p) => p.startsWith(`${service}:`))) {
        throw gatewayError('forbidden', 'permission-missing', `You have no access to ${service} in this branch`);
      }
      const upstream = await forward(req, base, caller, agents, deps.timeoutMs);
      if (req.method === 'GET' && upstream.status === 200) {
        const named =
          upstream.json !== undefined
            ? patientIdsIn(service, req.path, upstream.json)
            : /^text\/csv/.test(String(upstream.headers['content-type'] ?? ''))
              ? patientIdsInCsv(upstream.body.toString('utf8'))
              : null;
        if (named) await deps.reads.record(caller, { service, method: req.method, path: req.path, url: req.originalUrl, status: upstream.status, ...named });
      }
      res.status(upstream.status);
      for (const h of FORWARDED_RESPONSE_HEADERS) {
        const v = upstream.headers[h];
        if (v !== undefined) res.setHeader(h, v);
      }
      res.end(upstream.body);
    } catch (error) {
      sendProblem(filter, req, res, error);
    }
  };
}

interface Upstream {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  json?: unknown;
}

function forward(req: Request, base: URL, caller: Caller, agents: { http: http.Agent; https: https.Agent }, timeoutMs: number): Promise<Upstream> {
  const target = new URL(req.originalUrl, base);
  const headers: Record<string, string> = {
    'x-branch-id': caller.branchId,
    'x-correlation-id': caller.correlationId ?? '',
    'x-forwarded-for': req.ip ?? '',
  };
  for (const h of FORWARDED_REQUEST_HEADERS) {
    const v = req.header(h);
    if (v !== undefined) headers[h] = v;
  }
  let payload: Buffer | null = null;
  if (['POST', 'PUT', 'PATCH', 'DELETE'].includes(req.method) && req.body !== undefined) {
    payload = Buffer.from(JSON.stringify(req.body));
    headers['content-type'] = 'application/json';
    headers['content-length'] = String(payload.length);
  }
  const client = target.protocol === 'https:' ? https : http;
  const attempt = (retried: boolean): Promise<Upstream> => new Promise<Upstream>((resolve, reject) => {
    const upstream = client.request(
      target,
      { method: req.method, headers, agent: target.protocol === 'https:' ? agents.https : agents.http, timeout: timeoutMs },
      (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_UPSTREAM_BODY) {
            response.destroy(new Error('upstream response too large'));
            return;
          }
          chunks.push(chunk);
        });
        response.on('error', (e) => reject(unavailable(base, e)));
        response.on('end', () => {
          const body = Buffer.concat(chunks);
          let json: unknown;
          if (/json/.test(String(response.headers['content-type'] ?? '')) && body.length) {
            try {
              json = JSON.parse(body.toString('utf8'));
            } catch {
              json = undefined;
            }
          }
          resolve({ status: response.statusCode ?? 502, headers: response.headers, body, json });
        });
      },
    );
    upstream.on('timeout', () => upstream.destroy(gatewayError('unavailable', 'upstream-timeout', 'The service did not answer in time')));
    upstream.on('error', (e: NodeJS.ErrnoException) => {
      // A kept-alive connection the service had just closed as idle: the request never reached
      // it, so sending it once more on a fresh connection is safe, whatever its method.
      if (!retried && upstream.reusedSocket && (e.code === 'ECONNRESET' || e.code === 'EPIPE')) {
        attempt(true).then(resolve, reject);
        return;
      }
      reject(e instanceof DomainError ? e : unavailable(base, e));
    });
    if (payload) upstream.write(payload);
    upstream.end();
  });
  return attempt(false);
}

function unavailable(_base: URL, _error: Error): DomainError {
  return gatewayError('unavailable', 'service-unavailable', 'The service behind this route is not reachable right now; try again shortly');
}
